import { describe, expect, it } from 'vitest';
import { ManualClock, ShiftableClock } from './clock';

describe('ShiftableClock', () => {
  it('moves forward by a duration or to an instant, keeps running with its base, never goes back', () => {
    const base = new ManualClock('2026-11-02T01:00:00Z');
    const clock = new ShiftableClock(base);
    expect(clock.shift({ ms: 3_600_000 }).toISOString()).toBe('2026-11-02T02:00:00.000Z');
    base.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-11-02T02:01:00.000Z');
    expect(clock.shift({ to: new Date('2026-11-23T02:00:00Z') }).toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(() => clock.shift({ to: new Date('2026-11-01T00:00:00Z') })).toThrow(/forward/);
    expect(() => clock.shift({ ms: -1 })).toThrow(/forward/);
    expect(clock.now().toISOString()).toBe('2026-11-23T02:00:00.000Z');
  });
});
