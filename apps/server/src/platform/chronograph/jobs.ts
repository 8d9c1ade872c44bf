import { sql } from 'kysely';
import { ledgerSealer } from '../ledger/sealer';
import type { AppContext } from '../context';
import type { DbOrTx, Tx } from '../db/database';
import './chronograph.tables';

/**
 * Chronograph (ARCHITECTURE §4, after ProZorro's): time-driven transitions. A module schedules "look at subject X
 * of kind K at time T"; when the injected clock passes T, the handler for K runs in its own transaction. Handlers
 * must be idempotent and decide from the subject's current state (a job may run late, twice after a crash, or for
 * a subject that has moved on): re-read the row FOR UPDATE and do nothing if the transition already happened.
 */
export interface ScheduledJob {
  id: number;
  kind: string;
  subjectId: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

export type JobHandler = (job: ScheduledJob, trx: Tx, ctx: AppContext & { now: Date }) => Promise<void>;

const handlers = new Map<string, { handler: JobHandler; maxAttempts: number }>();

/** Register the handler for a job kind (module load time). Failed runs retry with backoff up to maxAttempts. */
export function registerJobHandler(kind: string, handler: JobHandler, opts: { maxAttempts?: number } = {}): void {
  handlers.set(kind, { handler, maxAttempts: opts.maxAttempts ?? 10 });
}

/**
 * Schedule (or reschedule) the job for (kind, subjectId): one per pair; scheduling again replaces the due time and
 * payload and revives a done/failed/cancelled job. Call inside the transaction that changes the subject.
 */
export async function scheduleJob(
  trx: DbOrTx,
  job: { kind: string; subjectId: string; dueAt: Date; payload?: Record<string, unknown> },
  now: Date,
): Promise<void> {
  const payload = JSON.stringify(job.payload ?? {});
  await trx
    .insertInto('scheduled_jobs')
    .values({ kind: job.kind, subject_id: job.subjectId, due_at: job.dueAt, payload, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['kind', 'subject_id']).doUpdateSet({
        due_at: job.dueAt,
        payload,
        status: 'pending',
        attempts: 0,
        last_error: null,
        version: sql`scheduled_jobs.version + 1`,
        updated_at: now,
      }),
    )
    .execute();
}

/** Cancel a pending job; true if there was one. */
export async function cancelJob(trx: DbOrTx, kind: string, subjectId: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('scheduled_jobs')
    .set({ status: 'cancelled', updated_at: now, version: sql`version + 1` })
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Earliest pending due time among registered kinds (lets the loop sleep exactly long enough; also for tests). */
export async function nextDueAt(db: DbOrTx): Promise<Date | null> {
  const kinds = [...handlers.keys()];
  if (kinds.length === 0) return null;
  const r = await db
    .selectFrom('scheduled_jobs')
    .select((eb) => eb.fn.min('due_at').as('due'))
    .where('status', '=', 'pending')
    .where('kind', 'in', kinds)
    .executeTakeFirst();
  return (r?.due as Date | null | undefined) ?? null;
}

function backoffMs(attempts: number): number {
  return Math.min(5000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

/**
 * Run every job due by ctx.clock.now(), one transaction each, claimed FOR UPDATE SKIP LOCKED so several nodes
 * share the work without running a job twice at once. Returns counts; `limit` bounds one call (a handler that
 * keeps rescheduling itself into the past cannot spin forever).
 */
export async function runDueJobs(
  ctx: AppContext,
  opts: { limit?: number } = {},
): Promise<{ ran: number; failed: { id: number; kind: string; subjectId: string; error: string }[] }> {
  const kinds = [...handlers.keys()];
  const failed: { id: number; kind: string; subjectId: string; error: string }[] = [];
  let ran = 0;
  if (kinds.length === 0) return { ran, failed };
  const skip: number[] = [];
  for (let i = 0; i < (opts.limit ?? 1000); i++) {
    const now = ctx.clock.now();
    let claimed: (ScheduledJob & { version: number }) | undefined;
    try {
      const done = await ctx.db.transaction().execute(async (trx) => {
        let q = trx
          .selectFrom('scheduled_jobs')
          .select(['id', 'kind', 'subject_id', 'due_at', 'payload', 'attempts', 'version'])
          .where('status', '=', 'pending')
          .where('due_at', '<=', now)
          .where('kind', 'in', kinds)
          .orderBy('due_at')
          .orderBy('id')
          .limit(1)
          .forUpdate()
          .skipLocked();
        if (skip.length) q = q.where('id', 'not in', skip);
        const row = await q.executeTakeFirst();
        if (!row) return false;
        claimed = {
          id: row.id,
          kind: row.kind,
          subjectId: row.subject_id,
          dueAt: row.due_at,
          payload: row.payload as Record<string, unknown>,
          attempts: row.attempts,
          version: row.version,
        };
        const { version, ...job } = claimed;
        await handlers.get(row.kind)!.handler(job, trx, { ...ctx, now });
        // If the handler rescheduled this very job (version moved), leave the new schedule pending.
        await trx
          .updateTable('scheduled_jobs')
          .set({ status: 'done', updated_at: now })
          .where('id', '=', row.id)
          .where('version', '=', version)
          .execute();
        return true;
      });
      if (!done) break;
      ran++;
    } catch (e) {
      if (!claimed) throw e;
      const job = claimed;
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      failed.push({ id: job.id, kind: job.kind, subjectId: job.subjectId, error });
      skip.push(job.id);
      const attempts = job.attempts + 1;
      const give_up = attempts >= (handlers.get(job.kind)?.maxAttempts ?? 10);
      await ctx.db
        .updateTable('scheduled_jobs')
        .set({
          attempts,
          last_error: error.slice(0, 4000),
          status: give_up ? 'failed' : 'pending',
          due_at: give_up ? job.dueAt : new Date(now.getTime() + backoffMs(attempts)),
          updated_at: now,
        })
        .where('id', '=', job.id)
        .where('version', '=', job.version)
        .execute();
    }
  }
  // Chain what the handlers recorded before the caller reads the ledger (ADR 0003, "Batched appends").
  if (ran > 0) await ledgerSealer(ctx.db).flush();
  return { ran, failed };
}
