// The one way the web app talks to the server: same-origin cookies, the CSRF header on writes (double-submit,
// apps/server/src/platform/auth/plugin.ts), and problem+json errors turned into ApiError.
import { ApiError, toProblem } from './problem';

let csrfToken: string | null = null;
let onUnauthenticated: ((code: string) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF token for writes that do not go through `request` (XMLHttpRequest uploads with progress). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called on 401 (and on SECOND_FACTOR_REQUIRED) from non-auth endpoints: the app sends the user to /login. */
export function setUnauthenticatedHandler(handler: ((code: string) => void) | null): void {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not redirect to the login page on 401 (the auth calls themselves, and the "who am I" probe). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (WRITE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(toProblem(0, undefined));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    const err = new ApiError(toProblem(res.status, parsed));
    const authPath = path.startsWith('/api/auth/');
    if (!opts.quiet401 && !authPath && (res.status === 401 || err.code === 'SECOND_FACTOR_REQUIRED')) onUnauthenticated?.(err.code);
    throw err;
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('PUT', path, { ...opts, body: body ?? {} }),
  del: <T>(path: string, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('DELETE', path, opts),
};

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  sha256?: string;
  mime?: string;
}

/** Upload one file (multipart, the single field `file`) to the content-addressed store (apps/server files module). */
export function uploadFile(file: File): Promise<StoredFile> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return request<StoredFile>('POST', '/api/files', { body: fd });
}
