import { Type } from 'typebox';
import { PROCEDURE_TYPES, SUBJECTS, versionState, type CatalogEntry } from './catalog.rules';
import type { CommentRow, VersionRow } from './catalog.repo';

const Subject = Type.Union(SUBJECTS.map((s) => Type.Literal(s)));
export const ProcedureTypeSchema = Type.Union(PROCEDURE_TYPES.map((p) => Type.Literal(p)));

export const ThresholdSchema = Type.Object(
  { subject: Type.Union([Subject, Type.Null()]), amountFen: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000 }) },
  { additionalProperties: false },
);
export const MaterialSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,40}$' }),
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    requiredWhen: Type.Union([Type.Literal('always'), Type.Literal('agency')]),
  },
  { additionalProperties: false },
);
export const EntryCodePattern = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?$';

export const EntrySchema = Type.Object({
  code: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  sortOrder: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  industry: Type.String(),
  thresholds: Type.Array(ThresholdSchema),
  procedures: Type.Array(Type.String()),
  materials: Type.Array(MaterialSchema),
  basis: Type.String(),
});

export const VersionSummarySchema = Type.Object({
  id: Type.String(),
  versionNo: Type.Integer(),
  title: Type.String(),
  state: Type.Union(['draft', 'commenting', 'scheduled', 'in_force', 'superseded'].map((s) => Type.Literal(s))),
  basedOn: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  commentUntil: Type.Union([Type.String(), Type.Null()]),
  effectiveFrom: Type.Union([Type.String(), Type.Null()]),
});

export const CommentSchema = Type.Object({
  id: Type.String(),
  entryCode: Type.Union([Type.String(), Type.Null()]),
  authorName: Type.String(),
  orgName: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  createdAt: Type.String(),
});

export const VersionDetailSchema = Type.Object({
  version: VersionSummarySchema,
  entries: Type.Array(EntrySchema),
  comments: Type.Array(CommentSchema),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentVersion(v: VersionRow, inForceId: string | undefined, now: Date) {
  return {
    id: v.id,
    versionNo: v.versionNo,
    title: v.title,
    state: versionState(v, inForceId, now),
    basedOn: v.basedOn,
    createdAt: v.createdAt.toISOString(),
    publishedAt: iso(v.publishedAt),
    commentUntil: iso(v.commentUntil),
    effectiveFrom: iso(v.effectiveFrom),
  };
}

export function presentEntry(e: CatalogEntry) {
  return { ...e };
}

export function presentComment(c: CommentRow) {
  return { ...c, createdAt: c.createdAt.toISOString() };
}
