import { shanghaiDate } from '../calendar/core';
import { fenToChineseUppercase, fenToYuanGrouped } from './money';
import { renderPdf } from './render';

/** What a 中标通知书 states (招标投标法 第四十五条; 条例 第七十三条 on its content and the 30-day contract window). */
export interface AwardNoticeData {
  noticeNo: string;
  winnerName: string;
  tenderTitle: string;
  tenderCode?: string;
  lotTitle: string;
  bidSubmittedAt: Date;
  priceFen: number;
  durationDays?: number | null;
  quality?: string | null;
  projectManager?: string | null;
  tendererName: string;
  agencyName?: string | null;
  /** 招标投标法 第四十六条: the contract is signed within 30 days of the notice. */
  contractDeadline: Date;
  issuedAt: Date;
  /** Where anyone can check this notice against the platform's ledger. */
  verification: { ledgerSeq: number; contentSha256: string; url: string };
}

const cnDate = (d: Date) => {
  const [y, m, day] = shanghaiDate(d).split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
};

export function renderAwardNotice(n: AwardNoticeData): Promise<Buffer> {
  return renderPdf({ title: `中标通知书 ${n.noticeNo}`, author: n.tendererName, createdAt: n.issuedAt }, (doc) => {
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font('bold').fontSize(22).text('中 标 通 知 书', { align: 'center' });
    doc.moveDown(0.4).font('body').fontSize(10.5).text(`编号：${n.noticeNo}`, { align: 'right' });
    doc.moveDown(1.2).fontSize(13).font('bold').text(`${n.winnerName}：`);
    doc.font('body').fontSize(12).moveDown(0.6);
    const para = (s: string) => doc.text(s, { indent: 24, lineGap: 6, align: 'justify', width }).moveDown(0.3);
    para(
      `你方于${cnDate(n.bidSubmittedAt)}所递交的${n.tenderTitle}${n.tenderCode ? `（项目编号：${n.tenderCode}）` : ''}${n.lotTitle}投标文件已被我方接受，被确定为中标人。`,
    );
    const rows: [string, string][] = [
      ['中标价', `人民币（大写）${fenToChineseUppercase(n.priceFen)}（¥${fenToYuanGrouped(n.priceFen)}）`],
      ...(n.durationDays ? [['工期', `${n.durationDays} 日历天`] as [string, string]] : []),
      ...(n.quality ? [['质量标准', n.quality] as [string, string]] : []),
      ...(n.projectManager ? [['项目负责人', n.projectManager] as [string, string]] : []),
    ];
    for (const [k, v] of rows) doc.text(`${k}：${v}`, { indent: 24, lineGap: 6, width });
    doc.moveDown(0.3);
    para(`请你方在接到本通知书后，于${cnDate(n.contractDeadline)}前与我方按照招标文件和你方的投标文件订立书面合同（《中华人民共和国招标投标法》第四十六条）。`);
    para('本通知书在一网交易平台生成并记入防篡改账本，纸质打印件与平台记录具有同等效力。');

    doc.moveDown(2);
    const right = (s: string) => doc.text(s, { align: 'right', width, lineGap: 8 });
    right(`招标人：${n.tendererName}（盖章）`);
    if (n.agencyName) right(`招标代理机构：${n.agencyName}（盖章）`);
    right(cnDate(n.issuedAt));

    // Verification footer: ledger position, content hash and where to check them.
    const y = doc.page.height - doc.page.margins.bottom - 48;
    doc.moveTo(doc.page.margins.left, y - 8).lineTo(doc.page.margins.left + width, y - 8).lineWidth(0.5).strokeColor('#999999').stroke();
    doc.fontSize(8).fillColor('#555555').text(`账本序号 ${n.verification.ledgerSeq} · 内容摘要 SHA-256 ${n.verification.contentSha256}`, doc.page.margins.left, y, { width });
    doc.text(`核验：${n.verification.url}`, { width });
    doc.fillColor('#000000');
  });
}
