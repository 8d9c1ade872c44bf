import { describe, expect, it } from 'vitest';
import { bjTextToIso, isoToBjText } from './time';

describe('Beijing deadline text', () => {
  it('reads a typed Beijing time as the instant 8 hours earlier in UTC, and back', () => {
    expect(bjTextToIso('2026-09-24 09:30')).toBe('2026-09-24T01:30:00.000Z');
    expect(bjTextToIso('2026-01-01 00:15')).toBe('2025-12-31T16:15:00.000Z');
    expect(isoToBjText('2026-09-24T01:30:00.000Z')).toBe('2026-09-24 09:30');
  });
  it('refuses what is not a date and time', () => {
    for (const s of ['', '2026-09-24', '2026-13-01 09:30', '2026-02-30 09:30', 'tomorrow 9:30']) expect(bjTextToIso(s)).toBeUndefined();
  });
});
