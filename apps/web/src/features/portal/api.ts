// Public portal API (no sign-in). Shapes follow the announcements and catalog modules; the normalisers accept
// the few variants those modules may still settle on, so the pages keep working while the server lands.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export interface TextSegment {
  text: string;
  match: boolean;
}

export interface AnnouncementSummary {
  id: string;
  title: string;
  type: string;
  /** Catalog entry code (the server calls it categoryCode). */
  category: string;
  regionCode: string;
  publishedAt: string;
  publisherName: string;
  projectId: string | null;
  relatedId?: string | null;
  /** With a search text: title and body excerpt with matches marked (plain text segments, never HTML). */
  highlight?: { title: TextSegment[]; snippet: TextSegment[] };
}

type RawSummary = Omit<AnnouncementSummary, 'category'> & { category?: string; categoryCode?: string };

export function normaliseSummary(a: RawSummary): AnnouncementSummary {
  const { categoryCode, category, ...rest } = a;
  return { ...rest, category: categoryCode ?? category ?? '' };
}

export interface AnnouncementPage {
  items: AnnouncementSummary[];
  nextCursor: string | null;
}

export interface AttachmentRef {
  id: string;
  name?: string;
  size?: number;
  url?: string;
}

export interface LinkedAnnouncement {
  id: string;
  title: string;
  type: string;
  publishedAt: string;
}

export interface AnnouncementDetail extends AnnouncementSummary {
  bodyHtml: string;
  attachments: AttachmentRef[];
  /** The earlier announcement this one amends or ends, and any other linked notices. */
  links: LinkedAnnouncement[];
  /** Later change/termination notices that name this one, oldest first. */
  changes: LinkedAnnouncement[];
  contentHash?: string;
  ledgerSeq?: number;
}

export interface AnnouncementFilters {
  q?: string;
  category?: string;
  region?: string;
  type?: string;
  from?: string;
  to?: string;
}

export function useAnnouncements(filters: AnnouncementFilters, limit = 20) {
  return useInfiniteQuery({
    queryKey: ['portal', 'announcements', filters, limit],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const page = await api.get<{ items: RawSummary[]; nextCursor?: string | null }>('/api/portal/announcements', { ...filters, cursor: pageParam, limit }, { signal });
      return { items: page.items.map(normaliseSummary), nextCursor: page.nextCursor ?? null } satisfies AnnouncementPage;
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAnnouncement(id: string | undefined) {
  return useQuery({
    queryKey: ['portal', 'announcement', id],
    enabled: !!id,
    queryFn: async () => {
      const a = await api.get<RawSummary & Partial<Omit<AnnouncementDetail, 'category'>> & { related?: LinkedAnnouncement | null }>(
        `/api/portal/announcements/${encodeURIComponent(id!)}`,
      );
      const links = [...(a.related ? [a.related] : []), ...(a.links ?? [])];
      return { ...normaliseSummary(a), bodyHtml: a.bodyHtml ?? '', attachments: a.attachments ?? [], links, changes: a.changes ?? [], ...(a.contentHash ? { contentHash: a.contentHash } : {}) } as AnnouncementDetail;
    },
  });
}

/** Where an attachment downloads from: the server's URL if it sends one, else the public file route. */
export function attachmentUrl(announcementId: string, a: AttachmentRef): string {
  return a.url ?? `/api/portal/announcements/${encodeURIComponent(announcementId)}/attachments/${encodeURIComponent(a.id)}`;
}

// ---- catalog ----

export interface Threshold {
  subject: string | null;
  amountFen: number;
}

export interface CatalogNode {
  code: string;
  name: string;
  nameEn: string;
  thresholds: Threshold[];
  procedures: string[];
  materials: { code: string; nameZh: string; nameEn: string; requiredWhen?: string }[];
  children: CatalogNode[];
}

export interface Catalog {
  version: string;
  title?: string;
  effectiveFrom: string | null;
  categories: CatalogNode[];
}

type RawNode = Partial<Omit<CatalogNode, 'children'>> & { nameZh?: string; children?: RawNode[] };

function normaliseNode(n: RawNode): CatalogNode {
  return {
    code: n.code ?? '',
    name: n.name ?? n.nameZh ?? n.code ?? '',
    nameEn: n.nameEn ?? n.name ?? n.code ?? '',
    thresholds: Array.isArray(n.thresholds) ? n.thresholds : [],
    procedures: Array.isArray(n.procedures) ? n.procedures : [],
    materials: Array.isArray(n.materials) ? n.materials : [],
    children: (n.children ?? []).map(normaliseNode),
  };
}

export interface CatalogEntryRow {
  code: string;
  parentCode: string | null;
  sortOrder?: number;
  nameZh: string;
  nameEn: string;
  industry?: string;
  thresholds?: Threshold[];
  procedures?: string[];
  materials?: CatalogNode['materials'];
  basis?: string;
}

export interface CatalogVersionSummary {
  id: string;
  versionNo: number;
  title: string;
  state: string;
  basedOn?: string | null;
  createdAt?: string;
  publishedAt?: string | null;
  commentUntil?: string | null;
  effectiveFrom: string | null;
}

/** Flat entries (parentCode) → tree, siblings in sortOrder then code. */
export function entriesToTree(entries: CatalogEntryRow[]): RawNode[] {
  const byParent = new Map<string | null, CatalogEntryRow[]>();
  const codes = new Set(entries.map((e) => e.code));
  for (const e of entries) {
    const parent = e.parentCode && codes.has(e.parentCode) ? e.parentCode : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), e]);
  }
  const build = (parent: string | null): RawNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.code.localeCompare(b.code))
      .map((e) => ({ ...e, name: e.nameZh, children: build(e.code) }));
  return build(null);
}

type RawCatalog = {
  version?: string | number | CatalogVersionSummary;
  versionNo?: number;
  title?: string;
  effectiveFrom?: string | null;
  categories?: RawNode[];
  entries?: CatalogEntryRow[];
};

/** Reads `{version:{…}, entries:[flat]}` (catalog module) as well as a ready-made `{categories:[tree]}`. */
export function normaliseCatalog(raw: RawCatalog): Catalog {
  const v = raw.version;
  const summary = v && typeof v === 'object' ? v : undefined;
  const tree = raw.categories ?? entriesToTree(raw.entries ?? []);
  const title = summary?.title ?? raw.title;
  return {
    version: String(summary ? summary.versionNo : (v ?? raw.versionNo ?? '')),
    ...(title ? { title } : {}),
    effectiveFrom: summary ? summary.effectiveFrom : (raw.effectiveFrom ?? null),
    categories: tree.map(normaliseNode),
  };
}

export function useCatalog() {
  return useQuery({
    queryKey: ['portal', 'catalog'],
    staleTime: 5 * 60_000,
    queryFn: async () => normaliseCatalog(await api.get<RawCatalog>('/api/catalog')),
  });
}

/** Flatten the tree into code → node for lookups (category names in lists). */
export function indexCatalog(categories: CatalogNode[]): Map<string, CatalogNode> {
  const m = new Map<string, CatalogNode>();
  const walk = (ns: CatalogNode[]) => ns.forEach((n) => (m.set(n.code, n), walk(n.children)));
  walk(categories);
  return m;
}

// ---- statistics ----

export interface Stats {
  totals: { announcements: number | null; projects: number | null; amountFen: number | null; last30: number | null };
  byType: { key: string; count: number }[];
  byCategory: { key: string; name?: { zh: string; en: string }; count: number; amountFen?: number }[];
  trend: { date: string; count: number }[];
}

type Bucket = { type?: string; category?: string; categoryCode?: string; code?: string; key?: string; count?: number; n?: number; amountFen?: number; name?: { zh: string; en: string } | string; nameEn?: string };

function buckets(raw: unknown): Bucket[] {
  if (Array.isArray(raw)) return raw as Bucket[];
  if (raw && typeof raw === 'object') return Object.entries(raw as Record<string, number>).map(([key, count]) => ({ key, count }));
  return [];
}

export function normaliseStats(raw: Record<string, unknown>): Stats {
  const totals = (raw.totals ?? {}) as Record<string, number | undefined>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const byType = buckets(raw.byType).map((b) => ({ key: b.type ?? b.key ?? b.code ?? '', count: b.count ?? b.n ?? 0 }));
  const byCategory = buckets(raw.byCategory).map((b) => ({
    key: b.categoryCode ?? b.category ?? b.code ?? b.key ?? '',
    ...(typeof b.name === 'object' && b.name ? { name: b.name } : typeof b.name === 'string' ? { name: { zh: b.name, en: b.nameEn ?? b.name } } : {}),
    count: b.count ?? b.n ?? 0,
    ...(typeof b.amountFen === 'number' ? { amountFen: b.amountFen } : {}),
  }));
  const trendRaw = (raw.last30Days ?? raw.trend ?? raw.daily ?? []) as { date?: string; day?: string; count?: number; n?: number }[];
  const trend = trendRaw.map((d) => ({ date: d.date ?? d.day ?? '', count: d.count ?? d.n ?? 0 }));
  return {
    totals: {
      announcements: num(totals.announcements ?? raw.total ?? raw.announcements) ?? byType.reduce((s, b) => s + b.count, 0),
      projects: num(totals.projects ?? raw.projects),
      amountFen: num(totals.amountFen ?? raw.amountFen),
      last30: num(totals.last30) ?? trend.reduce((s, d) => s + d.count, 0),
    },
    byType,
    byCategory,
    trend,
  };
}

export function useStats() {
  return useQuery({
    queryKey: ['portal', 'stats'],
    staleTime: 60_000,
    queryFn: async () => normaliseStats(await api.get<Record<string, unknown>>('/api/portal/stats')),
  });
}
