import { SHANGHAI_OFFSET_MS } from '../../platform/calendar/core';
import { fenToChineseUppercase, fenToYuanGrouped } from '../../platform/pdf/money';
import { renderPdf } from '../../platform/pdf/render';

/** What a 成交确认书 states (拍卖法 第五十二条: the buyer and the auctioneer sign it once the hammer falls). */
export interface ConfirmationData {
  confirmationNo: string;
  auctionTitle: string;
  policyLabel: string;
  organiserName: string;
  buyerName: string;
  buyerNo: number | null;
  finalPriceFen: number;
  depositAppliedFen: number;
  bidCount: number;
  startedAt: Date;
  closedAt: Date;
  /** How the sale was decided: the close, the pre-emption holder matching, or its window lapsing. */
  via: string;
  issuedAt: Date;
  verification: { ledgerSeq: number; contentSha256: string; url: string };
}

/** 2026-11-04T02:03:30Z → "2026年11月4日 10:03:30" (Beijing time; no daylight saving since 1991, see calendar/core). */
export function shanghaiDateTime(d: Date): string {
  const t = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
}

const yuan = (fen: number) => `人民币（大写）${fenToChineseUppercase(fen)}（¥${fenToYuanGrouped(fen)}）`;
const VIA: Record<string, string> = { close: '竞价结束，最高应价达到保留价', preemption_matched: '优先购买权人以最高应价行使优先购买权', preemption_lapsed: '优先购买权人未在期限内行使，最高应价者买受' };

export function renderConfirmation(c: ConfirmationData): Promise<Buffer> {
  return renderPdf({ title: `成交确认书 ${c.confirmationNo}`, author: c.organiserName, createdAt: c.issuedAt }, (doc) => {
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font('bold').fontSize(22).text('成 交 确 认 书', { align: 'center' });
    doc.moveDown(0.4).font('body').fontSize(10.5).text(`编号：${c.confirmationNo}`, { align: 'right' });
    doc.moveDown(1.2).fontSize(13).font('bold').text(`买受人：${c.buyerName}${c.buyerNo !== null ? `（竞买号 ${c.buyerNo}）` : ''}`);
    doc.font('body').fontSize(12).moveDown(0.6);
    doc.text(`你方在${c.auctionTitle}（${c.policyLabel}）网上竞价中成为买受人，成交结果确认如下：`, { indent: 24, lineGap: 6, align: 'justify', width }).moveDown(0.3);
    const rows: [string, string][] = [
      ['成交价', yuan(c.finalPriceFen)],
      ['已交保证金转为价款', yuan(c.depositAppliedFen)],
      ['尚需支付', yuan(Math.max(0, c.finalPriceFen - c.depositAppliedFen))],
      ['竞价开始', `${shanghaiDateTime(c.startedAt)}（北京时间）`],
      ['竞价结束', `${shanghaiDateTime(c.closedAt)}（北京时间）`],
      ['有效出价', `${c.bidCount} 次`],
      ['成交方式', VIA[c.via] ?? c.via],
    ];
    for (const [k, v] of rows) doc.text(`${k}：${v}`, { indent: 24, lineGap: 6, width });
    doc.moveDown(0.3);
    doc.text('买受人应按竞买须知约定的期限付清余款并签订成交合同；逾期未付的，按竞买须知处理。', { indent: 24, lineGap: 6, align: 'justify', width });
    doc.text('本确认书在一网交易平台生成并记入防篡改账本，纸质打印件与平台记录具有同等效力。', { indent: 24, lineGap: 6, align: 'justify', width });
    doc.moveDown(2);
    const right = (s: string) => doc.text(s, { align: 'right', width, lineGap: 8 });
    right(`组织方：${c.organiserName}（盖章）`);
    right('买受人：（盖章）');
    right(shanghaiDateTime(c.issuedAt).slice(0, -9).trim());

    const y = doc.page.height - doc.page.margins.bottom - 48;
    doc.moveTo(doc.page.margins.left, y - 8).lineTo(doc.page.margins.left + width, y - 8).lineWidth(0.5).strokeColor('#999999').stroke();
    doc.fontSize(8).fillColor('#555555').text(`账本序号 ${c.verification.ledgerSeq} · 内容摘要 SHA-256 ${c.verification.contentSha256}`, doc.page.margins.left, y, { width });
    doc.text(`核验：${c.verification.url}`, { width });
    doc.fillColor('#000000');
  });
}
