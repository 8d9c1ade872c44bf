import type { Actor } from '../../../platform/auth/actor';
import type { AppContext } from '../../../platform/context';
import { AppError, Errors } from '../../../platform/http/errors';
import { requireBidderOrg, requireParty } from '../bidding.policy';
import { bumpRoom, getRoom } from '../bidding.repo';
import { closeIfDone, recordOpening } from '../opening.room';
import { changed } from '../opening.live';
import { lotOf } from './decrypt';

/**
 * 开标现场异议 (招标投标法实施条例 第四十四条：投标人对开标有异议的，应当在开标现场提出，招标人应当当场作出答复，并制作
 * 记录). Raised by a bidder of the lot once the opening record is out, within the room's short window (server time);
 * answered by the tenderer or its agency. Until every objection is answered the opening does not close.
 */
export async function raiseOpeningObjection(ctx: AppContext, actor: Actor, tenderId: string, lotNo: number, text: string) {
  const orgId = requireBidderOrg(actor);
  const { lot } = await lotOf(ctx.db, actor, tenderId, lotNo);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const room = await getRoom(trx, lot.id, true);
    const bid = await trx.selectFrom('bids').select('id').where('lot_id', '=', lot.id).where('bidder_org_id', '=', orgId).where('status', '=', 'submitted').executeTakeFirst();
    if (!bid) throw Errors.forbidden('只有本标段的投标人可以对开标提出异议', 'Only the bidders of this lot may object to its opening');
    if (!room?.objections_until || now.getTime() >= room.objections_until.getTime() || !['objections', 'failed'].includes(room.status))
      throw new AppError('BID_OBJECTION_CLOSED', 409, '开标异议须在开标现场（异议时限内）提出', 'Objections to the opening must be raised on the spot, within the objection window', undefined, { until: room?.objections_until?.toISOString() ?? null });
    const r = await trx
      .insertInto('bid_opening_objections')
      .values({ lot_id: lot.id, objector_org_id: orgId, objector_account_id: actor.accountId, body_text: text, raised_at: now, answer_text: null, answered_at: null, answered_by: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordOpening(trx, 'bidding.opening_objection', { type: 'bid_opening_objection', id: r.id }, actor.accountId, { tenderId, lotId: lot.id, objectorOrgId: orgId, text }, now);
    await bumpRoom(trx, lot.id, {}, now);
    return r;
  });
  changed(lot.id);
  return row;
}

export async function answerOpeningObjection(ctx: AppContext, actor: Actor, objectionId: string, text: string) {
  const o = await ctx.db.selectFrom('bid_opening_objections').selectAll().where('id', '=', objectionId).executeTakeFirst();
  if (!o) throw Errors.notFound('Objection', '异议');
  const lot = await ctx.db.selectFrom('tender_lots').select(['tender_id', 'lot_no']).where('id', '=', o.lot_id).executeTakeFirstOrThrow();
  const { tender } = await lotOf(ctx.db, actor, lot.tender_id, lot.lot_no);
  requireParty(actor, tender);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const cur = await trx.selectFrom('bid_opening_objections').selectAll().where('id', '=', objectionId).forUpdate().executeTakeFirstOrThrow();
    if (cur.answered_at) throw Errors.conflict('BID_OBJECTION_ANSWERED', '该异议已答复', 'This objection has been answered');
    const r = await trx.updateTable('bid_opening_objections').set({ answer_text: text, answered_at: now, answered_by: actor.accountId }).where('id', '=', objectionId).returningAll().executeTakeFirstOrThrow();
    await recordOpening(trx, 'bidding.opening_objection_answered', { type: 'bid_opening_objection', id: objectionId }, actor.accountId, { tenderId: tender.id, lotId: o.lot_id, text }, now);
    await bumpRoom(trx, o.lot_id, {}, now);
    await closeIfDone(trx, o.lot_id, now);
    return r;
  });
  changed(o.lot_id);
  return row;
}
