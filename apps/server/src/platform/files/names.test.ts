import { describe, expect, it } from 'vitest';
import type { AppError } from '../http/errors';
import { classify, contentDisposition, sanitizeFilename } from './names';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

describe('sanitizeFilename', () => {
  it('keeps only a safe base name', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('..\\..\\windows\\win.ini')).toBe('win.ini');
    expect(sanitizeFilename('..\\x')).toBe('x');
    expect(sanitizeFilename('a\u0000b.pdf')).toBe('ab.pdf');
    expect(sanitizeFilename('..')).toBe('file');
    expect(sanitizeFilename('')).toBe('file');
    expect(sanitizeFilename('.htaccess')).toBe('htaccess');
    expect(sanitizeFilename('report.pdf.')).toBe('report.pdf');
    expect(sanitizeFilename('CON.pdf')).toBe('_CON.pdf');
    expect(sanitizeFilename('投标文件<最终>.pdf')).toBe('投标文件_最终_.pdf');
    expect(sanitizeFilename('evil\u202Efdp.exe')).toBe('evilfdp.exe');
  });

  it('shortens long names but keeps the extension', () => {
    const long = `${'标'.repeat(300)}.docx`;
    const s = sanitizeFilename(long);
    expect([...s].length).toBe(200);
    expect(s.endsWith('.docx')).toBe(true);
  });
});

describe('classify', () => {
  it('accepts allowed types whose bytes match the extension', () => {
    expect(classify('招标文件.pdf', PDF)).toBe('application/pdf');
    expect(classify('电子证照.OFD', ZIP)).toBe('application/ofd');
    expect(classify('报价.xlsx', ZIP)).toContain('spreadsheetml');
    expect(classify('现场.png', PNG)).toBe('image/png');
  });

  it('refuses other types and disguised files', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as AppError).code;
      }
      return 'accepted';
    };
    expect(code(() => classify('run.exe', Buffer.from('MZ\x90\x00')))).toBe('UNSUPPORTED_FILE_TYPE');
    expect(code(() => classify('page.html', Buffer.from('<html>')))).toBe('UNSUPPORTED_FILE_TYPE');
    expect(code(() => classify('fake.pdf', Buffer.from('MZ\x90\x00')))).toBe('UNSUPPORTED_FILE_TYPE');
    expect(code(() => classify('noext', PDF))).toBe('UNSUPPORTED_FILE_TYPE');
    expect(code(() => classify('x.toString', PDF))).toBe('UNSUPPORTED_FILE_TYPE');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name per RFC 5987', () => {
    expect(contentDisposition('投标文件(1).pdf')).toBe(
      `attachment; filename="____(1).pdf"; filename*=UTF-8''%E6%8A%95%E6%A0%87%E6%96%87%E4%BB%B6%281%29.pdf`,
    );
    expect(contentDisposition('a"b\\c.pdf')).toBe(`attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`);
  });
});
