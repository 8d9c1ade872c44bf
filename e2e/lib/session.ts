// A signed-in API client for end-to-end tests that act beside the browser (bids sealed with the SDK, clock moves):
// keeps the session cookie and sends the CSRF header on writes, like the web app does.
import { DEMO_PASSWORD } from './ui';

export class ApiSession {
  private constructor(
    readonly base: string,
    private cookie: string,
    private csrf: string,
    readonly actor: { accountId: string; orgId: string | null; username: string },
  ) {}

  static async login(base: string, username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const cookie = /yw_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (!cookie) throw new Error(`login ${username}: no session cookie`);
    const body = (await res.json()) as { csrfToken: string; actor: { accountId: string; orgId: string | null; username: string } };
    return new ApiSession(base, cookie, body.csrfToken, body.actor);
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, expect = [200, 201]): Promise<T> {
    const raw = body instanceof Uint8Array;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        cookie: `yw_session=${this.cookie}`,
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': raw ? 'application/octet-stream' : 'application/json' }),
      },
      body: body === undefined ? undefined : raw ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T = unknown>(path: string) {
    return this.call<T>('GET', path);
  }
  post<T = unknown>(path: string, body: unknown = {}) {
    return this.call<T>('POST', path, body);
  }
}
