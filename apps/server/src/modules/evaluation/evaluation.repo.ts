import type { DbOrTx } from '../../platform/db/database';
import { AppError, Errors } from '../../platform/http/errors';
import { effectivePolicy, engine, getLotById, getTender, type LotRow, type ProcedurePolicy, type TenderRow } from '../tendering/index';
import { validBidsOf, type ValidBid } from '../award/index';
import type { Template } from './evaluation.rules';
import './evaluation.tables';

export const evalErrors = {
  lotNotFound: () => Errors.notFound('Lot', '标段'),
  noCommittee: () => new AppError('EVAL_NO_COMMITTEE', 404, '该标段没有电子评标委员会', 'This lot has no electronic evaluation committee'),
  notMember: () => new AppError('EVAL_NOT_MEMBER', 403, '只有本标段评标委员会的成员可以进入评标工作区', 'Only members of this lot’s committee may use the workspace'),
  notChair: () => new AppError('EVAL_NOT_CHAIR', 403, '只有评标委员会主任（组长）可以办理', 'Only the committee chair may do this'),
  stage: (stage: string, zh: string, en: string) =>
    new AppError('EVAL_WRONG_STAGE', 409, `评标当前阶段为 ${stage}，不能${zh}`, `The evaluation is at stage ${stage}: cannot ${en}`, 'stage', { stage }),
  sealed: () =>
    new AppError(
      'EVAL_SCORES_SEALED',
      403,
      '提交本人评分之前不能查看其他评委的评分',
      'You cannot see the other members’ scores before submitting your own',
    ),
};

export interface LotContext {
  tender: TenderRow;
  lot: LotRow;
  policy: ProcedurePolicy;
}

/** Tender then lot, in the tendering module's lock order. */
export async function loadLot(db: DbOrTx, lotId: string, forUpdate = false): Promise<LotContext> {
  if (!/^[0-9a-f-]{36}$/i.test(lotId)) throw evalErrors.lotNotFound();
  const peek = await getLotById(db, lotId);
  if (!peek) throw evalErrors.lotNotFound();
  const tender = await getTender(db, peek.tender_id, forUpdate);
  if (!tender || !engine.isTenderingProcedure(tender.procedure_type)) throw evalErrors.lotNotFound();
  const lot = forUpdate ? (await getLotById(db, lotId, true))! : peek;
  return { tender, lot, policy: await effectivePolicy(db, tender.procedure_type) };
}

export async function templateOf(db: DbOrTx, lotId: string): Promise<Template | null> {
  const r = await db.selectFrom('eval_templates').select('template').where('lot_id', '=', lotId).executeTakeFirst();
  return r ? (r.template as Template) : null;
}

export async function committeeOf(db: DbOrTx, lotId: string, forUpdate = false) {
  let q = db.selectFrom('eval_committees').selectAll().where('lot_id', '=', lotId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type CommitteeRow = NonNullable<Awaited<ReturnType<typeof committeeOf>>>;

export async function membersOf(db: DbOrTx, committeeId: string) {
  return db
    .selectFrom('eval_members as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .leftJoin('experts as e', 'e.id', 'm.expert_id')
    .select(['m.account_id', 'm.expert_id', 'm.kind', 'm.seat', 'm.chair', 'm.reviewed_at', 'm.submitted_at', 'm.signed_at', 'm.signature_sha256', 'm.fee_fen', 'a.display_name', 'e.name as expert_name'])
    .where('m.committee_id', '=', committeeId)
    .orderBy('m.seat')
    .execute();
}
export type MemberRow = Awaited<ReturnType<typeof membersOf>>[number];

export async function lotBids(db: DbOrTx, c: LotContext): Promise<ValidBid[]> {
  return (await validBidsOf(db, { tenderId: c.tender.id, lotId: c.lot.id, lotNo: c.lot.lot_no })).bids;
}

export async function orgNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
