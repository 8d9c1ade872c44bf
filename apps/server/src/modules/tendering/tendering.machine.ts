import { Errors } from '../../platform/http/errors';

/**
 * The life of a lot (标段/包), in one place (ARCHITECTURE §3 "machine"). This issue part drives draft → bidding
 * (publication) and bidding → opening (the chronograph at the bid deadline); the later parts of issue 3 drive the
 * rest through `assertLotTransition` and must add their events here rather than write statuses directly.
 */
export const LOT_STATUSES = [
  'draft',
  'bidding',
  'opening',
  'evaluation',
  'publicity',
  'awarded',
  'contracted',
  'failed',
  'terminated',
] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export type LotEvent =
  | 'publish' // 招标公告/投标邀请书 issued: bidding opens
  | 'deadline' // bid deadline passed (no objection open): the opening room opens
  | 'opened' // opening record closed: evaluation
  | 'report' // committee report: candidates publicised (works) …
  | 'award' // … or awarded directly (government procurement)
  | 'contract'
  | 'fail' // fewer valid bids than the policy's minimum, all rejected, …
  | 'terminate'; // 终止招标 (条例 31)

const TABLE: Record<LotEvent, Partial<Record<LotStatus, LotStatus>>> = {
  publish: { draft: 'bidding' },
  deadline: { bidding: 'opening' },
  opened: { opening: 'evaluation' },
  report: { evaluation: 'publicity' },
  award: { evaluation: 'awarded', publicity: 'awarded' },
  contract: { awarded: 'contracted' },
  fail: { opening: 'failed', evaluation: 'failed', publicity: 'failed' },
  terminate: { draft: 'terminated', bidding: 'terminated', opening: 'terminated', evaluation: 'terminated', publicity: 'terminated' },
};

export function nextLotStatus(from: LotStatus, event: LotEvent): LotStatus | undefined {
  return TABLE[event][from];
}

/** 409 TENDER_LOT_INVALID_TRANSITION unless the event is allowed in this status. */
export function assertLotTransition(from: LotStatus, event: LotEvent, lotNo?: number): LotStatus {
  const to = nextLotStatus(from, event);
  if (!to) {
    throw Errors.conflict(
      'TENDER_LOT_INVALID_TRANSITION',
      `标段${lotNo ?? ''}当前状态为 ${from}，不能执行 ${event}`,
      `Lot ${lotNo ?? ''} is ${from}; ${event} is not possible`,
      'status',
    );
  }
  return to;
}

/** Statuses in which "who obtained the documents / who bid, how many" is still secret (DOMAIN §7). */
export const BEFORE_DEADLINE: readonly LotStatus[] = ['draft', 'bidding'];
