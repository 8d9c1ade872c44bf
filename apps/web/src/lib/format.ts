// Pure display helpers. Times are always shown in China Standard Time (Asia/Shanghai), never the browser's zone:
// statutory deadlines are Beijing-time deadlines wherever the reader happens to be.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TZ = 'Asia/Shanghai';

type Instant = string | number | Date | null | undefined;

function valid(value: Instant) {
  if (value === null || value === undefined || value === '') return undefined;
  const d = dayjs(value);
  return d.isValid() ? d.tz(TZ) : undefined;
}

/** `2026-11-25 21:19` in Beijing time; `—` for nothing. */
export function formatDateTime(value: Instant, withSeconds = false): string {
  return valid(value)?.format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm') ?? '—';
}

/** `2026-11-25` in Beijing time. */
export function formatDate(value: Instant): string {
  return valid(value)?.format('YYYY-MM-DD') ?? '—';
}

/** The Beijing calendar day of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(value: Instant): string | undefined {
  return valid(value)?.format('YYYY-MM-DD');
}

/** First instant of a Beijing calendar day (`YYYY-MM-DD`) as an ISO string — for `from` filters. */
export function startOfShanghaiDay(day: string): string {
  return dayjs.tz(day, TZ).startOf('day').toISOString();
}

/** Last millisecond of a Beijing calendar day — for inclusive `to` filters. */
export function endOfShanghaiDay(day: string): string {
  return dayjs.tz(day, TZ).endOf('day').toISOString();
}

/** Whether a due instant has passed at `now`. */
export function isOverdue(due: Instant, now: Date = new Date()): boolean {
  const d = valid(due);
  return d !== undefined && d.valueOf() < now.getTime();
}

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/**
 * Money arrives as integer 分 (fen). Format with ¥, thousands separators and exactly two decimals, using integer
 * arithmetic only (no binary floating point in between), so 123456789012 分 → `¥1,234,567,890.12`.
 */
export function formatFen(fen: number | bigint | string | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '—';
  let n: bigint;
  try {
    if (typeof fen === 'number') {
      if (!Number.isFinite(fen) || !Number.isInteger(fen)) return '—';
      n = BigInt(fen);
    } else n = BigInt(fen);
  } catch {
    return '—';
  }
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const yuan = (abs / 100n).toString().replace(GROUP, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

/** Compact money for chart axes and tiles: `¥1.23亿`, `¥45.6万` (zh) or `¥1.23B`, `¥456K` (en). */
export function formatFenCompact(fen: number, lang: 'zh-CN' | 'en'): string {
  const yuan = fen / 100;
  const abs = Math.abs(yuan);
  const units: [number, string][] = lang === 'zh-CN' ? [[1e8, '亿'], [1e4, '万']] : [[1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, unit] of units) {
    if (abs >= size) return `¥${trim(yuan / size)}${unit}`;
  }
  return `¥${trim(yuan)}`;
}

function trim(x: number): string {
  return String(Number(x.toFixed(2)));
}

/**
 * Parse what a person typed as yuan (`1,234.5`, `¥ 12`) into integer 分; undefined when it is not a money amount
 * with at most two decimals. Used by forms so the API only ever receives integers.
 */
export function parseYuanToFen(text: string): number | undefined {
  const s = text.replace(/[¥,\s，]/g, '');
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const fen = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  const value = Number(m[1] ? -fen : fen);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `1.5 MB`; binary units as file managers show them. */
export function formatBytes(size: number | null | undefined): string {
  if (size === null || size === undefined || !Number.isFinite(size) || size < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = size;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${trim(v)} ${units[i]}`;
}

/** Integer 分 as the plain yuan text a form field shows (`123456` → `1234.56`), the inverse of parseYuanToFen. */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isInteger(fen)) return '';
  const n = BigInt(fen);
  const abs = n < 0n ? -n : n;
  return `${n < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
