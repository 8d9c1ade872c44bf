import sanitizeHtml from 'sanitize-html';
import { createHash } from 'node:crypto';
import { ANNOUNCEMENT_TYPES, ANNOUNCEMENT_TYPES_NEEDING_RELATED, type DraftInput } from '@yiwang/contracts';
import { Errors } from '../../platform/http/errors';
import { canonicalJson } from '../../platform/ledger/canonical';

/**
 * Announcement body HTML: a conservative allow-list. Everything else — scripts, styles, event handlers, iframes,
 * forms, javascript:/data: URLs, images from other hosts (tracking pixels, mixed content) — is removed before the
 * body is stored, so neither the portal nor any API consumer ever receives it.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'h2', 'h3', 'h4', 'strong', 'em', 'b', 'i', 'u', 'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'a', 'img', 'hr'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'width', 'height'], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Drop the content of these entirely (not just the tags).
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template'],
  exclusiveFilter: (frame) => frame.tag === 'img' && !isOwnFileUrl(frame.attribs.src ?? ''),
  transformTags: {
    // Links leave the portal in a new context without the opener or the referrer.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
  },
};

/** Images may only come from our own file store: `/api/files/<id>…`, no scheme, no host, no traversal. */
export function isOwnFileUrl(src: string): boolean {
  return /^\/api\/files\/[0-9a-fA-F-]{36}(\/[a-z]+)?$/.test(src);
}

export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, SANITIZE).trim();
}

/** Plain text of sanitised HTML, for search tokens and snippets. */
export function plainText(html: string): string {
  return sanitizeHtml(html.replace(/<(br|\/p|\/h[2-4]|\/li|\/tr|\/td|\/th)[^>]*>/gi, '$& '), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export const MAX_BODY_CHARS = 200_000;
export const MAX_ATTACHMENTS = 30;
export const CATEGORY_CODE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
export const REGION_CODE = /^\d{6}$/;

export type { DraftInput };

/** Checks the schema cannot express; returns the cleaned input. Each failure names its field. */
export function checkDraft(input: DraftInput): DraftInput & { bodyHtml: string; bodyText: string; fileIds: string[] } {
  if (!ANNOUNCEMENT_TYPES.includes(input.type)) throw Errors.validation('type', `未知的公告类型 ${input.type}`, `Unknown announcement type ${input.type}`, 'ANNOUNCEMENT_TYPE_UNKNOWN');
  const title = input.title.trim().replace(/\s+/g, ' ');
  if (!title) throw Errors.validation('title', '标题不能为空', 'The title must not be empty', 'FIELD_REQUIRED');
  if (!CATEGORY_CODE.test(input.categoryCode)) throw Errors.validation('categoryCode', '交易目录代码格式不正确', 'The catalog category code is malformed');
  if (!REGION_CODE.test(input.regionCode)) throw Errors.validation('regionCode', '行政区划代码应为 6 位数字（GB/T 2260）', 'The region code must be 6 digits (GB/T 2260)');
  const bodyHtml = sanitizeBody(input.bodyHtml);
  const bodyText = plainText(bodyHtml);
  if (!bodyText && !/<img|<table/.test(bodyHtml)) throw Errors.validation('bodyHtml', '公告正文不能为空', 'The announcement body must not be empty', 'FIELD_REQUIRED');
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  if (ANNOUNCEMENT_TYPES_NEEDING_RELATED.includes(input.type) && !input.relatedId) {
    throw Errors.validation('relatedId', '变更、终止公告须指明所针对的原公告', 'A change or termination notice must name the announcement it amends', 'FIELD_REQUIRED');
  }
  const imageIds = [...bodyHtml.matchAll(/<img[^>]*\ssrc="\/api\/files\/([0-9a-fA-F-]{36})/g)].map((m) => m[1]!.toLowerCase());
  const fileIds = [...new Set([...attachmentIds.map((x) => x.toLowerCase()), ...imageIds])];
  return { ...input, title, bodyHtml, bodyText, attachmentIds, fileIds, projectId: input.projectId ?? null, relatedId: input.relatedId ?? null };
}

export interface PublishedContent {
  id: string;
  type: string;
  title: string;
  categoryCode: string;
  regionCode: string;
  projectId: string | null;
  bodyHtml: string;
  attachmentIds: string[];
  publisherOrgId: string;
  relatedId: string | null;
  publishedAt: Date;
}

/** SHA-256 of the canonical JSON of what was published; in the ledger entry and on the portal page. */
export function contentHash(c: PublishedContent): string {
  return createHash('sha256').update(canonicalJson({ v: 1, ...c })).digest('hex');
}
