import { describe, expect, it } from 'vitest';
import { fenToYuanText, endOfShanghaiDay, formatBytes, formatDate, formatDateTime, formatFen, formatFenCompact, isOverdue, parseYuanToFen, startOfShanghaiDay } from './format';

describe('formatFen', () => {
  it('formats integer fen as yuan with separators and two decimals', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(100)).toBe('¥1.00');
    expect(formatFen(123456)).toBe('¥1,234.56');
    expect(formatFen(100000000)).toBe('¥1,000,000.00');
    expect(formatFen(-123456)).toBe('-¥1,234.56');
  });
  it('keeps precision beyond 2^53 when given a string or bigint', () => {
    expect(formatFen('123456789012345678')).toBe('¥1,234,567,890,123,456.78');
    expect(formatFen(123456789012345678n)).toBe('¥1,234,567,890,123,456.78');
  });
  it('shows a dash for missing or non-integer input', () => {
    expect(formatFen(null)).toBe('—');
    expect(formatFen(undefined)).toBe('—');
    expect(formatFen(1.5)).toBe('—');
    expect(formatFen('abc')).toBe('—');
  });
});

describe('formatFenCompact', () => {
  it('uses 万/亿 in Chinese and K/M/B in English', () => {
    expect(formatFenCompact(123_000_000_00, 'zh-CN')).toBe('¥1.23亿');
    expect(formatFenCompact(456_000_00, 'zh-CN')).toBe('¥45.6万');
    expect(formatFenCompact(123_000_000_00, 'en')).toBe('¥123M');
    expect(formatFenCompact(999_00, 'en')).toBe('¥999');
  });
});

describe('fenToYuanText', () => {
  it('round-trips with parseYuanToFen', () => {
    expect(fenToYuanText(123456)).toBe('1234.56');
    expect(fenToYuanText(5)).toBe('0.05');
    expect(fenToYuanText(null)).toBe('');
    for (const fen of [0, 1, 99, 100, 123456789, 9007199254740991]) expect(parseYuanToFen(fenToYuanText(fen))).toBe(fen);
  });
});

describe('parseYuanToFen', () => {
  it('parses typed yuan into integer fen', () => {
    expect(parseYuanToFen('1,234.5')).toBe(123450);
    expect(parseYuanToFen('¥ 12')).toBe(1200);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('1.234')).toBeUndefined();
    expect(parseYuanToFen('twelve')).toBeUndefined();
  });
});

describe('Beijing time', () => {
  it('shows instants in Asia/Shanghai regardless of the runtime zone', () => {
    // 16:30 UTC is 00:30 the next day in Beijing.
    expect(formatDateTime('2026-03-01T16:30:00Z')).toBe('2026-03-02 00:30');
    expect(formatDateTime('2026-03-01T16:30:05Z', true)).toBe('2026-03-02 00:30:05');
    expect(formatDate('2026-03-01T16:30:00Z')).toBe('2026-03-02');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
  it('turns Beijing calendar days into filter bounds', () => {
    expect(startOfShanghaiDay('2026-03-02')).toBe('2026-03-01T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-03-02')).toBe('2026-03-02T15:59:59.999Z');
  });
  it('decides overdue against the given now', () => {
    const now = new Date('2026-03-02T00:00:00Z');
    expect(isOverdue('2026-03-01T23:59:59Z', now)).toBe(true);
    expect(isOverdue('2026-03-02T00:00:01Z', now)).toBe(false);
    expect(isOverdue(null, now)).toBe(false);
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatBytes(undefined)).toBe('—');
  });
});
