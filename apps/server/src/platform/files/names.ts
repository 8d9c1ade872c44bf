/**
 * What an uploaded file is and what it may be called. The display name a client sends is untrusted text: it is
 * reduced to a safe base name for showing and for Content-Disposition, and is never used as a path (blobs are
 * stored under their hash). The type is decided from the bytes, and must agree with the name's extension.
 */
import { AppError } from '../http/errors';

const MAX_NAME = 200;
// Windows device names are unusable as file names when a user saves the download.
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/** A safe display name: last path segment, no control/NUL characters, no characters Windows forbids, ≤ 200 chars. */
export function sanitizeFilename(raw: string): string {
  let name = raw.normalize('NFC');
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ''); // incl. bidi overrides
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/[<>:"|?*]/g, '_').trim();
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, ''); // no '..', no hidden files, no trailing dot
  if (RESERVED.test(name)) name = `_${name}`;
  if ([...name].length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = [...name.slice(0, name.length - ext.length)].slice(0, MAX_NAME - ext.length).join('') + ext;
  }
  return name || 'file';
}

interface Kind {
  mime: string;
  magic: 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'zip' | 'cfb';
}

/** The allow-list: extension → MIME type and the container its bytes must start with. */
export const ALLOWED: Readonly<Record<string, Kind>> = {
  pdf: { mime: 'application/pdf', magic: 'pdf' },
  png: { mime: 'image/png', magic: 'png' },
  jpg: { mime: 'image/jpeg', magic: 'jpeg' },
  jpeg: { mime: 'image/jpeg', magic: 'jpeg' },
  gif: { mime: 'image/gif', magic: 'gif' },
  webp: { mime: 'image/webp', magic: 'webp' },
  tif: { mime: 'image/tiff', magic: 'tiff' },
  tiff: { mime: 'image/tiff', magic: 'tiff' },
  // Office Open XML, OFD (GB/T 33190, 版式文档) and plain archives are ZIP containers.
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: 'zip' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: 'zip' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: 'zip' },
  ofd: { mime: 'application/ofd', magic: 'zip' },
  zip: { mime: 'application/zip', magic: 'zip' },
  // Legacy Office and WPS formats are OLE2 compound files.
  doc: { mime: 'application/msword', magic: 'cfb' },
  xls: { mime: 'application/vnd.ms-excel', magic: 'cfb' },
  ppt: { mime: 'application/vnd.ms-powerpoint', magic: 'cfb' },
  wps: { mime: 'application/vnd.ms-works', magic: 'cfb' },
  et: { mime: 'application/vnd.ms-excel', magic: 'cfb' },
};

function magicOf(head: Buffer): Kind['magic'] | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (head.subarray(0, 6).toString('latin1') === 'GIF87a' || head.subarray(0, 6).toString('latin1') === 'GIF89a') return 'gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  // Local file header, or the end-of-central-directory record of an empty archive.
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'zip';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'cfb';
  return undefined;
}

function unsupported(name: string, why: { zh: string; en: string }): AppError {
  return new AppError(
    'UNSUPPORTED_FILE_TYPE',
    415,
    `不支持的文件类型（${name}）：${why.zh}。允许：PDF、OFD、图片（PNG/JPEG/GIF/WebP/TIFF）、Office/WPS 文档、ZIP 压缩包`,
    `Unsupported file type (${name}): ${why.en}. Allowed: PDF, OFD, images (PNG/JPEG/GIF/WebP/TIFF), Office/WPS documents, ZIP archives`,
    'file',
    { allowed: Object.keys(ALLOWED) },
  );
}

/** Decide the MIME type from the extension and the leading bytes; refuse (UNSUPPORTED_FILE_TYPE) if they disagree. */
export function classify(name: string, head: Buffer): string {
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  const kind = Object.hasOwn(ALLOWED, ext) ? ALLOWED[ext] : undefined;
  if (!kind) return unsupportedThrow(name, { zh: `扩展名 .${ext || '(无)'} 不在允许范围内`, en: `extension .${ext || '(none)'} is not allowed` });
  const magic = magicOf(head);
  if (magic !== kind.magic) {
    return unsupportedThrow(name, { zh: '文件内容与扩展名不符', en: 'the content does not match the extension' });
  }
  return kind.mime;
}

function unsupportedThrow(name: string, why: { zh: string; en: string }): never {
  throw unsupported(name, why);
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the exact name as RFC 5987 `filename*`. */
export function contentDisposition(name: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
