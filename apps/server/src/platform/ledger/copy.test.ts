import { describe, expect, it } from 'vitest';
import { isoFromPgTimestamp, parseCopyLines, unescapeCopy } from './copy';
import type { EntryRow } from './stream';

describe('reading ledger rows from COPY text', () => {
  it('prints stored instants exactly as Date.toISOString() does, keeping sub-millisecond digits', () => {
    for (const ms of [0, 1, 37, 120, 500, 999]) {
      const d = new Date(Date.UTC(2026, 10, 25, 9, 5, 7, ms));
      // COPY drops trailing zeros (".12", none at all for whole seconds); to_char(…'US') always prints six digits.
      const frac = ms ? `.${String(ms).padStart(3, '0')}`.replace(/0+$/, '') : '';
      expect(isoFromPgTimestamp(`2026-11-25 09:05:07${frac}`)).toBe(d.toISOString());
      expect(isoFromPgTimestamp(`2026-11-25 09:05:07.${String(ms).padStart(3, '0')}000`)).toBe(d.toISOString());
    }
    // A microsecond that appendLedger never writes stays visible, so the row no longer matches its hash.
    expect(isoFromPgTimestamp('2026-11-25 09:05:07.037001')).toBe('2026-11-25T09:05:07.037001Z');
    expect(isoFromPgTimestamp('2026-11-25 09:05:07.0375')).toBe('2026-11-25T09:05:07.0375Z');
  });

  it('undoes COPY escaping and splits rows and columns only at real tabs and newlines', () => {
    expect(unescapeCopy('a\\tb\\\\c\\nd\\re\\bf\\fg\\vh')).toBe('a\tb\\c\nd\re\bf\fg\vh');
    expect(unescapeCopy('plain 中文')).toBe('plain 中文');
    const h = (c: string) => c.repeat(64);
    const text =
      `7\t2026-11-25 09:05:07.5\tbid.submitted\tbid\ttab\\there\\nand\\\\slash\t\\N\t{"note": "line\\\\nbreak", "v": 1}\t${h('a')}\t${h('b')}\n` +
      `8\t2026-11-25 09:05:08\tx\ty\tz\t0b7e2a9c-4a62-4f7e-9a43-2c1d4f7a9b10\t{}\t${h('b')}\t${h('c')}`;
    const rows: EntryRow[] = [];
    parseCopyLines(text, rows);
    expect(rows).toEqual([
      {
        seq: 7,
        recorded_at: '2026-11-25T09:05:07.500Z',
        type: 'bid.submitted',
        subject_type: 'bid',
        subject_id: 'tab\there\nand\\slash',
        actor_id: null,
        payload: { note: 'line\nbreak', v: 1 },
        prev_hash: h('a'),
        entry_hash: h('b'),
      },
      {
        seq: 8,
        recorded_at: '2026-11-25T09:05:08.000Z',
        type: 'x',
        subject_type: 'y',
        subject_id: 'z',
        actor_id: '0b7e2a9c-4a62-4f7e-9a43-2c1d4f7a9b10',
        payload: {},
        prev_hash: h('b'),
        entry_hash: h('c'),
      },
    ]);
    expect(() => parseCopyLines('1\tonly two', [])).toThrow(/too few columns/);
  });
});
