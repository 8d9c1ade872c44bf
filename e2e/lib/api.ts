// A signed-in HTTP client for the parts of an end-to-end scenario that are not the UI under test (set-up by other
// parties): session cookie + CSRF header like the web app, JSON bodies, multipart uploads, raw octet-stream bodies.
import { expect } from 'vitest';
import { DEMO_PASSWORD } from './ui';

export class ApiSession {
  private constructor(
    readonly base: string,
    readonly username: string,
    private cookie: string,
    private csrf: string,
    readonly accountId: string,
    readonly orgId: string | null,
  ) {}

  static async login(base: string, username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const body = (await res.json()) as { csrfToken: string; actor: { accountId?: string; id?: string; orgId: string | null } };
    expect(res.status, `${username}: ${JSON.stringify(body)}`).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return new ApiSession(base, username, cookie, body.csrfToken, (body.actor.accountId ?? body.actor.id)!, body.actor.orgId);
  }

  async raw(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method,
      headers: { cookie: this.cookie, accept: 'application/json', ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrf }), ...headers },
      body,
    });
  }

  /** JSON call; fails the test with the server's answer unless the status is one of `ok`. */
  async call<T = Record<string, unknown>>(method: string, path: string, json?: unknown, ok: number[] = [200, 201]): Promise<T> {
    const res = await this.raw(method, path, json === undefined ? undefined : JSON.stringify(json), json === undefined ? {} : { 'content-type': 'application/json' });
    const text = await res.text();
    expect(ok, `${this.username} ${method} ${path} → ${res.status} ${text}`).toContain(res.status);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.call<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, json: unknown = {}) {
    return this.call<T>('POST', path, json);
  }

  async upload(name: string, bytes: Buffer, type = 'application/pdf'): Promise<string> {
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    const res = await this.raw('POST', '/api/files', fd);
    const body = (await res.json()) as { id: string };
    expect([200, 201], JSON.stringify(body)).toContain(res.status);
    return body.id;
  }
}
