import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterPhaseEnd, checkBidAmount, decideOutcome, endAfterBid, POLICIES, preemptionWindow } from './auctions.rules';

const A = { startPriceFen: 100_000, incrementFen: 5_000 };

describe('auction rules', () => {
  it('minimum next bid and the increment grid', () => {
    expect(checkBidAmount({ ...A, currentPriceFen: null }, 100_000)).toEqual({ ok: true });
    expect(checkBidAmount({ ...A, currentPriceFen: null }, 99_999)).toMatchObject({ ok: false, reason: 'below_minimum', minimumFen: 100_000 });
    expect(checkBidAmount({ ...A, currentPriceFen: 100_000 }, 100_000)).toMatchObject({ reason: 'below_minimum', minimumFen: 105_000 });
    expect(checkBidAmount({ ...A, currentPriceFen: 100_000 }, 107_500)).toEqual({ ok: false, reason: 'off_increment' });
    expect(checkBidAmount({ ...A, currentPriceFen: 100_000 }, 115_000)).toEqual({ ok: true });
  });

  it('countdown: a late timed bid extends to now + countdown, capped by the guard; listing bids never extend', () => {
    const endsAt = new Date('2026-01-01T10:00:00Z');
    const maxEndsAt = new Date('2026-01-01T10:07:00Z');
    const a = { phase: 'timed' as const, endsAt, maxEndsAt, countdownSeconds: 300 };
    expect(endAfterBid(a, new Date('2026-01-01T09:50:00Z'))).toEqual(endsAt);
    expect(endAfterBid(a, new Date('2026-01-01T09:58:00Z'))).toEqual(new Date('2026-01-01T10:03:00Z'));
    expect(endAfterBid(a, new Date('2026-01-01T09:59:59Z'))).toEqual(new Date('2026-01-01T10:04:59Z'));
    expect(endAfterBid({ ...a, endsAt: new Date('2026-01-01T10:05:00Z') }, new Date('2026-01-01T10:04:00Z'))).toEqual(maxEndsAt);
    expect(endAfterBid({ ...a, phase: 'listing' }, new Date('2026-01-01T09:59:00Z'))).toEqual(endsAt);
  });

  it('phase transitions per policy', () => {
    const end = new Date('2026-01-01T10:00:00Z');
    expect(afterPhaseEnd(POLICIES.listing, 'listing', 2, end, 300)).toEqual({ next: 'timed', endsAt: new Date('2026-01-01T10:05:00Z') });
    expect(afterPhaseEnd(POLICIES.listing, 'listing', 1, end, 300)).toEqual({ next: 'close' });
    expect(afterPhaseEnd(POLICIES.online, 'free', 0, end, 300)).toMatchObject({ next: 'timed' });
    expect(afterPhaseEnd(POLICIES.state_equity, 'listing', 3, end, 300)).toMatchObject({ next: 'timed' });
    expect(afterPhaseEnd(POLICIES.auction, 'timed', 5, end, 300)).toEqual({ next: 'close' });
  });

  it('outcome: highest bid at or above the reserve; none or below → failed; pre-emption window only for 国有产权', () => {
    expect(decideOutcome([], null)).toEqual({ result: 'failed', reason: 'no_bids' });
    expect(decideOutcome([{ bidderId: 'a', amountFen: 10, seq: 1 }], 11)).toEqual({ result: 'failed', reason: 'below_reserve' });
    expect(decideOutcome([{ bidderId: 'a', amountFen: 10, seq: 1 }, { bidderId: 'b', amountFen: 12, seq: 2 }], 12)).toMatchObject({ result: 'sold', winnerBidderId: 'b', priceFen: 12 });
    const sold = { result: 'sold' as const, winnerBidderId: 'b', priceFen: 12 };
    const t = new Date('2026-01-01T10:00:00Z');
    expect(preemptionWindow(POLICIES.state_equity, sold, false, t, 600)).toEqual(new Date('2026-01-01T10:10:00Z'));
    expect(preemptionWindow(POLICIES.state_equity, sold, true, t, 600)).toBeNull();
    expect(preemptionWindow(POLICIES.listing, sold, false, t, 600)).toBeNull();
  });

  it('property: accepted bids strictly increase, the end never moves earlier, the winner is the highest valid bid ≥ reserve', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ bidder: fc.integer({ min: 0, max: 5 }), steps: fc.integer({ min: -2, max: 6 }), dt: fc.integer({ min: 0, max: 400 }), offGrid: fc.boolean() }), { maxLength: 60 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
        (attempts, reserveSteps) => {
          const reserve = reserveSteps === null ? null : A.startPriceFen + reserveSteps * A.incrementFen;
          let current: number | null = null;
          let t = Date.parse('2026-01-01T09:50:00Z');
          let endsAt = new Date('2026-01-01T10:00:00Z');
          const maxEndsAt = new Date('2026-01-01T12:00:00Z');
          const accepted: { bidderId: string; amountFen: number; seq: number }[] = [];
          for (const x of attempts) {
            t += x.dt * 1000;
            if (t >= endsAt.getTime()) break;
            const amount: number = (current ?? A.startPriceFen) + x.steps * A.incrementFen + (x.offGrid ? 1 : 0);
            if (!checkBidAmount({ ...A, currentPriceFen: current }, amount).ok) continue;
            const next = endAfterBid({ phase: 'timed', endsAt, maxEndsAt, countdownSeconds: 300 }, new Date(t));
            expect(next.getTime()).toBeGreaterThanOrEqual(endsAt.getTime());
            expect(next.getTime()).toBeLessThanOrEqual(maxEndsAt.getTime());
            if (current !== null) expect(amount).toBeGreaterThan(current);
            expect((amount - A.startPriceFen) % A.incrementFen).toBe(0);
            endsAt = next;
            current = amount;
            accepted.push({ bidderId: `b${x.bidder}`, amountFen: amount, seq: accepted.length + 1 });
          }
          const o = decideOutcome(accepted, reserve);
          const max = accepted.reduce((m, b) => Math.max(m, b.amountFen), -1);
          if (accepted.length === 0 || (reserve !== null && max < reserve)) expect(o.result).toBe('failed');
          else expect(o).toMatchObject({ result: 'sold', priceFen: max, winnerBidderId: accepted.find((b) => b.amountFen === max)!.bidderId });
        },
      ),
      { numRuns: 300 },
    );
  });
});
