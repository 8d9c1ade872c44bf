import fs from 'node:fs';
import { AppError } from '../http/errors';

/**
 * CJK fonts for generated PDFs. Official notices (中标通知书 and the like) are set in a Song/Ming serif; Debian's
 * fonts-noto-cjk ships Noto Serif CJK as TrueType collections, from which the Simplified Chinese face is picked by
 * its PostScript name. pdfkit embeds only the glyphs used, so a one-page notice stays small.
 * YIWANG_PDF_FONT (+ YIWANG_PDF_FONT_FACE for a collection) points at another font.
 */
export interface FontFace {
  path: string;
  /** PostScript name inside a .ttc collection; undefined for a single-face file. */
  face?: string;
}

const CANDIDATES: { regular: FontFace; bold: FontFace }[] = [
  {
    regular: { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc', face: 'NotoSerifCJKsc-Bold' },
  },
  {
    regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', face: 'NotoSansCJKsc-Bold' },
  },
];

let cached: { regular: FontFace; bold: FontFace } | undefined;

export function cjkFonts(): { regular: FontFace; bold: FontFace } {
  if (cached) return cached;
  const custom = process.env.YIWANG_PDF_FONT;
  if (custom) {
    const face: FontFace = { path: custom, face: process.env.YIWANG_PDF_FONT_FACE || undefined };
    if (!fs.existsSync(custom)) throw missing(`YIWANG_PDF_FONT=${custom}`);
    return (cached = { regular: face, bold: face });
  }
  for (const c of CANDIDATES) {
    if (fs.existsSync(c.regular.path)) return (cached = { regular: c.regular, bold: fs.existsSync(c.bold.path) ? c.bold : c.regular });
  }
  throw missing('fonts-noto-cjk');
}

function missing(what: string): AppError {
  return new AppError(
    'PDF_FONT_MISSING',
    503,
    `服务器缺少中文字体，无法生成 PDF（${what}）；请运维人员安装 fonts-noto-cjk 或设置 YIWANG_PDF_FONT`,
    `The server has no Chinese font to generate the PDF (${what}); the operator should install fonts-noto-cjk or set YIWANG_PDF_FONT`,
  );
}
