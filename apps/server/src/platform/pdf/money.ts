import nzh from 'nzh';

/**
 * 人民币大写 for an amount in integer 分, as cheques, contracts and 中标通知书 write it (nzh does the digits; the
 * amount goes in as a decimal string so no float is involved). 《支付结算办法》附件一: an amount that ends at 元
 * or 角 is closed with 整.
 */
export function fenToChineseUppercase(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error(`amount in 分 must be a non-negative integer, got ${fen}`);
  if (fen === 0) return '零元整';
  const text = nzh.cn.toMoney(fenToYuanString(fen), { outSymbol: false });
  return fen % 10 === 0 ? `${text}整` : text;
}

/** 4610220037 → "46102200.37" (exact decimal string). */
export function fenToYuanString(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 4610220037 → "46,102,200.37" for display next to the uppercase amount. */
export function fenToYuanGrouped(fen: number): string {
  const [int, dec] = fenToYuanString(fen).split('.');
  return `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}
