import type { Generated } from 'kysely';
import type { DbOrTx, Tx } from '../../../platform/db/database';
import { recordLedger } from '../../../platform/ledger/append';
import { emitEvent } from '../../../platform/outbox/emit';
import { creditsOf, type LotKey } from '../deposits.repo';

// Migration 0121_auction_results.sql (deposit_applications).
declare module '../../../platform/db/schema' {
  interface Tables {
    deposit_applications: {
      id: Generated<string>;
      tender_id: string;
      lot_id: string;
      bidder_org_id: string;
      credit_id: string;
      amount_fen: number;
      reason: string;
      applied_at: Date;
      actor_id: string | null;
    };
  }
}

export interface ApplyToPriceInput extends LotKey {
  bidderOrgId: string;
  /** Why, for the record: 'auction_sold', … */
  reason: string;
  actorId?: string | null;
}

export interface ApplyToPriceResult {
  applied: { id: string; creditId: string; amountFen: number }[];
  totalFen: number;
}

/**
 * 保证金转为价款: the winner's cash deposit is not refunded but applied to the price (网络司法拍卖规定 第二十三条:
 * "买受人交纳的保证金可以充抵价款"). Inside the caller's transaction (the auction close).
 * Each cash credit of the bidder that has neither a refund task nor an application is applied, ledgered and
 * announced on the outbox; a credit applied is never refunded afterwards (startRefunds skips it). Idempotent.
 * Guarantees are not money held: a winner's guarantee stays as it is (released by the caller's own rule).
 */
export async function applyDepositToPrice(trx: Tx, input: ApplyToPriceInput, now: Date): Promise<ApplyToPriceResult> {
  const credits = await creditsOf(trx, input);
  const taken = await takenCredits(trx, credits.map((c) => c.id));
  const result: ApplyToPriceResult = { applied: [], totalFen: 0 };
  for (const c of credits) {
    if (taken.has(c.id)) continue;
    const row = await trx
      .insertInto('deposit_applications')
      .values({ tender_id: c.tender_id, lot_id: c.lot_id, bidder_org_id: c.bidder_org_id, credit_id: c.id, amount_fen: c.amount_fen, reason: input.reason, applied_at: now, actor_id: input.actorId ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const payload = { tenderId: c.tender_id, lotId: c.lot_id, bidderOrgId: c.bidder_org_id, creditId: c.id, amountFen: c.amount_fen, reason: input.reason };
    await recordLedger(trx, { type: 'deposit.applied_to_price', subjectType: 'deposit_credit', subjectId: c.id, actorId: input.actorId ?? null, payload }, now);
    await emitEvent(trx, { type: 'deposit.applied_to_price', payload: { applicationId: row.id, ...payload } }, now);
    result.applied.push({ id: row.id, creditId: c.id, amountFen: c.amount_fen });
    result.totalFen += c.amount_fen;
  }
  return result;
}

/** Credits that already have a refund task or were applied to a price: neither may happen to them again. */
export async function takenCredits(db: DbOrTx, creditIds: string[]): Promise<Set<string>> {
  if (!creditIds.length) return new Set();
  const [refunded, applied] = await Promise.all([
    db.selectFrom('deposit_refunds').select('credit_id').where('credit_id', 'in', creditIds).execute(),
    db.selectFrom('deposit_applications').select('credit_id').where('credit_id', 'in', creditIds).execute(),
  ]);
  return new Set([...refunded.map((r) => r.credit_id!), ...applied.map((r) => r.credit_id)]);
}

export async function applicationsOf(db: DbOrTx, k: LotKey & { bidderOrgId: string }) {
  return db.selectFrom('deposit_applications').selectAll().where('tender_id', '=', k.tenderId).where('lot_id', '=', k.lotId).where('bidder_org_id', '=', k.bidderOrgId).orderBy('applied_at').execute();
}
