import type { DbOrTx } from '../../platform/db/database';
import { decideDeposit, type DepositVerdict } from './deposits.rules';
import { creditsOf, guaranteesOf } from './deposits.repo';

export interface DepositStatusQuery {
  tenderId: string;
  lotId: string;
  bidderOrgId: string;
  /** Required deposit in 分, from the caller's tender (not from this module's copy). */
  requiredFen: number;
  /** Whether cash deposits count for this lot. */
  cashAllowed: boolean;
  /** Count only cash credited by this instant (e.g. the bid deadline when the opening record is drawn up). */
  asOf?: Date;
  /** A guarantee counts only if valid at least until this instant (the end of the bid validity period). */
  validThrough?: Date;
}

export interface DepositStatus extends DepositVerdict {
  credits: { id: string; amountFen: number; creditedAt: string; payerNameMatches: boolean; flags: string[] }[];
  guarantees: {
    id: string;
    issuerCode: string;
    guaranteeNo: string;
    status: string;
    amountFen: number | null;
    validUntil: string | null;
    problems: string[];
  }[];
}

/**
 * Is the bidder's deposit for this lot in place? Read-only, usable inside the caller's transaction (the bid
 * submission command passes its `trx`; nothing here opens a transaction or calls out). Returns the verdict
 * (satisfied / missing / insufficient, and by what) with the facts behind it. The caller must not show the details
 * to anyone but the bidder before the deadline (DOMAIN §7).
 */
export async function depositStatus(trx: DbOrTx, q: DepositStatusQuery): Promise<DepositStatus> {
  const [credits, guarantees] = await Promise.all([creditsOf(trx, q), guaranteesOf(trx, q)]);
  const verdict = decideDeposit({
    requiredFen: q.requiredFen,
    cashAllowed: q.cashAllowed,
    asOf: q.asOf,
    validThrough: q.validThrough,
    credits: credits.map((c) => ({ amountFen: c.amount_fen, payerNameMatches: c.payer_name_matches, creditedAt: c.credited_at })),
    guarantees: guarantees
      // A guarantee released after `asOf` (refunds start after award) still backed the bid as of then.
      .filter(
        (g) =>
          g.status === 'verified' || (g.status === 'released' && q.asOf && g.released_at && g.released_at.getTime() > q.asOf.getTime()),
      )
      .filter((g) => g.amount_fen !== null && g.valid_until !== null)
      .map((g) => ({ id: g.id, amountFen: g.amount_fen!, validUntil: g.valid_until! })),
  });
  return {
    ...verdict,
    credits: credits.map((c) => ({
      id: c.id,
      amountFen: c.amount_fen,
      creditedAt: c.credited_at.toISOString(),
      payerNameMatches: c.payer_name_matches,
      flags: c.flags as string[],
    })),
    guarantees: guarantees.map((g) => ({
      id: g.id,
      issuerCode: g.issuer_code,
      guaranteeNo: g.guarantee_no,
      status: g.status,
      amountFen: g.amount_fen,
      validUntil: g.valid_until?.toISOString() ?? null,
      problems: g.problems as string[],
    })),
  };
}
