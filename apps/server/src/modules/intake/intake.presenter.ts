import { Type } from 'typebox';
import { shanghaiDate } from '../../platform/calendar/index';
import type { CatalogEntry } from '../catalog/index';
import { isOverdue, projectCode, type ReturnItem } from './intake.rules';
import type { ProjectRow } from './intake.repo';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

export const ProjectSummarySchema = Type.Object({
  id: Str,
  code: Str,
  name: Str,
  status: Str,
  catalogCode: Str,
  procedureType: Str,
  regionCode: Str,
  industry: Str,
  estimateFen: Type.Integer(),
  mandatory: Type.Boolean(),
  ownerOrgId: Str,
  agencyOrgId: Nullable(Str),
  greenChannelRequested: Type.Boolean(),
  submittedAt: Nullable(Str),
  dueAt: Nullable(Str),
  overdue: Type.Boolean(),
  createdAt: Str,
  updatedAt: Str,
});

const ReturnItemSchema = Type.Object({ code: Str, note: Str });

export const ProjectDetailSchema = Type.Object({
  ...ProjectSummarySchema.properties,
  subject: Nullable(Str),
  thresholdFen: Nullable(Type.Integer()),
  catalog: Type.Object({ versionId: Str, code: Str, nameZh: Str, nameEn: Str }),
  ownerOrgName: Str,
  agencyOrgName: Nullable(Str),
  greenChannelReason: Nullable(Str),
  submitCount: Type.Integer(),
  decidedAt: Nullable(Str),
  lots: Type.Array(Type.Object({ seq: Type.Integer(), name: Str, estimateFen: Type.Integer() })),
  materials: Type.Array(
    Type.Object({ code: Str, nameZh: Str, nameEn: Str, required: Type.Boolean(), fileId: Nullable(Str), suppliedAt: Nullable(Str) }),
  ),
  returns: Type.Array(Type.Object({ round: Type.Integer(), items: Type.Array(ReturnItemSchema), returnedAt: Str })),
  pendingItems: Type.Array(Type.Object({ code: Str, dueDate: Str, suppliedAt: Nullable(Str), fileId: Nullable(Str), overdue: Type.Boolean() })),
  pendingOpen: Type.Integer(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Row = Omit<ProjectRow, 'owner_name' | 'agency_name'>;

export function presentSummary(p: Row, now: Date) {
  return {
    id: p.id,
    code: projectCode(p.serial_no),
    name: p.name,
    status: p.status,
    catalogCode: p.catalog_code,
    procedureType: p.procedure_type,
    regionCode: p.region_code,
    industry: p.industry,
    estimateFen: p.estimate_fen,
    mandatory: p.mandatory,
    ownerOrgId: p.owner_org_id,
    agencyOrgId: p.agency_org_id,
    greenChannelRequested: p.green_channel_requested,
    submittedAt: iso(p.submitted_at),
    dueAt: iso(p.due_at),
    overdue: isOverdue({ status: p.status, dueAt: p.due_at }, now),
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

export interface DetailParts {
  entry: CatalogEntry | undefined;
  lots: { seq: number; name: string; estimate_fen: number }[];
  materials: { code: string; file_id: string; supplied_at: Date }[];
  returns: { round: number; items: ReturnItem[]; returnedAt: Date }[];
  pending: { code: string; due_date: string; supplied_at: Date | null; file_id: string | null }[];
}

export function presentDetail(p: ProjectRow, parts: DetailParts, now: Date) {
  const viaAgency = p.agency_org_id !== null;
  const specs = parts.entry?.materials ?? [];
  const given = new Map(parts.materials.map((m) => [m.code, m]));
  const materials = specs
    .filter((s) => s.requiredWhen === 'always' || viaAgency)
    .map((s) => ({ code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, required: true, fileId: given.get(s.code)?.file_id ?? null, suppliedAt: iso(given.get(s.code)?.supplied_at ?? null) }));
  // Files given for codes the entry does not list as required (e.g. 委托代理合同 from a tenderer) are still shown.
  for (const m of parts.materials) {
    if (!materials.some((x) => x.code === m.code)) {
      const s = specs.find((x) => x.code === m.code);
      materials.push({ code: m.code, nameZh: s?.nameZh ?? m.code, nameEn: s?.nameEn ?? m.code, required: false, fileId: m.file_id, suppliedAt: m.supplied_at.toISOString() });
    }
  }
  return {
    ...presentSummary(p, now),
    subject: p.subject,
    thresholdFen: p.threshold_fen,
    catalog: { versionId: p.catalog_version_id, code: p.catalog_code, nameZh: parts.entry?.nameZh ?? p.catalog_code, nameEn: parts.entry?.nameEn ?? p.catalog_code },
    ownerOrgName: p.owner_name,
    agencyOrgName: p.agency_name ?? null,
    greenChannelReason: p.green_channel_reason,
    submitCount: p.submit_count,
    decidedAt: iso(p.decided_at),
    lots: parts.lots.map((l) => ({ seq: l.seq, name: l.name, estimateFen: l.estimate_fen })),
    materials,
    returns: parts.returns.map((r) => ({ round: r.round, items: r.items, returnedAt: r.returnedAt.toISOString() })),
    // A pending item is late once its due date (a Beijing calendar date) has passed without the file.
    pendingItems: parts.pending.map((x) => ({ code: x.code, dueDate: x.due_date, suppliedAt: iso(x.supplied_at), fileId: x.file_id, overdue: !x.supplied_at && x.due_date < shanghaiDate(now) })),
    pendingOpen: parts.pending.filter((x) => !x.supplied_at).length,
  };
}
