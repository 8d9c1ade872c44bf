import type { DbOrTx } from '../../platform/db/database';
import { AppError } from '../../platform/http/errors';

/**
 * Two seams to modules that are not built yet (issue 3), kept narrow so each can be satisfied without touching this
 * module's commands.
 *
 * 1. Valid bids of a lot (the bidding module): who has a valid opened bid for the lot and at what price, and when the
 *    opening took place. Candidates, objectors and refunds are checked against it. The bidding module registers its
 *    source once at import time (`registerLotBidsSource`), reading its own tables.
 *
 * 2. Evaluation results (the expert-evaluation module): `EvaluationResultSource` is what produces a lot's ranked
 *    candidates and report. Today the agency/tenderer enters it by hand (commands/evaluation.ts, source 'manual');
 *    the expert module will call the same `recordEvaluationResult` with source 'expert' and switch the manual route
 *    off (`registerEvaluationResultSource({ manualEntry: false })`).
 */
export interface ValidBid {
  /** The bidding module's id of the bid (OCDS bid id). */
  bidId: string;
  bidderOrgId: string;
  /** Price read at the opening (开标一览表), in 分. */
  priceFen: number;
  submittedAt: Date;
}

export interface LotBids {
  /** When the opening record was closed: bid details are public from then on (DOMAIN §7). */
  openedAt: Date;
  bids: ValidBid[];
}

export type LotBidsSource = (db: DbOrTx, lot: { tenderId: string; lotId: string; lotNo: number }) => Promise<LotBids | null>;

let bidsSource: LotBidsSource | null = null;

export function registerLotBidsSource(source: LotBidsSource | null): void {
  bidsSource = source;
}

/** The source registered now, so a module can wrap it (the negotiation module puts final prices over it). */
export function lotBidsSource(): LotBidsSource | null {
  return bidsSource;
}

/** The lot's valid opened bids; 503 AWARD_BIDS_UNAVAILABLE until a source is registered, 409 before the opening. */
export async function validBidsOf(db: DbOrTx, lot: { tenderId: string; lotId: string; lotNo: number }): Promise<LotBids> {
  if (!bidsSource) {
    throw new AppError(
      'AWARD_BIDS_UNAVAILABLE',
      503,
      '投标数据来源尚未接入（投标模块未注册）',
      'The source of bids is not connected (the bidding module has not registered)',
    );
  }
  const r = await bidsSource(db, lot);
  if (!r) throw new AppError('AWARD_NOT_OPENED', 409, '该标段尚未完成开标', 'The lot has not been opened yet', 'lotId');
  return r;
}

/** The expert-evaluation module decides, per lot, whether manual entry is still allowed; the commands do not change. */
export interface EvaluationResultSource {
  /**
   * Whether the agency/tenderer may enter results by hand (POST /api/award/lots/:lotId/evaluation-result): for every
   * lot, or decided per lot (e.g. not once the lot is evaluated electronically).
   */
  manualEntry: boolean | ((db: DbOrTx, lotId: string) => Promise<boolean>);
}

let evaluationSource: EvaluationResultSource = { manualEntry: true };

export function registerEvaluationResultSource(source: EvaluationResultSource): void {
  evaluationSource = source;
}

export async function manualEvaluationEntryAllowed(db: DbOrTx, lotId: string): Promise<boolean> {
  const m = evaluationSource.manualEntry;
  return typeof m === 'boolean' ? m : m(db, lotId);
}
