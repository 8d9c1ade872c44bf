import type { Actor } from '../../../platform/auth/actor';
import { assertOperator } from '../../../platform/auth/policies';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { appendLedger } from '../../../platform/ledger/append';
import { notify } from '../../../platform/notify/notify';
import { activeAccountsOfOrgs } from '../../../platform/notify/recipients';
import { emitEvent } from '../../../platform/outbox/emit';
import { getLots, getTender, isTenderOverseer, isTenderParty } from '../../tendering/index';
import { access, assertOperates, assertSupplier, negotiationNotFound } from '../negotiation.policy';
import { bumpNegotiation, getParticipant, objectionsOf, roundsOf, setParticipant } from '../negotiation.repo';
import { yuan } from '../negotiation.rules';
import { partyFile } from './rounds';
import { assertStage, concludeLot, load, operatorLink, partiesOf, record, supplierLink, tell, type Loaded } from './shared';

function singleSourceOnly(x: Loaded) {
  if (x.kind !== 'single_source') {
    throw new AppError('NEGOTIATION_SINGLE_SOURCE_ONLY', 409, '商定价格只适用于单一来源采购；竞争性谈判、磋商以最后报价为准', 'Agreed prices are for single-source procurement; negotiations end with final offers');
  }
}

export interface AgreementInput {
  priceFen: number;
  terms: string;
  recordFileId?: string;
}

/**
 * 单一来源: 采购人员与供应商商定合理的成交价格 (采购法 第三十九条; 74号令 第四十一条) — after at least one 协商 round whose
 * minutes are recorded (协商情况记录, 第四十二条: 协商日期和地点、采购人员名单、成本与同类合同价格、合同主要条款及价格商定情况,
 * signed by the purchaser's staff: the signed record goes in as `recordFileId`). A price above the budget is refused:
 * the procurement must then end (第四十三条（三）). The supplier confirms through its own account.
 */
export async function proposeAgreement(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, body: AgreementInput) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    await assertOperates(trx, actor, x);
    singleSourceOnly(x);
    assertStage(x, ['rounds'], { zh: '提出商定价格', en: 'propose the agreed price' });
    const [supplier] = (await trx.selectFrom('negotiation_participants').selectAll().where('lot_id', '=', x.lot.id).execute()).filter((p) => p.status === 'active');
    if (!supplier) throw Errors.conflict('NEGOTIATION_NO_SUPPLIERS', '供应商已不在协商中', 'The supplier is no longer taking part');
    if (!(await roundsOf(trx, x.lot.id)).length) {
      throw Errors.conflict('NEGOTIATION_NO_ROUNDS', '须先登记协商情况记录（财政部令第74号第四十二条）', 'Record the negotiation minutes first (74号令 art. 42)');
    }
    if (body.priceFen > x.lot.estimate_fen) {
      throw new AppError(
        'NEGOTIATION_OVER_BUDGET',
        409,
        `商定价格 ${yuan(body.priceFen)} 元超过采购预算 ${yuan(x.lot.estimate_fen)} 元：应当终止采购活动（财政部令第74号第四十三条）`,
        `The price exceeds the budget (${x.lot.estimate_fen} fen): the procurement must end (74号令 art. 43)`,
        'priceFen',
      );
    }
    const file = body.recordFileId ? await partyFile(trx, x, body.recordFileId, 'recordFileId') : null;
    await bumpNegotiation(
      trx,
      x.lot.id,
      { stage: 'agreement', agreed_price_fen: body.priceFen, agreed_terms: body.terms, agreement_record_file_id: file?.id ?? null, agreement_proposed_at: now, agreement_proposed_by: actor.accountId },
      now,
    );
    await record(trx, actor.accountId, x, 'negotiation.agreement_proposed', { bidderOrgId: supplier.bidder_org_id, priceFen: body.priceFen, recordSha256: file?.sha256 ?? null }, now);
    await tell(
      trx,
      [supplier.bidder_org_id],
      'negotiation.agreement_proposed',
      { zh: `请确认商定价格 ${yuan(body.priceFen)} 元：${x.tender.title} 标段${x.lot.lot_no}`, en: `Confirm the agreed price: ${x.tender.title} lot ${x.lot.lot_no}` },
      { zh: body.terms.slice(0, 500), en: 'The purchaser recorded the price and main terms agreed with you; confirm or decline them.' },
      supplierLink(x),
      now,
    );
  });
}

/**
 * The supplier confirms the agreed price and terms through its own account: the negotiation ends, the lot goes on to
 * evaluation with this price. Refused while an objection to the single-source publicity is open or was upheld
 * (74号令 第四十条: an upheld objection means another procurement method).
 */
export async function confirmAgreement(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    const orgId = await assertSupplier(trx, actor, x);
    singleSourceOnly(x);
    assertStage(x, ['agreement'], { zh: '确认商定价格', en: 'confirm the agreed price' });
    const objections = await objectionsOf(trx, x.tender.id);
    if (objections.some((o) => o.status === 'open')) {
      throw Errors.conflict('NEGOTIATION_OBJECTION_OPEN', '对单一来源公示的异议尚未处理，暂不能确定成交价格（财政部令第74号第四十条）', 'An objection to the single-source publicity is still open (74号令 art. 40)');
    }
    if (objections.some((o) => o.status === 'upheld')) {
      throw Errors.conflict('NEGOTIATION_OBJECTION_UPHELD', '对单一来源公示的异议成立，应当依法采取其他采购方式（财政部令第74号第四十条）', 'An objection to the single-source publicity was upheld: another procurement method is required (74号令 art. 40)');
    }
    const p = await getParticipant(trx, x.lot.id, orgId, true);
    if (!p || p.status !== 'active') throw Errors.conflict('NEGOTIATION_SUPPLIER_NOT_ACTIVE', '贵单位已不在协商中', 'You are no longer taking part');
    await setParticipant(trx, x.lot.id, orgId, { status: 'agreed', status_reason: null, final_price_fen: x.neg.agreed_price_fen }, now);
    await bumpNegotiation(trx, x.lot.id, { agreement_confirmed_at: now, agreement_confirmed_by: actor.accountId }, now);
    await record(trx, actor.accountId, x, 'negotiation.agreement_confirmed', { bidderOrgId: orgId, priceFen: x.neg.agreed_price_fen }, now);
    await concludeLot(trx, x, actor.accountId, now);
  });
}

/** The supplier declines the proposal: back to 协商 rounds (ledgered; the purchaser is told why). */
export async function declineAgreement(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, body: { reason: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    const orgId = await assertSupplier(trx, actor, x);
    singleSourceOnly(x);
    assertStage(x, ['agreement'], { zh: '拒绝商定价格', en: 'decline the agreed price' });
    await record(trx, actor.accountId, x, 'negotiation.agreement_declined', { bidderOrgId: orgId, priceFen: x.neg.agreed_price_fen, reason: body.reason }, now);
    await bumpNegotiation(
      trx,
      x.lot.id,
      { stage: 'rounds', agreed_price_fen: null, agreed_terms: null, agreement_record_file_id: null, agreement_proposed_at: null, agreement_proposed_by: null },
      now,
    );
    await tell(
      trx,
      partiesOf(x),
      'negotiation.agreement_declined',
      { zh: `供应商未确认商定价格：${x.tender.title} 标段${x.lot.lot_no}`, en: `The supplier declined the price: ${x.tender.title} lot ${x.lot.lot_no}` },
      { zh: body.reason.slice(0, 500), en: body.reason.slice(0, 500) },
      operatorLink(x),
      now,
    );
  });
}

// ---- Objections to the single-source publicity (74号令 第三十九条、第四十条) ----

async function singleSourceTender(db: Parameters<typeof getTender>[0], tenderId: string) {
  const t = await getTender(db, tenderId);
  if (!t || t.procedure_type !== 'single_source' || t.status !== 'published' || !t.published_at) throw negotiationNotFound();
  return t;
}

/**
 * 任何供应商、单位或者个人对采用单一来源采购方式公示有异议的，可以在公示期内将书面意见反馈给采购人、采购代理机构
 * (74号令 第三十九条). The publicity runs from publication to the response deadline (≥ 5 工作日 by the policy, 采购条例 第三十八条).
 * Any signed-in account may object; the purchaser and its agency are told. Late → NEGOTIATION_OBJECTION_CLOSED.
 */
export async function raiseObjection(ctx: AppContext, actor: Actor, tenderId: string, body: { text: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const t = await singleSourceTender(trx, tenderId);
    if (isTenderParty(actor, access(t))) throw Errors.forbidden('采购人、采购代理机构不能对本项目的公示提出异议', 'The purchaser and its agency cannot object to their own publicity');
    const ends = (await getLots(trx, t.id)).reduce((m, l) => (l.bid_deadline < m ? l.bid_deadline : m), new Date(8.64e15));
    if (now.getTime() < t.published_at!.getTime() || now.getTime() >= ends.getTime()) {
      throw new AppError('NEGOTIATION_OBJECTION_CLOSED', 409, '单一来源公示期已届满，不能再提出异议（财政部令第74号第三十九条）', 'The single-source publicity period has ended (74号令 art. 39)', undefined, { publicityEndsAt: ends.toISOString() });
    }
    const o = await trx
      .insertInto('single_source_objections')
      .values({ tender_id: t.id, objector_account_id: actor.accountId, objector_org_id: actor.orgId, body_text: body.text, raised_at: now, status: 'open', answer_text: null, answered_at: null, answered_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const payload = { tenderId: t.id, objectionId: o.id, objectorOrgId: actor.orgId };
    const e = await appendLedger(trx, { type: 'negotiation.single_source_objection', subjectType: 'tender', subjectId: t.id, actorId: actor.accountId, payload }, now);
    await emitEvent(trx, { type: 'negotiation.single_source_objection', payload, ledgerSeq: e.seq }, now);
    await notify(
      trx,
      {
        accountIds: await activeAccountsOfOrgs(trx, [t.owner_org_id, t.agency_org_id]),
        kind: 'negotiation.single_source_objection',
        title: { zh: `收到对单一来源公示的异议：${t.title}`, en: `Objection to the single-source publicity: ${t.title}` },
        body: { zh: body.text.slice(0, 500), en: 'Organise a supplementary review within 5 working days after the publicity ends (74号令 art. 40).' },
        link: `/workbench/tenders/${t.id}`,
      },
      now,
    );
    return { id: o.id, raisedAt: now.toISOString() };
  });
}

/**
 * 补充论证 (74号令 第四十条): the purchaser answers — upheld (another procurement method: terminate the lot through the
 * award module) or rejected with the review's opinion (reported to the finance department with the publicity).
 */
export async function answerObjection(ctx: AppContext, actor: Actor, objectionId: string, body: { decision: 'upheld' | 'rejected'; text: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const o = await trx.selectFrom('single_source_objections').selectAll().where('id', '=', objectionId).forUpdate().executeTakeFirst();
    if (!o) throw negotiationNotFound();
    const t = (await getTender(trx, o.tender_id, true))!;
    assertOperator(actor);
    if (!isTenderParty(actor, access(t))) {
      if (isTenderOverseer(actor, access(t))) throw new AppError('NEGOTIATION_NOT_OPERATOR', 403, '只有采购人或其委托的采购代理机构可以答复异议', 'Only the purchaser or its agency may answer');
      throw negotiationNotFound();
    }
    if (o.status !== 'open') throw Errors.conflict('NEGOTIATION_OBJECTION_ANSWERED', '该异议已答复', 'This objection has been answered');
    await trx.updateTable('single_source_objections').set({ status: body.decision, answer_text: body.text, answered_at: now, answered_by: actor.accountId }).where('id', '=', o.id).execute();
    const payload = { tenderId: t.id, objectionId: o.id, decision: body.decision };
    const e = await appendLedger(trx, { type: 'negotiation.single_source_objection_answered', subjectType: 'tender', subjectId: t.id, actorId: actor.accountId, payload }, now);
    await emitEvent(trx, { type: 'negotiation.single_source_objection_answered', payload, ledgerSeq: e.seq }, now);
    await notify(
      trx,
      {
        accountIds: [o.objector_account_id],
        kind: 'negotiation.single_source_objection_answered',
        title: { zh: `异议答复：${t.title}`, en: `Answer to your objection: ${t.title}` },
        body: { zh: `${body.decision === 'upheld' ? '异议成立，将依法采取其他采购方式。' : '经补充论证，异议不成立。'}${body.text.slice(0, 400)}`, en: body.decision === 'upheld' ? 'Upheld: another procurement method will be used.' : 'Rejected after a supplementary review.' },
        link: null,
      },
      now,
    );
    return { status: body.decision, answeredAt: now.toISOString() };
  });
}

/** Parties and overseers read every objection (with the objector); an objector reads its own; anyone else 404. */
export async function listObjections(ctx: AppContext, actor: Actor, tenderId: string) {
  const t = await singleSourceTender(ctx.db, tenderId);
  const full = isTenderParty(actor, access(t)) || isTenderOverseer(actor, access(t));
  const rows = (await objectionsOf(ctx.db, t.id)).filter((o) => full || o.objector_account_id === actor.accountId || (actor.orgId && o.objector_org_id === actor.orgId));
  if (!full && !rows.length) throw negotiationNotFound();
  return rows.map((o) => ({
    id: o.id,
    objector: full ? (o.org_name ?? o.display_name) : null,
    mine: o.objector_account_id === actor.accountId || (!!actor.orgId && o.objector_org_id === actor.orgId),
    text: o.body_text,
    raisedAt: o.raised_at.toISOString(),
    status: o.status,
    answer: o.answer_text,
    answeredAt: o.answered_at?.toISOString() ?? null,
  }));
}
