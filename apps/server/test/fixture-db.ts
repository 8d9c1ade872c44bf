import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../src/platform/db/database';
import { listMigrations, migrate } from '../src/platform/db/migrate';
import { REPO_ROOT } from '../src/platform/config';

/**
 * Test databases are cheap copies of one migrated template: PGlite loads a dump (~0.5 s) instead of running
 * initdb and every migration per test file; PostgreSQL clones a template database.
 */
export const FIXTURE_DIR = path.join(REPO_ROOT, '.vitest-fixtures');

export function migrationsHash(): string {
  const h = createHash('sha256');
  for (const m of listMigrations()) h.update(m.version).update(fs.readFileSync(m.file));
  return h.digest('hex').slice(0, 16);
}

export function pgliteDumpPath(): string {
  return path.join(FIXTURE_DIR, `pglite-${migrationsHash()}.tar`);
}

/** Each test run migrates its own template (several runs may share one server), named in the environment. */
export function pgTemplateName(): string {
  return process.env.YIWANG_TEST_PG_TEMPLATE ?? 'yiwang_test_template';
}

export async function preparePgliteDump(): Promise<string> {
  const file = pgliteDumpPath();
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(FIXTURE_DIR, { recursive: true });
  const handle = await openDatabase({});
  await migrate(handle);
  const dump = await handle.pglite!.dumpDataDir('none');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  await handle.close();
  return file;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function preparePgTemplate(url: string, template: string): Promise<void> {
  await admin(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${template}`);
  });
  const handle = await openDatabase({ databaseUrl: withDatabase(url, template), poolSize: 1 });
  await migrate(handle);
  await handle.close();
}

export type Engine = 'pglite' | 'postgres';

export function availableEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, migrated, empty database on the given engine; `close` drops it. */
export async function freshDatabase(engine: Engine): Promise<DbHandle> {
  if (engine === 'pglite') {
    const buf = fs.readFileSync(process.env.YIWANG_TEST_PGLITE_DUMP ?? pgliteDumpPath());
    return openDatabase({ loadDataDir: new Blob([buf]) });
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `yiwang_t_${randomBytes(6).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateName()}`));
  const handle = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 5 });
  const close = handle.close.bind(handle);
  handle.close = async () => {
    await close();
    await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return handle;
}

export async function dropPgTemplate(url: string, template: string): Promise<void> {
  await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
}
