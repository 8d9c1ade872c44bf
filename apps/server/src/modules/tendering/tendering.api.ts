import type { Actor } from '../../platform/auth/actor';
import type { DbOrTx } from '../../platform/db/database';
import { AppError } from '../../platform/http/errors';
import { assertBidderMayTakePart } from './commands/obtain';
import { isTenderingProcedure } from './policies/engine';
import { effectivePolicy, getCustodians, getObtain, getTender } from './tendering.repo';
import { tenderNotFound } from './tendering.policy';

/**
 * For bid submission (next part of issue 3), inside its transaction: the lot a bidder may bid on now, or a clear error.
 * Locks the lot row FOR SHARE, so the deadline transition (which takes it FOR UPDATE) waits for a bid being written
 * and a bid can never slip in after the lot moved to opening. The server clock decides (`now`). Bidding stays open
 * while an objection pauses the procedure: the pause holds the opening, it does not take bidding time away.
 */
export async function biddingLotFor(trx: DbOrTx, actor: Actor, tenderId: string, lotNo: number, now: Date) {
  const tender = await getTender(trx, tenderId);
  if (!tender || !isTenderingProcedure(tender.procedure_type)) throw tenderNotFound();
  const policy = await effectivePolicy(trx, tender.procedure_type);
  await assertBidderMayTakePart(trx, actor, tender, policy);
  if (!(await getObtain(trx, tenderId, actor.orgId!)))
    throw new AppError('TENDER_NOT_OBTAINED', 403, '须先获取招标文件', 'Obtain the documents first');
  const lot = await trx
    .selectFrom('tender_lots')
    .selectAll()
    .where('tender_id', '=', tenderId)
    .where('lot_no', '=', lotNo)
    .forShare()
    .executeTakeFirst();
  if (!lot) throw new AppError('TENDER_LOT_UNKNOWN', 404, `没有标段 ${lotNo}`, `No lot ${lotNo}`, 'lotNo');
  if (lot.status !== 'bidding' || now.getTime() >= lot.bid_deadline.getTime()) {
    throw new AppError(
      'TENDER_BIDDING_CLOSED',
      409,
      '投标截止时间已过（以服务器时间为准）',
      'The bid deadline has passed (server time decides)',
      'lotNo',
      { bidDeadline: lot.bid_deadline.toISOString() },
    );
  }
  return { tender, lot, policy };
}

/** The k-of-n escrow a bid's content key is wrapped to (sealing, packages/sdk). */
export async function escrowOf(
  db: DbOrTx,
  tenderId: string,
): Promise<{ k: number; custodians: { accountId: string; kind: 'center' | 'regulator' | 'tenderer' }[] }> {
  const t = await getTender(db, tenderId);
  if (!t) throw tenderNotFound();
  return { k: t.escrow_k, custodians: (await getCustodians(db, tenderId)).map((c) => ({ accountId: c.account_id, kind: c.kind })) };
}
