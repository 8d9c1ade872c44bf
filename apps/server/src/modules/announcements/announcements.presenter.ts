import { Type } from 'typebox';
import type { AnnouncementRef, AnnouncementType, PortalAnnouncementDetail, PortalAnnouncementItem, WorkbenchAnnouncement } from '@yiwang/contracts';
import { ANNOUNCEMENT_STATUSES, ANNOUNCEMENT_TYPES } from '@yiwang/contracts';
import type { AnnouncementRow } from './announcements.repo';
import { highlight, snippet } from './search-tokens';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const TypeSchema = Type.Union(ANNOUNCEMENT_TYPES.map((t) => Type.Literal(t)));
const Segments = Type.Array(Type.Object({ text: Type.String(), match: Type.Boolean() }));

export const WorkbenchSchema = Type.Object({
  id: Type.String(), type: TypeSchema, title: Type.String(), categoryCode: Type.String(), regionCode: Type.String(), projectId: Nullable(Type.String()),
  bodyHtml: Type.String(), attachmentIds: Type.Array(Type.String()), publisherOrgId: Type.String(), publisherName: Type.String(), relatedId: Nullable(Type.String()),
  status: Type.Union(ANNOUNCEMENT_STATUSES.map((s) => Type.Literal(s))), rejectReason: Nullable(Type.String()), createdAt: Type.String(), updatedAt: Type.String(),
  submittedAt: Nullable(Type.String()), publishedAt: Nullable(Type.String()), contentHash: Nullable(Type.String()),
});

export const RefSchema = Type.Object({ id: Type.String(), type: TypeSchema, title: Type.String(), publishedAt: Type.String() });

export const PortalItemSchema = Type.Object({
  id: Type.String(), type: TypeSchema, title: Type.String(), categoryCode: Type.String(), regionCode: Type.String(), publisherOrgId: Type.String(),
  publisherName: Type.String(), projectId: Nullable(Type.String()), relatedId: Nullable(Type.String()), publishedAt: Type.String(),
  highlight: Type.Optional(Type.Object({ title: Segments, snippet: Segments })),
});

export const PortalDetailSchema = Type.Object({
  ...Type.Omit(PortalItemSchema, ['highlight']).properties,
  bodyHtml: Type.String(),
  attachments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), size: Type.Integer(), mime: Type.String(), sha256: Type.String(), url: Type.String() })),
  contentHash: Type.String(),
  ledgerSeq: Type.Integer(),
  related: Nullable(RefSchema),
  changes: Type.Array(RefSchema),
});

export function workbenchView(r: NonNullable<AnnouncementRow>): WorkbenchAnnouncement {
  return {
    id: r.id, type: r.type as AnnouncementType, title: r.title, categoryCode: r.category_code, regionCode: r.region_code, projectId: r.project_id,
    bodyHtml: r.body_html, attachmentIds: r.attachment_ids, publisherOrgId: r.publisher_org_id, publisherName: r.publisher_name, relatedId: r.related_id,
    status: r.status, rejectReason: r.reject_reason, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    submittedAt: iso(r.submitted_at), publishedAt: iso(r.published_at), contentHash: r.content_hash,
  };
}

export interface ListRow {
  id: string; type: string; title: string; category_code: string; region_code: string; publisher_org_id: string; related_id: string | null;
  project_id: string | null; published_at: Date | null;
  /** Only read (for the snippet) when there are search terms; the plain list does not fetch it. */
  body_text?: string;
  publisher_name?: string;
}

export function portalItem(r: ListRow, publisherName: string, terms?: string[]): PortalAnnouncementItem {
  return {
    id: r.id, type: r.type as AnnouncementType, title: r.title, categoryCode: r.category_code, regionCode: r.region_code, publisherOrgId: r.publisher_org_id,
    publisherName, projectId: r.project_id, relatedId: r.related_id, publishedAt: r.published_at!.toISOString(),
    ...(terms?.length ? { highlight: { title: highlight(r.title, terms), snippet: snippet(r.body_text ?? '', terms) } } : {}),
  };
}

export function portalDetail(r: NonNullable<AnnouncementRow>, related: AnnouncementRef | null, changes: AnnouncementRef[], attachments: PortalAnnouncementDetail['attachments']): PortalAnnouncementDetail {
  return {
    ...portalItem({ ...r }, r.publisher_name),
    bodyHtml: r.body_html,
    attachments,
    contentHash: r.content_hash!,
    ledgerSeq: r.publish_seq!,
    related,
    changes,
  };
}
