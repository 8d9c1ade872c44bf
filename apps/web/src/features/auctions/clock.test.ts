import { describe, expect, it } from 'vitest';
import { amountProblem, estimateOffset, formatCountdown, quickBid, remainingMs, tightenOffset } from './clock';
import { AUC_EN, AUC_ZH } from './i18n';

describe('auction room clock', () => {
  it('estimates the offset from the midpoint of the shortest round trip', () => {
    // client 3 s behind the server; the second sample waited in a queue (long trip) and must not win
    const o = estimateOffset([
      { sentAt: 1000, serverTime: 4050, receivedAt: 1100 },
      { sentAt: 2000, serverTime: 5900, receivedAt: 2800 },
    ]);
    expect(o).toEqual({ offsetMs: 3000, errorMs: 50, rttMs: 100 });
    expect(estimateOffset([])).toBeNull();
    expect(estimateOffset([{ sentAt: 10, serverTime: 5, receivedAt: 9 }])).toBeNull();
  });
  it('raises the offset to the bound a pushed message proves, and never lowers it', () => {
    const o = { offsetMs: 1000, errorMs: 20, rttMs: 40 };
    expect(tightenOffset(o, 10_000, 8_000).offsetMs).toBe(2000);
    expect(tightenOffset(o, 10_000, 9_500)).toBe(o);
  });
  it('counts down by the corrected clock', () => {
    const end = '2026-11-04T01:05:00.000Z';
    const serverNow = Date.parse('2026-11-04T01:04:30.000Z');
    // client clock 3 minutes behind: uncorrected it would show 3:30 left
    expect(remainingMs(end, serverNow - 180_000, 180_000)).toBe(30_000);
    expect(remainingMs(end, serverNow + 60_000, 0)).toBe(0);
    expect(formatCountdown(30_000)).toBe('0:30');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(formatCountdown(400)).toBe('0:01');
  });
  it('applies the server amount rules', () => {
    const a = { startPriceFen: 100_00, incrementFen: 10_00, currentPriceFen: null };
    expect(quickBid(a, 1)).toBe(100_00);
    expect(quickBid({ ...a, currentPriceFen: 120_00 }, 5)).toBe(170_00);
    expect(amountProblem({ ...a, currentPriceFen: 120_00 }, 125_00)).toBe('below_minimum');
    expect(amountProblem({ ...a, currentPriceFen: 120_00 }, 135_00)).toBe('not_multiple');
    expect(amountProblem({ ...a, currentPriceFen: 120_00 }, 150_00)).toBeNull();
  });
  it('has every string in both languages', () => {
    expect(Object.keys(AUC_EN).sort()).toEqual(Object.keys(AUC_ZH).sort());
  });
});
