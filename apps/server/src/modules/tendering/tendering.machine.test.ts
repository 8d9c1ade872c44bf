import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors';
import { POLICIES } from './policies/catalog';
import { afterOpeningEvent, assertLotTransition, LOT_STATUSES, nextLotStatus } from './tendering.machine';

describe('lot status machine', () => {
  it('runs the happy paths of both regimes', () => {
    expect(
      ['publish', 'deadline', 'opened', 'report', 'award', 'contract'].reduce<string>(
        (s, e) => nextLotStatus(s as never, e as never)!,
        'draft',
      ),
    ).toBe('contracted');
    expect(nextLotStatus('evaluation', 'award')).toBe('awarded'); // government procurement: no candidate publicity
  });

  it('puts negotiation rounds between the opening and the evaluation where the policy has them', () => {
    expect(afterOpeningEvent(POLICIES.competitive_negotiation)).toBe('negotiate');
    expect(afterOpeningEvent(POLICIES.single_source)).toBe('negotiate');
    expect(afterOpeningEvent(POLICIES.inquiry)).toBe('opened');
    expect(afterOpeningEvent(POLICIES.gp_open_tender)).toBe('opened');
    expect(nextLotStatus('opening', 'negotiate')).toBe('negotiating');
    expect(nextLotStatus('negotiating', 'negotiated')).toBe('evaluation');
    expect(nextLotStatus('negotiating', 'report')).toBeUndefined(); // no evaluation result before the final offers
    expect(nextLotStatus('negotiating', 'award')).toBeUndefined();
    expect(nextLotStatus('evaluation', 'negotiate')).toBeUndefined();
  });

  it('refuses what the table does not allow, with a stable code', () => {
    expect(nextLotStatus('draft', 'deadline')).toBeUndefined();
    expect(nextLotStatus('bidding', 'opened')).toBeUndefined();
    expect(nextLotStatus('contracted', 'terminate')).toBeUndefined();
    expect(nextLotStatus('failed', 'publish')).toBeUndefined(); // a failed lot is re-tendered, never reopened
    try {
      assertLotTransition('opening', 'publish', 2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('TENDER_LOT_INVALID_TRANSITION');
    }
  });

  it('lets every live status fail or terminate, and no end state move', () => {
    for (const s of LOT_STATUSES) {
      const live = !['awarded', 'contracted', 'failed', 'terminated'].includes(s);
      expect(!!nextLotStatus(s, 'terminate'), s).toBe(live);
    }
  });
});
