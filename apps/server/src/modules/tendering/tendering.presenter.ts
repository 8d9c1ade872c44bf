import { Type } from 'typebox';
import type { ProcedurePolicy } from './policies/types';
import type { getCustodians, getDocuments, getInvitations, LotRow, ObjectionRow, TenderRow } from './tendering.repo';

/**
 * Row → DTO, applying the secrecy rules (DOMAIN §7): nothing here ever counts or names who obtained the documents;
 * an objector is named only when `secretsOpen`; a question's asker never (only `mine` for the asker itself).
 */
const Iso = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const LotSchema = Type.Object({
  lotNo: Type.Integer(),
  name: Type.String(),
  estimateFen: Type.Integer(),
  depositFen: Type.Integer(),
  bidDeadline: Iso,
  openingAt: Iso,
  status: Type.String(),
  deadlineHeld: Type.Boolean(),
});
export const DocumentSchema = Type.Object({
  seq: Type.Integer(),
  name: Type.String(),
  sha256: Type.String(),
  size: Type.Integer(),
  mime: Type.String(),
  clarificationId: Nullable(Type.String()),
  /** Download id (GET /api/files/:id): for the parties, overseers and bidders that obtained the documents. */
  fileId: Nullable(Type.String()),
});
export const TenderSchema = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  procedureType: Type.String(),
  procedureName: Type.Object({ zh: Type.String(), en: Type.String() }),
  title: Type.String(),
  status: Type.String(),
  plannedPublishAt: Iso,
  publishedAt: Nullable(Iso),
  noticeId: Nullable(Type.String()),
  paused: Type.Boolean(),
  lots: Type.Array(LotSchema),
  documents: Type.Array(DocumentSchema),
  escrow: Type.Object({
    k: Type.Integer(),
    custodians: Type.Array(Type.Object({ accountId: Type.String(), kind: Type.String(), displayName: Type.String() })),
  }),
  invitedOrgs: Nullable(Type.Array(Type.Object({ orgId: Type.String(), name: Type.String() }))),
  obtainedByMe: Nullable(Type.Object({ obtainedAt: Iso })),
});
export const PublicTenderSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  procedureType: Type.String(),
  procedureName: Type.Object({ zh: Type.String(), en: Type.String() }),
  publishedAt: Iso,
  noticeId: Nullable(Type.String()),
  lots: Type.Array(Type.Omit(LotSchema, ['estimateFen', 'deadlineHeld'])),
  documents: Type.Array(Type.Object({ name: Type.String(), sha256: Type.String(), size: Type.Integer() })),
});
export const QuestionSchema = Type.Object({
  id: Type.String(),
  text: Type.String(),
  askedAt: Iso,
  clarificationId: Nullable(Type.String()),
  mine: Type.Boolean(),
});
export const ClarificationSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  text: Type.String(),
  publishedAt: Iso,
  deadlineChanges: Type.Array(Type.Object({ lotNo: Type.Integer(), from: Type.String(), to: Type.String() })),
  changeNoticeId: Nullable(Type.String()),
});
export const ObjectionSchema = Type.Object({
  id: Type.String(),
  lotNo: Nullable(Type.Integer()),
  text: Type.String(),
  raisedAt: Iso,
  answerDueAt: Iso,
  status: Type.String(),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Iso),
  overdue: Type.Boolean(),
  mine: Type.Boolean(),
  /** null until every lot has passed its bid deadline (the objector obtained the documents: §7). */
  objector: Nullable(Type.Object({ orgId: Type.String(), name: Type.String() })),
  deadlineChanges: Type.Array(Type.Object({ lotNo: Type.Integer(), from: Type.String(), to: Type.String() })),
});

type Docs = Awaited<ReturnType<typeof getDocuments>>;
type Viewer = { full: boolean; mayDownload: boolean; obtainedAt: Date | null };

export function presentLot(l: LotRow) {
  return {
    lotNo: l.lot_no,
    name: l.name,
    estimateFen: l.estimate_fen,
    depositFen: l.deposit_fen,
    bidDeadline: l.bid_deadline.toISOString(),
    openingAt: l.opening_at.toISOString(),
    status: l.status,
    deadlineHeld: !!l.deadline_held_at,
  };
}

export function presentTender(
  t: TenderRow,
  x: {
    lots: LotRow[];
    docs: Docs;
    custodians: Awaited<ReturnType<typeof getCustodians>>;
    invitations: Awaited<ReturnType<typeof getInvitations>>;
    policy: ProcedurePolicy;
    openObjections: number;
  },
  v: Viewer,
) {
  return {
    id: t.id,
    projectId: t.project_id,
    procedureType: t.procedure_type,
    procedureName: { zh: x.policy.nameZh, en: x.policy.nameEn },
    title: t.title,
    status: t.status,
    plannedPublishAt: t.planned_publish_at.toISOString(),
    publishedAt: t.published_at?.toISOString() ?? null,
    noticeId: t.notice_id,
    paused: x.openObjections > 0,
    lots: x.lots.map(presentLot),
    documents: x.docs.map((d) => ({
      seq: d.seq,
      name: d.original_name,
      sha256: d.sha256,
      size: d.size,
      mime: d.mime,
      clarificationId: d.clarification_id,
      fileId: v.mayDownload ? d.file_id : null,
    })),
    escrow: {
      k: t.escrow_k,
      custodians: x.custodians.map((c) => ({ accountId: c.account_id, kind: c.kind, displayName: c.display_name })),
    },
    invitedOrgs: v.full ? x.invitations.map((i) => ({ orgId: i.org_id, name: i.name })) : null,
    obtainedByMe: v.obtainedAt ? { obtainedAt: v.obtainedAt.toISOString() } : null,
  };
}

export function presentPublic(t: TenderRow, lots: LotRow[], docs: Docs, policy: ProcedurePolicy) {
  return {
    id: t.id,
    title: t.title,
    procedureType: t.procedure_type,
    procedureName: { zh: policy.nameZh, en: policy.nameEn },
    publishedAt: t.published_at!.toISOString(),
    noticeId: t.notice_id,
    lots: lots.map((l) => ({
      lotNo: l.lot_no,
      name: l.name,
      depositFen: l.deposit_fen,
      bidDeadline: l.bid_deadline.toISOString(),
      openingAt: l.opening_at.toISOString(),
      status: l.status,
    })),
    documents: docs.map((d) => ({ name: d.original_name, sha256: d.sha256, size: d.size })),
  };
}

export function presentObjection(
  o: ObjectionRow,
  now: Date,
  opts: { myOrgId: string | null; secretsOpen: boolean; objectorName: string | null },
) {
  return {
    id: o.id,
    lotNo: o.lot_no,
    text: o.body_text,
    raisedAt: o.raised_at.toISOString(),
    answerDueAt: o.answer_due_at.toISOString(),
    status: o.status,
    answer: o.answer_text,
    answeredAt: o.answered_at?.toISOString() ?? null,
    overdue:
      !!o.overdue_flagged_at ||
      (o.status === 'open' && now.getTime() > o.answer_due_at.getTime()) ||
      (!!o.answered_at && o.answered_at > o.answer_due_at),
    mine: !!opts.myOrgId && opts.myOrgId === o.objector_org_id,
    objector: opts.secretsOpen && opts.objectorName !== null ? { orgId: o.objector_org_id, name: opts.objectorName } : null,
    deadlineChanges: o.deadline_changes,
  };
}
