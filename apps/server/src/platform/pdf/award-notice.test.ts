import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderAwardNotice, type AwardNoticeData } from './award-notice';
import { cjkFonts } from './fonts';

let fontsPresent = true;
try {
  cjkFonts();
} catch {
  fontsPresent = false;
}

async function pdfText(bytes: Buffer): Promise<{ text: string; pages: number; fonts: string[] }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const content = await page.getTextContent();
    text += content.items.map((i) => ('str' in i ? i.str : '')).join('') + '\n';
  }
  const raw = bytes.toString('latin1');
  const fonts = [...raw.matchAll(/\/BaseFont \/([A-Z]{6}\+[^\s/]+)/g)].map((m) => m[1]!);
  return { text, pages: pdf.numPages, fonts };
}

const notice: AwardNoticeData = {
  noticeNo: 'ZBTZ-350213-2026-0042',
  winnerName: '福建一建集团有限公司',
  tenderTitle: '厦门市翔安区马巷镇市政道路改造工程施工招标',
  tenderCode: 'E3502130042001',
  lotTitle: '第一标段',
  bidSubmittedAt: new Date('2026-10-14T03:00:00Z'),
  priceFen: 4_610_220_037,
  durationDays: 365,
  quality: '合格',
  projectManager: '陈建国',
  tendererName: '厦门市翔安区市政园林局',
  agencyName: '福建建科招标代理有限公司',
  contractDeadline: new Date('2026-12-03T15:59:59Z'),
  issuedAt: new Date('2026-11-03T02:00:00Z'),
  verification: { ledgerSeq: 18342, contentSha256: 'a'.repeat(64), url: 'https://ggzy.example.cn/verify?seq=18342' },
};

// Loading pdfkit/fontkit and subsetting a CJK collection takes seconds of CPU on a busy machine: generous timeouts.
describe.skipIf(!fontsPresent)('中标通知书 PDF', () => {
  if (!fontsPresent) console.warn('No CJK font installed (fonts-noto-cjk): award-notice PDF test skipped');

  it('embeds a subset CJK font and reads back as the notice text', async () => {
    const bytes = await renderAwardNotice(notice);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages, fonts } = await pdfText(bytes);
    expect(pages).toBe(1);
    expect(fonts.some((f) => /CJK/.test(f))).toBe(true);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('中标通知书');
    expect(flat).toContain('福建一建集团有限公司：');
    expect(flat).toContain('你方于2026年10月14日所递交的厦门市翔安区马巷镇市政道路改造工程施工招标');
    expect(flat).toContain('人民币（大写）肆仟陆佰壹拾万贰仟贰佰元叁角柒分（¥46,102,200.37）');
    expect(flat).toContain('于2026年12月3日前');
    expect(flat).toContain('2026年11月3日');
    expect(flat).toContain('账本序号18342');
    // A one-page notice with a subset font stays small enough to attach to mail and archive.
    expect(bytes.length).toBeLessThan(400_000);
  }, 60_000);

  it('is deterministic: the same notice gives the same bytes (its hash can be ledgered)', async () => {
    const [a, b] = await Promise.all([renderAwardNotice(notice), renderAwardNotice(notice)]);
    expect(a.equals(b)).toBe(true);
  }, 60_000);
});
