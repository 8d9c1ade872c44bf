import { cjkFonts } from './fonts';

export type Pdf = PDFKit.PDFDocument;

/**
 * Render a PDF in memory (documents the platform generates are one or a few pages) with the CJK fonts registered
 * as 'body' and 'bold'. `info` goes into the document properties; CreationDate is fixed to `createdAt` so the same
 * input gives the same bytes, which lets a notice's hash be recorded in the ledger and checked later.
 */
export async function renderPdf(meta: { title: string; author: string; createdAt: Date }, draw: (doc: Pdf) => void): Promise<Buffer> {
  // pdfkit (with fontkit) takes ~0.3 s of CPU to load: the first document pays it, not every start-up
  // (docs/adr/0014-startup.md).
  const { default: PDFDocument } = await import('pdfkit');
  const fonts = cjkFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 80, right: 80 },
    info: { Title: meta.title, Author: meta.author, Creator: 'Yiwang 一网交易', Producer: 'Yiwang 一网交易', CreationDate: meta.createdAt, ModDate: meta.createdAt },
    lang: 'zh-CN',
    displayTitle: true,
  });
  doc.registerFont('body', fonts.regular.path, fonts.regular.face);
  doc.registerFont('bold', fonts.bold.path, fonts.bold.face);
  doc.font('body');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}
