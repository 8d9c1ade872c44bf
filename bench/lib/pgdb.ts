import pg from 'pg';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DbHandle } from '../../apps/server/src/platform/db/database';
import { migrate } from '../../apps/server/src/platform/db/migrate';

/** Administrative connection used to create and drop the benchmark's own databases (never the app's). */
export const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const cleanups: (() => Promise<void>)[] = [];

/** Register work to undo at the end of the run, even when a suite fails or the run is interrupted. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    await fn().catch((e: unknown) => console.error('[bench] cleanup failed:', (e as Error).message));
  }
}

export function urlFor(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * Create an empty PostgreSQL database named yiwang_bench_<tag> (dropped first if a crashed run left it), migrate
 * it with the application's own migrations, and drop it again at the end of the run.
 */
export async function createBenchPg(tag: string, opts: { poolSize?: number } = {}): Promise<{ url: string; name: string; handle: DbHandle }> {
  const name = `yiwang_bench_${tag}`.replace(/[^a-z0-9_]/g, '_');
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${name}`);
  onCleanup(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = urlFor(name);
  const handle = await openDatabase({ databaseUrl: url, poolSize: opts.poolSize ?? 10 });
  onCleanup(() => handle.close().catch(() => {}));
  await migrate(handle);
  return { url, name, handle };
}

/** A PGlite database in a fresh temporary data directory (on disk, like `npm start`), migrated, removed at the end. */
export async function createBenchPglite(tag: string): Promise<{ dir: string; handle: DbHandle }> {
  const dir = tempDir(`pglite-${tag}`);
  const handle = await openDatabase({ dataDir: dir });
  let closed = false;
  const close = handle.close.bind(handle);
  handle.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  onCleanup(() => handle.close());
  await migrate(handle);
  return { dir, handle };
}

/** A temporary directory removed at the end of the run. */
export function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `yiwang-bench-${tag}-`));
  onCleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A raw `pg` pool on a benchmark database (for baselines that bypass Kysely and the application). */
export function rawPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  let ended = false;
  onCleanup(async () => {
    if (!ended) {
      ended = true;
      await pool.end();
    }
  });
  return pool;
}
