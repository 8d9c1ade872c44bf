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
  'negotiating', // 竞争性谈判/磋商, 单一来源: rounds and final offers after the first sealed responses (negotiation module)
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
  | 'negotiate' // opening record closed, the policy has negotiation rounds: negotiation instead (采购法 38, 39)
  | 'negotiated' // final offers read / single-source price agreed: evaluation
  | 'report' // committee report: candidates publicised (works) …
  | 'award' // … or awarded directly (government procurement)
  | 'contract'
  | 'fail' // fewer valid bids than the policy's minimum, all rejected, …
  | 'terminate'; // 终止招标 (条例 31)

const TABLE: Record<LotEvent, Partial<Record<LotStatus, LotStatus>>> = {
  publish: { draft: 'bidding' },
  deadline: { bidding: 'opening' },
  opened: { opening: 'evaluation' },
  negotiate: { opening: 'negotiating' },
  negotiated: { negotiating: 'evaluation' },
  report: { evaluation: 'publicity' },
  award: { evaluation: 'awarded', publicity: 'awarded' },
  contract: { awarded: 'contracted' },
  fail: { opening: 'failed', negotiating: 'failed', evaluation: 'failed', publicity: 'failed' },
  terminate: { draft: 'terminated', bidding: 'terminated', opening: 'terminated', negotiating: 'terminated', evaluation: 'terminated', publicity: 'terminated' },
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

/**
 * The event that closes the opening: a policy with negotiation rounds (竞争性谈判, 竞争性磋商, 单一来源) negotiates on the
 * first sealed responses before any evaluation; every other policy goes to evaluation.
 */
export function afterOpeningEvent(policy: { negotiationRounds: { value: boolean } }): LotEvent {
  return policy.negotiationRounds.value ? 'negotiate' : 'opened';
}

/** Statuses in which "who obtained the documents / who bid, how many" is still secret (DOMAIN §7). */
export const BEFORE_DEADLINE: readonly LotStatus[] = ['draft', 'bidding'];
