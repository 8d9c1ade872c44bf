import { createHash } from 'node:crypto';
import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { AppError, Errors } from '../../../platform/http/errors';
import { assertOperates, assertSupplier, type Located } from '../negotiation.policy';
import { getParticipant, participantsOf, roundsOf, setParticipant } from '../negotiation.repo';
import { roundNoProblem } from '../negotiation.rules';
import { assertStage, KIND_ZH, load, partiesOf, record, refundLeaver, supplierLink, operatorLink, tell, type Loaded } from './shared';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** A file named in a command must be an upload of the purchaser or its agency (not someone else's upload id). */
export async function partyFile(db: DbOrTx, l: Located, fileId: string, field: string): Promise<{ id: string; sha256: string }> {
  const f = await db.selectFrom('file_uploads').select(['id', 'sha256', 'org_id']).where('id', '=', fileId).executeTakeFirst();
  if (!f || (f.org_id !== l.tender.owner_org_id && f.org_id !== l.tender.agency_org_id)) {
    throw Errors.validation(field, '文件不存在或不是采购人/采购代理机构上传的', 'The file does not exist or was not uploaded by the purchaser or its agency', 'NEGOTIATION_FILE_UNKNOWN');
  }
  return { id: f.id, sha256: f.sha256 };
}

/** The participant a command names; 400 if it is not one, 409 if it is out of the procedure. */
async function activeParticipant(db: DbOrTx, x: Loaded, orgId: string) {
  const p = await getParticipant(db, x.lot.id, orgId, true);
  if (!p) throw Errors.validation('bidderOrgId', '该供应商未参加本标段的谈判（磋商、协商）', 'This supplier is not taking part in this negotiation', 'NEGOTIATION_SUPPLIER_UNKNOWN');
  if (p.status !== 'active') {
    throw new AppError('NEGOTIATION_SUPPLIER_NOT_ACTIVE', 409, `该供应商已不在谈判中（${p.status}）`, `This supplier is no longer in the negotiation (${p.status})`, 'bidderOrgId');
  }
  return p;
}

export interface RoundInput {
  roundNo: number;
  bidderOrgId: string;
  heldAt?: string;
  minutesText?: string;
  minutesFileId?: string;
}

/**
 * 谈判小组所有成员集中与单一供应商分别进行谈判 (采购法 第三十八条（四）; 74号令 第三十一条; 214号文 第十九条; 单一来源 协商,
 * 74号令 第四十一条): the agency records one round with one supplier — its written minutes as text, a file, or both.
 * Rounds are numbered without gaps. The supplier is told (and sees only its own minutes).
 */
export async function recordRound(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, body: RoundInput) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    await assertOperates(trx, actor, x);
    assertStage(x, ['rounds'], { zh: '登记谈判记录', en: 'record a round' });
    await activeParticipant(trx, x, body.bidderOrgId);
    const text = body.minutesText?.trim() || null;
    if (!text && !body.minutesFileId) {
      throw Errors.validation('minutesText', '须填写谈判记录或上传记录文件（书面记录）', 'Give the minutes as text or as a file', 'NEGOTIATION_MINUTES_REQUIRED');
    }
    const file = body.minutesFileId ? await partyFile(trx, x, body.minutesFileId, 'minutesFileId') : null;
    const highest = (await roundsOf(trx, x.lot.id)).reduce((m, r) => Math.max(m, r.round_no), 0);
    const problem = roundNoProblem(body.roundNo, highest);
    if (problem) throw Errors.validation('roundNo', `轮次须从 1 起连续编号（当前最大为第 ${highest} 轮）`, `Rounds are numbered 1, 2, … without gaps (${problem})`, 'NEGOTIATION_ROUND_NO_INVALID');
    const heldAt = body.heldAt ? new Date(body.heldAt) : now;
    if (heldAt.getTime() > now.getTime() || heldAt.getTime() < x.neg.started_at.getTime() - 60_000) {
      throw Errors.validation('heldAt', '谈判时间须在谈判阶段开始之后、不晚于现在', 'The round must be held after the negotiation started and not in the future', 'NEGOTIATION_HELD_AT_INVALID');
    }
    const dup = await trx
      .selectFrom('negotiation_rounds')
      .select('id')
      .where('lot_id', '=', x.lot.id)
      .where('round_no', '=', body.roundNo)
      .where('bidder_org_id', '=', body.bidderOrgId)
      .executeTakeFirst();
    if (dup) throw Errors.conflict('NEGOTIATION_ROUND_EXISTS', `与该供应商的第 ${body.roundNo} 轮记录已登记`, `Round ${body.roundNo} with this supplier is already recorded`, 'roundNo');
    const row = await trx
      .insertInto('negotiation_rounds')
      .values({ lot_id: x.lot.id, round_no: body.roundNo, bidder_org_id: body.bidderOrgId, held_at: heldAt, minutes_text: text, minutes_file_id: file?.id ?? null, recorded_by: actor.accountId, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The minutes stay out of the ledger payload; their hashes bind them.
    await record(trx, actor.accountId, x, 'negotiation.round_recorded', { roundId: row.id, roundNo: body.roundNo, bidderOrgId: body.bidderOrgId, heldAt: heldAt.toISOString(), textSha256: text ? sha(text) : null, fileSha256: file?.sha256 ?? null }, now);
    const what = KIND_ZH[x.kind];
    await tell(
      trx,
      [body.bidderOrgId],
      'negotiation.round_recorded',
      { zh: `第 ${body.roundNo} 轮${what}记录已登记：${x.tender.title} 标段${x.lot.lot_no}`, en: `Minutes of round ${body.roundNo} recorded: ${x.tender.title} lot ${x.lot.lot_no}` },
      { zh: `${what}小组已登记与贵单位第 ${body.roundNo} 轮${what}的书面记录，请查阅。`, en: 'The panel recorded the minutes of your round; please read them.' },
      supplierLink(x),
      now,
    );
    return { id: row.id };
  });
}

export interface ChangeInput {
  text: string;
  fileId?: string;
  purchaserConfirmed: boolean;
}

/**
 * 实质性变动 (74号令 第三十二条; 214号文 第二十条): the panel may change the technical or service requirements and the draft
 * contract terms in writing, confirmed by the purchaser's representative, notifying every supplier still taking part at
 * the same time. Recorded with its recipients (each sees the notice in its inbox and on its negotiation page and may
 * acknowledge it); the suppliers answer with their final offers (response documents may go inside the sealed offer).
 */
export async function issueChange(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, body: ChangeInput) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    await assertOperates(trx, actor, x);
    notSingleSource(x, { zh: '发出变更通知', en: 'issue change notices' });
    assertStage(x, ['rounds'], { zh: '发出变更通知', en: 'issue a change notice' });
    if (!body.purchaserConfirmed) {
      throw Errors.validation('purchaserConfirmed', '实质性变动的内容须经采购人代表确认（财政部令第74号第三十二条）', 'A material change must be confirmed by the purchaser’s representative', 'NEGOTIATION_CHANGE_UNCONFIRMED');
    }
    const file = body.fileId ? await partyFile(trx, x, body.fileId, 'fileId') : null;
    const active = (await participantsOf(trx, x.lot.id)).filter((p) => p.status === 'active');
    if (!active.length) throw Errors.conflict('NEGOTIATION_NO_SUPPLIERS', '没有仍在谈判中的供应商', 'No supplier is still taking part');
    const seq = (await trx.selectFrom('negotiation_changes').select((eb) => eb.fn.max('seq').as('m')).where('lot_id', '=', x.lot.id).executeTakeFirst())?.m ?? 0;
    const change = await trx
      .insertInto('negotiation_changes')
      .values({ lot_id: x.lot.id, seq: Number(seq) + 1, body_text: body.text, file_id: file?.id ?? null, purchaser_confirmed: true, issued_by: actor.accountId, issued_at: now })
      .returning(['id', 'seq'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('negotiation_change_recipients')
      .values(active.map((p) => ({ change_id: change.id, lot_id: x.lot.id, bidder_org_id: p.bidder_org_id, delivered_at: now, acknowledged_at: null, acknowledged_by: null })))
      .execute();
    await record(trx, actor.accountId, x, 'negotiation.change_issued', { changeId: change.id, seq: change.seq, textSha256: sha(body.text), fileSha256: file?.sha256 ?? null, recipients: active.map((p) => p.bidder_org_id) }, now);
    for (const p of active) {
      await tell(
        trx,
        [p.bidder_org_id],
        'negotiation.change_issued',
        { zh: `书面变更通知（第 ${change.seq} 号）：${x.tender.title} 标段${x.lot.lot_no}`, en: `Written change notice no. ${change.seq}: ${x.tender.title} lot ${x.lot.lot_no}` },
        { zh: body.text.slice(0, 500), en: 'The panel changed the requirements or contract terms in writing; read the notice and answer in your final offer.' },
        supplierLink(x),
        now,
      );
    }
    return { id: change.id, seq: change.seq, recipients: active.length };
  });
}

/** A supplier confirms it received a change notice (recorded; the panel sees who has). */
export async function acknowledgeChange(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, changeId: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    const orgId = await assertSupplier(trx, actor, x);
    const r = await trx.selectFrom('negotiation_change_recipients').selectAll().where('change_id', '=', changeId).where('bidder_org_id', '=', orgId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', 404, '变更通知不存在', 'Change notice not found');
    if (r.acknowledged_at) return { acknowledgedAt: r.acknowledged_at.toISOString() };
    await trx.updateTable('negotiation_change_recipients').set({ acknowledged_at: now, acknowledged_by: actor.accountId }).where('change_id', '=', changeId).where('bidder_org_id', '=', orgId).execute();
    await record(trx, actor.accountId, x, 'negotiation.change_acknowledged', { changeId, bidderOrgId: orgId }, now);
    return { acknowledgedAt: now.toISOString() };
  });
}

/**
 * The panel finds a supplier's response not responsive (未实质性响应, 74号令 第三十条; 214号文 第十八条) and ends its part,
 * telling it why. Its deposit is released or refunded now (it can no longer be chosen).
 */
export async function eliminate(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, body: { bidderOrgId: string; reason: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    await assertOperates(trx, actor, x);
    notSingleSource(x, { zh: '淘汰供应商', en: 'eliminate a supplier' });
    assertStage(x, ['rounds'], { zh: '淘汰供应商', en: 'eliminate a supplier' });
    await activeParticipant(trx, x, body.bidderOrgId);
    await setParticipant(trx, x.lot.id, body.bidderOrgId, { status: 'eliminated', status_reason: body.reason }, now);
    await refundLeaver(trx, x, body.bidderOrgId, 'negotiation_eliminated', actor.accountId, now);
    await record(trx, actor.accountId, x, 'negotiation.supplier_eliminated', { bidderOrgId: body.bidderOrgId, reason: body.reason }, now);
    await tell(
      trx,
      [body.bidderOrgId],
      'negotiation.eliminated',
      { zh: `贵单位未通过${KIND_ZH[x.kind]}：${x.tender.title} 标段${x.lot.lot_no}`, en: `You are out of the negotiation: ${x.tender.title} lot ${x.lot.lot_no}` },
      { zh: `理由：${body.reason.slice(0, 480)}`, en: `Reason: ${body.reason.slice(0, 480)}` },
      supplierLink(x),
      now,
    );
  });
}

/**
 * 退出谈判 (74号令 第三十四条; 214号文 第二十二条): before its final offer a supplier may withdraw, and its deposit is
 * refunded. Once the final offers are called it simply does not submit (视为退出 at the deadline) — a withdrawal then
 * would tell the agency who has not submitted before the deadline.
 */
export async function withdraw(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, body: { reason?: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const x = await load(trx, tenderId, lotNo, now);
    const orgId = await assertSupplier(trx, actor, x);
    if (x.neg.stage === 'final_offers') {
      throw new AppError(
        'NEGOTIATION_WITHDRAW_CLOSED',
        409,
        '已进入最后报价阶段：不提交最后报价即视为退出，保证金在截止后退还',
        'Final offers have been called: not submitting one counts as withdrawing; the deposit is returned after the deadline',
      );
    }
    assertStage(x, ['rounds', 'agreement'], { zh: '退出', en: 'withdraw' });
    const p = await getParticipant(trx, x.lot.id, orgId, true);
    if (!p || p.status !== 'active') throw Errors.conflict('NEGOTIATION_SUPPLIER_NOT_ACTIVE', '贵单位已不在谈判中', 'You are no longer in the negotiation');
    const reason = body.reason?.trim() || '供应商主动退出';
    await setParticipant(trx, x.lot.id, orgId, { status: 'withdrawn', status_reason: reason }, now);
    await refundLeaver(trx, x, orgId, 'negotiation_withdrawn', actor.accountId, now);
    await record(trx, actor.accountId, x, 'negotiation.supplier_withdrew', { bidderOrgId: orgId, reason }, now);
    await tell(
      trx,
      partiesOf(x),
      'negotiation.withdrawn',
      { zh: `供应商退出${KIND_ZH[x.kind]}：${x.tender.title} 标段${x.lot.lot_no}`, en: `A supplier withdrew: ${x.tender.title} lot ${x.lot.lot_no}` },
      { zh: reason.slice(0, 500), en: reason.slice(0, 500) },
      operatorLink(x),
      now,
    );
  });
}

export function notSingleSource(x: Loaded, what: { zh: string; en: string }): void {
  if (x.kind === 'single_source') {
    throw new AppError('NEGOTIATION_NOT_FOR_SINGLE_SOURCE', 409, `单一来源采购不能${what.zh}（与唯一供应商协商商定价格）`, `Single-source procurement cannot ${what.en} (the price is agreed with the one supplier)`);
  }
}
