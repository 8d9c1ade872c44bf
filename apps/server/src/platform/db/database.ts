import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import path from 'node:path';
import type { Tables } from './schema';
import { PgliteMutexPool } from './pglite-pool';
import { lockDataDir } from './lock';

export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;
/** Either the root handle or a transaction: repository functions accept both. */
export type DbOrTx = Kysely<Tables>;

export interface DbHandle {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Run a multi-statement SQL script (migrations, fixtures). */
  execScript(script: string): Promise<void>;
  /** The raw PGlite instance (only for dump/restore in tests and benchmarks). */
  pglite?: PGlite;
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

// Type parsers shared by both engines so the application sees the same JS values whichever runs:
// bigint → number (amounts are integer 分; far below 2^53), numeric → string (exact decimals),
// date → 'YYYY-MM-DD' string (a calendar date has no time zone), timestamptz → Date (an instant).
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

function toSafeNumber(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${v} exceeds the safe integer range`);
  return n;
}

pg.types.setTypeParser(INT8, toSafeNumber);
pg.types.setTypeParser(NUMERIC, (v) => v);
pg.types.setTypeParser(DATE, (v) => v);

/**
 * The driver under each root Kysely handle, for the few bulk paths Kysely cannot express (COPY … TO STDOUT in
 * `ledger verify`). Keyed by the handle itself; a transaction object is a different object and is not found, so
 * callers fall back to ordinary queries inside transactions.
 */
const drivers = new WeakMap<object, { pgPool?: pg.Pool; pglite?: PGlite }>();

export function driverOf(db: DbOrTx): { pgPool?: pg.Pool; pglite?: PGlite } | undefined {
  return drivers.get(db);
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory; undefined = in memory. */
  dataDir?: string;
  /** Start PGlite from a dump (tests load a migrated template this way instead of initdb each time). */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts);
}

async function openPostgres(url: string, max: number): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle pooled connection can be cut by the server (restart, failover, an administrator's terminate). pg then
  // emits 'error' on the pool; unhandled, that would crash the process. The pool drops the client and the next
  // query opens a new connection, so logging is all that is needed.
  pool.on('error', (e: Error & { code?: string }) => {
    console.warn(`PostgreSQL 空闲连接中断 / idle connection closed by the server (${e.code ?? 'no code'}): ${e.message}`);
  });
  // Fail fast with a clear message rather than on the first request.
  const client = await pool.connect().catch((e: Error) => {
    throw new Error(`无法连接 PostgreSQL / cannot connect to PostgreSQL (${redact(url)}): ${e.message}`);
  });
  client.release();
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  drivers.set(db, { pgPool: pool });
  return {
    db,
    engine: 'postgres',
    pgPool: pool,
    async execScript(script) {
      // No parameters → pg uses the simple query protocol, which accepts several statements. A failed script
      // that opened a transaction is rolled back on the same connection before it returns to the pool.
      const c = await pool.connect();
      try {
        await c.query(script);
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPglite(opts: OpenOptions): Promise<DbHandle> {
  const release = opts.dataDir ? lockDataDir(path.resolve(opts.dataDir)) : () => {};
  let pglite: PGlite;
  try {
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    pglite = new PGlite({
      dataDir: opts.dataDir ? path.join(path.resolve(opts.dataDir), 'pgdata') : undefined,
      loadDataDir: opts.loadDataDir,
      extensions: { pg_trgm },
      parsers: { [INT8]: (v: string) => toSafeNumber(v), [NUMERIC]: (v: string) => v, [DATE]: (v: string) => v },
    });
    await pglite.waitReady;
  } catch (e) {
    release();
    throw e;
  }
  const pool = new PgliteMutexPool(pglite);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: pool as never }) });
  drivers.set(db, { pglite });
  return {
    db,
    engine: 'pglite',
    pglite,
    execScript: (script) => pool.exec(script),
    async close() {
      await db.destroy();
      await pglite.close();
      release();
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
