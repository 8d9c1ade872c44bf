import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '@yiwang/contracts';
import { describe } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { buildApp } from '../src/app';
import { ManualClock } from '../src/platform/clock';
import { loadConfig, type Config } from '../src/platform/config';
import type { AppContext } from '../src/platform/context';
import { hashPassword } from '../src/platform/auth/password';
import { availableEngines, freshDatabase, type Engine } from './fixture-db';
import { ensureCalendarSeeded } from '../src/platform/calendar/index';
import { LocalDirectoryStore } from '../src/platform/files/index';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
  engine: Engine;
  close(): Promise<void>;
}

/** Build the real application over a fresh database. Time starts at a fixed Monday unless told otherwise. */
export async function createTestApp(engine: Engine, opts: { now?: string; config?: Partial<Config> } = {}): Promise<TestApp> {
  const handle = await freshDatabase(engine);
  await ensureCalendarSeeded(handle.db);
  const clock = new ManualClock(opts.now ?? '2026-11-02T01:00:00Z');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-test-'));
  const config = loadConfig({ databaseUrl: undefined, dataDir: tmp, filesDir: path.join(tmp, 'files'), webDist: path.join(tmp, 'no-web'), seedDemo: false, authRateLimitPerMinute: 10_000, ...opts.config });
  const ctx: AppContext = { config, clock, handle, db: handle.db, files: new LocalDirectoryStore(config.filesDir) };
  const app = await buildApp({ ctx });
  return {
    app,
    ctx,
    clock,
    engine,
    async close() {
      await app.close();
      await handle.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Run a suite once per available engine (PGlite always; PostgreSQL when TEST_DATABASE_URL is set). */
export function describeEngines(name: string, fn: (engine: Engine) => void): void {
  for (const engine of availableEngines()) describe(`${name} [${engine}]`, () => fn(engine));
}

let passwordHashCache: Promise<string> | undefined;
export const TEST_PASSWORD = 'Test-password-2026';

/** Fixture: an organisation (or none) and an account with the given roles, inserted directly. */
export async function seedAccount(
  ctx: AppContext,
  spec: { username: string; roles: { role: Role; industries?: string[]; regions?: string[] }[]; org?: { name: string; uscc: string; region?: string } | string | null; displayName?: string },
): Promise<{ accountId: string; orgId: string | null }> {
  passwordHashCache ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await passwordHashCache;
  return ctx.db.transaction().execute(async (trx) => {
    let orgId: string | null = null;
    if (typeof spec.org === 'string') orgId = spec.org;
    else if (spec.org) {
      const o = await trx
        .insertInto('organisations')
        .values({ kind: 'organisation', name: spec.org.name, uscc: spec.org.uscc, person_id_hash: null, contact_name: null, contact_phone: null, region_code: spec.org.region ?? '350200' })
        .returning('id')
        .executeTakeFirstOrThrow();
      orgId = o.id;
    }
    const a = await trx
      .insertInto('accounts')
      .values({ org_id: orgId, username: spec.username, display_name: spec.displayName ?? spec.username, password_hash: passwordHash, phone: null, email: null, locked_until: null, totp_secret: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const r of spec.roles) {
      await trx.insertInto('account_roles').values({ account_id: a.id, role: r.role, industries: r.industries ?? [], regions: r.regions ?? [] }).execute();
    }
    return { accountId: a.id, orgId };
  });
}

/** A signed-in browser-like client: carries the session cookie and sends the CSRF header on writes. */
export class Session {
  constructor(
    readonly app: FastifyInstance,
    readonly cookie: string,
    readonly csrfToken: string,
  ) {}
  request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const headers = { ...(opts.headers ?? {}), cookie: `yw_session=${this.cookie}`, 'x-csrf-token': this.csrfToken };
    return this.app.inject({ ...opts, headers });
  }
  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, payload?: unknown) {
    return this.request({ method: 'POST', url, payload: payload as InjectOptions['payload'] });
  }
  put(url: string, payload?: unknown) {
    return this.request({ method: 'PUT', url, payload: payload as InjectOptions['payload'] });
  }
  patch(url: string, payload?: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
}

export async function login(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'yw_session')!.value;
  return new Session(app, cookie, res.json<{ csrfToken: string }>().csrfToken);
}

/** Assert helper: the body is a problem+json with this code (returns it for more checks). */
export function problem(res: LightMyRequestResponse): { code: string; field?: string; message: { zh: string; en: string }; status: number } {
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${res.statusCode} ${res.headers['content-type']}: ${res.body.slice(0, 300)}`);
  }
  return res.json();
}
