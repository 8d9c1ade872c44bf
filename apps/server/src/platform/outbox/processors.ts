import { sql } from 'kysely';
import { ledgerSealer } from '../ledger/sealer';
import type { AppContext } from '../context';
import type { Tx } from '../db/database';
import '../ledger/ledger.tables';

/**
 * Outbox processors (ARCHITECTURE §4): modules react to each other's events by subscribing here, never by calling
 * each other. Delivery is at-least-once: a handler runs inside the transaction that advances its cursor, so its
 * own database writes commit exactly once with the cursor, while outside effects (mail, SMS, HTTP) may repeat
 * after a crash and must be idempotent (key them on the event id).
 */
export interface OutboxEvent {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  ledgerSeq: number | null;
}

export interface OutboxProcessor {
  /** Stable name: the cursor row's key. Renaming it replays every event. */
  name: string;
  /** Event types this processor wants (exact match, or a prefix ending in '.*'); all when omitted. */
  types?: string[];
  /** Events per transaction (default 100). */
  batchSize?: number;
  /** Failed attempts on one event before it is dead-lettered and skipped (default 8). */
  maxAttempts?: number;
  handle(events: OutboxEvent[], trx: Tx, ctx: AppContext): Promise<void>;
}

const registry = new Map<string, OutboxProcessor>();

/** Register (or replace) a processor. Call at module load; the background runner picks it up. */
export function registerOutboxProcessor(p: OutboxProcessor): void {
  registry.set(p.name, p);
}

export function outboxProcessors(): OutboxProcessor[] {
  return [...registry.values()];
}

function wants(p: OutboxProcessor, type: string): boolean {
  return !p.types || p.types.some((t) => (t.endsWith('.*') ? type.startsWith(t.slice(0, -1)) : t === type));
}

/** Retry delay after the n-th consecutive failure: 1 s, 2 s, 4 s … capped at 10 min (by the injected clock). */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
}

export type BatchOutcome = 'progress' | 'idle' | 'busy' | 'waiting' | 'failed';

const ensured = new WeakMap<object, Set<string>>();

/**
 * Process one batch for one processor. The cursor row is claimed FOR UPDATE SKIP LOCKED, so on several nodes
 * exactly one works a given processor at a time and the others move on. Events are read in (tx_id, id) order
 * and only from transactions older than every one still running, so none can commit behind the cursor.
 */
export async function runOutboxBatch(
  ctx: AppContext,
  p: OutboxProcessor,
): Promise<{ outcome: BatchOutcome; events: number; error?: string }> {
  const { db } = ctx;
  let seen = ensured.get(db);
  if (!seen) ensured.set(db, (seen = new Set()));
  if (!seen.has(p.name)) {
    await db
      .insertInto('outbox_cursors')
      .values({ processor: p.name, last_id: 0 })
      .onConflict((oc) => oc.column('processor').doNothing())
      .execute();
    seen.add(p.name);
  }
  const now = ctx.clock.now();
  let claimed: { lastTx: string; lastId: number; attempts: number; batch: { id: number; tx_id: string; type: string }[] } | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      const cur = (
        await sql<{ last_tx: string; last_id: number; attempts: number; retry_at: Date | null }>`
          SELECT last_tx::text AS last_tx, last_id, attempts, retry_at FROM outbox_cursors
          WHERE processor = ${p.name} FOR UPDATE SKIP LOCKED`.execute(trx)
      ).rows[0];
      if (!cur) return { outcome: 'busy' as const, events: 0 };
      if (cur.retry_at && cur.retry_at.getTime() > now.getTime()) return { outcome: 'waiting' as const, events: 0 };
      // After a failure, go one event at a time so the culprit is found and only it is dead-lettered.
      const limit = cur.attempts > 0 ? 1 : (p.batchSize ?? 100);
      const horizon = await safeHorizon(trx);
      const rows = (
        await sql<{
          id: number;
          tx_id: string;
          type: string;
          payload: Record<string, unknown>;
          created_at: Date;
          ledger_seq: number | null;
        }>`
          SELECT id, tx_id::text AS tx_id, type, payload, created_at, ledger_seq FROM outbox_events
          WHERE (tx_id, id) > (${cur.last_tx}::xid8, ${cur.last_id}::bigint)
            AND tx_id < ${horizon}::xid8
          ORDER BY tx_id, id LIMIT ${limit}`.execute(trx)
      ).rows;
      if (rows.length === 0) return { outcome: 'idle' as const, events: 0 };
      claimed = { lastTx: cur.last_tx, lastId: cur.last_id, attempts: cur.attempts, batch: rows };
      const mine = rows
        .filter((r) => wants(p, r.type))
        .map((r) => ({ id: r.id, type: r.type, payload: r.payload, createdAt: r.created_at, ledgerSeq: r.ledger_seq }));
      if (mine.length > 0) await p.handle(mine, trx, ctx);
      const last = rows[rows.length - 1]!;
      await sql`UPDATE outbox_cursors SET last_tx = ${last.tx_id}::xid8, last_id = ${last.id}, attempts = 0, last_error = NULL, retry_at = NULL, updated_at = ${now}
                WHERE processor = ${p.name}`.execute(trx);
      return { outcome: 'progress' as const, events: mine.length };
    });
  } catch (e) {
    if (!claimed) throw e;
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    await recordFailure(ctx, p, claimed, error, now);
    return { outcome: 'failed', events: 0, error };
  }
}

/**
 * The oldest transaction id still running in this database (our own included): every event with a smaller tx_id is
 * final. pg_snapshot_xmin would do, but it counts transactions of every database in the cluster, so a busy
 * neighbour database would stall our outbox. pg_stat_activity.backend_xid (shown to every role) is a 32-bit xid;
 * it is widened to 64 bits relative to our own xid8, ignoring transactions newer than ours (their events are
 * above the horizon anyway). On PGlite there is one connection, and the horizon is simply our own id.
 */
async function safeHorizon(trx: Tx): Promise<string> {
  const r = await sql<{ horizon: string }>`
    SELECT (me.x - COALESCE(max(d.delta) FILTER (WHERE d.delta < 2147483648), 0))::text AS horizon
    FROM (SELECT pg_current_xact_id()::text::bigint AS x) me
    LEFT JOIN LATERAL (
      SELECT ((me.x % 4294967296) - a.backend_xid::text::bigint + 4294967296) % 4294967296 AS delta
      FROM pg_stat_activity a WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
    ) d ON true
    GROUP BY me.x`.execute(trx);
  return r.rows[0]!.horizon;
}

async function recordFailure(
  ctx: AppContext,
  p: OutboxProcessor,
  claimed: { lastTx: string; lastId: number; attempts: number; batch: { id: number; tx_id: string; type: string }[] },
  error: string,
  now: Date,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    // Only if nobody moved the cursor meanwhile (another node may have succeeded since).
    const cur = (
      await sql<{ attempts: number }>`SELECT attempts FROM outbox_cursors WHERE processor = ${p.name}
        AND last_tx = ${claimed.lastTx}::xid8 AND last_id = ${claimed.lastId} FOR UPDATE`.execute(trx)
    ).rows[0];
    if (!cur) return;
    const attempts = cur.attempts + 1;
    const single = claimed.batch.length === 1 ? claimed.batch[0]! : undefined;
    if (single && attempts >= (p.maxAttempts ?? 8)) {
      await trx
        .insertInto('outbox_dead_letters')
        .values({ processor: p.name, event_id: single.id, event_type: single.type, attempts, error: error.slice(0, 4000), failed_at: now })
        .onConflict((oc) => oc.columns(['processor', 'event_id']).doNothing())
        .execute();
      await sql`UPDATE outbox_cursors SET last_tx = ${single.tx_id}::xid8, last_id = ${single.id}, attempts = 0, last_error = ${error.slice(0, 4000)},
                retry_at = NULL, updated_at = ${now} WHERE processor = ${p.name}`.execute(trx);
      return;
    }
    await trx
      .updateTable('outbox_cursors')
      .set({ attempts, last_error: error.slice(0, 4000), retry_at: new Date(now.getTime() + backoffMs(attempts)) })
      .where('processor', '=', p.name)
      .execute();
  });
}

/**
 * Run every registered processor (or the named ones) until none makes progress. Tests call this to process the
 * outbox synchronously; the background loop calls it on a timer. Returns how many events were handled and the
 * failures met (a failing processor waits for its backoff and does not stop the others).
 */
export async function drainOutbox(
  ctx: AppContext,
  opts: { processors?: string[]; maxBatches?: number } = {},
): Promise<{ handled: number; failures: { processor: string; error: string }[] }> {
  const list = outboxProcessors().filter((p) => !opts.processors || opts.processors.includes(p.name));
  let handled = 0;
  const failures: { processor: string; error: string }[] = [];
  let budget = opts.maxBatches ?? 10_000;
  for (const p of list) {
    while (budget-- > 0) {
      const r = await runOutboxBatch(ctx, p);
      handled += r.events;
      if (r.outcome === 'failed') failures.push({ processor: p.name, error: r.error! });
      if (r.outcome !== 'progress') break;
    }
  }
  // Chain what the processors recorded before the caller reads the ledger (ADR 0003, "Batched appends").
  if (handled > 0) await ledgerSealer(ctx.db).flush();
  return { handled, failures };
}
