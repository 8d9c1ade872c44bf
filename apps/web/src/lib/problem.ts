// Pure translation of the server's problem+json errors (RFC 9457; apps/server/src/platform/http/errors.ts) into
// what a person sees: a message in the current language, and form-field errors when the server names a field.
import type { Lang } from './i18n/lang';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  message: { zh: string; en: string };
  field?: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages: { zh: string; en: string };
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(problem: Problem) {
    super(problem.message.en);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.messages = problem.message;
    this.field = problem.field;
    this.details = problem.details;
  }

  text(lang: Lang): string {
    return lang === 'en' ? this.messages.en : this.messages.zh;
  }
}

/** Read any response body into a Problem, including non-problem bodies from proxies or a server that is down. */
export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const msg = b.message;
    if (typeof b.code === 'string' && msg && typeof msg === 'object' && typeof (msg as Record<string, unknown>).zh === 'string') {
      const m = msg as { zh: string; en?: string };
      return {
        status,
        code: b.code,
        message: { zh: m.zh, en: typeof m.en === 'string' ? m.en : m.zh },
        ...(typeof b.field === 'string' && b.field ? { field: b.field } : {}),
        ...(b.details && typeof b.details === 'object' ? { details: b.details as Record<string, unknown> } : {}),
        ...(typeof b.type === 'string' ? { type: b.type } : {}),
        ...(typeof b.title === 'string' ? { title: b.title } : {}),
      };
    }
  }
  if (status === 0) return { status, code: 'NETWORK', message: { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the network and try again' } };
  if (status === 401) return { status, code: 'UNAUTHENTICATED', message: { zh: '请先登录，或会话已过期', en: 'Sign in first, or the session has expired' } };
  if (status === 403) return { status, code: 'FORBIDDEN', message: { zh: '无权执行此操作', en: 'You are not allowed to do this' } };
  if (status === 404) return { status, code: 'NOT_FOUND', message: { zh: '资源不存在', en: 'Not found' } };
  return { status, code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', message: { zh: `请求失败（${status}）`, en: `Request failed (${status})` } };
}

/**
 * A server field path (`lots.0.name`, `body.title`, `query.limit`) as an Ant Design form name path
 * (`['lots', 0, 'name']`). Request-part prefixes are dropped: forms only hold body fields.
 */
export function fieldPath(field: string): (string | number)[] {
  const parts = field.split('.').filter(Boolean);
  if (parts[0] === 'body' || parts[0] === 'querystring' || parts[0] === 'query' || parts[0] === 'params') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The `form.setFields` argument for an error that names a field, or undefined. */
export function fieldErrors(err: unknown, lang: Lang): { name: (string | number)[]; errors: string[] }[] | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined;
  const name = fieldPath(err.field);
  if (name.length === 0) return undefined;
  return [{ name, errors: [err.text(lang)] }];
}

/** A message for any thrown thing, in the current language. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return err.text(lang);
  if (err instanceof Error) return err.message;
  return String(err);
}
