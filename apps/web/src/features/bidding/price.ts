// Pure: what a bidder types as 元 → the decimal string the sealed price sheet carries. Never through a float: the
// SDK reads it back to exact 分 (lotPriceFen) and the opening record shows it as typed.

/** `1,234.5` → `1234.50`; null when it is not a non-negative amount with at most two decimals (at most 16 digits). */
export function normaliseYuan(text: string): string | null {
  const s = text.replace(/[¥,\s，]/g, '');
  const m = /^(0|[1-9]\d{0,15})(?:\.(\d{1,2}))?$/.exec(s);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(2, '0')}` : null;
}
