import { sql } from 'kysely';
import type { DbOrTx } from '../db/database';

/** Entries chained per ledger_seal() call: large enough to share one WAL flush, small enough to keep locks short. */
export const SEAL_BATCH = 2000;

/**
 * A process-wide count of entries recorded (recordLedger) and not yet known to be sealed. Process-wide rather than
 * per database because recordLedger only has the transaction; a sealer whose database has nothing pending pays
 * one cheap query (ledger_seal returns before locking anything).
 */
let recordedGeneration = 0;
export function noteRecorded(): void {
  recordedGeneration++;
}

/**
 * Chains committed pending entries (ADR 0003, "Batched appends"). One per database handle. `flush()` resolves once
 * a seal round LAUNCHED after the call has finished, so an entry committed before the call is in the chain when it
 * resolves. Callers share rounds: while one round holds the head lock and waits for its WAL flush, the commits that
 * land meanwhile are chained together by the next round — group commit for the ledger. The next round is launched
 * at once, not when the current one ends: it queues on the head lock inside PostgreSQL and starts sealing the moment
 * the lock is free, without a client round trip in between. At most two rounds are in flight per node.
 *
 * Never call flush() inside a transaction: on PGlite (one connection) it would wait for itself.
 */
export class LedgerSealer {
  private requested = 0;
  private launchedUpTo = 0;
  private inFlight = 0;
  private sealedGeneration = 0;
  private waiters: { ticket: number; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly db: DbOrTx) {}

  /** Seal everything committed before this call. */
  flush(): Promise<void> {
    const ticket = ++this.requested;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ ticket, resolve, reject }));
    this.pump();
    return done;
  }

  /** flush() only if some transaction in this process recorded an entry since the last round was launched. */
  async flushIfRecorded(): Promise<void> {
    if (recordedGeneration !== this.sealedGeneration) await this.flush();
  }

  private pump(): void {
    while (this.inFlight < 2 && this.launchedUpTo < this.requested) {
      const upTo = this.requested;
      this.launchedUpTo = upTo;
      this.inFlight++;
      const generation = recordedGeneration;
      sealCommitted(this.db)
        .then(
          () => {
            this.sealedGeneration = generation;
            this.settle(upTo);
          },
          (e: unknown) => this.settle(upTo, e),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  private settle(upTo: number, error?: unknown): void {
    const ready = this.waiters.filter((w) => w.ticket <= upTo);
    if (!ready.length) return;
    this.waiters = this.waiters.filter((w) => w.ticket > upTo);
    for (const w of ready) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  }
}

/** Seal in batches until a call finds fewer than a full batch. Returns how many entries were chained. */
export async function sealCommitted(db: DbOrTx): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql<{ sealed: number }>`SELECT sealed FROM ledger_seal(${SEAL_BATCH})`.execute(db);
    const n = Number(rows[0]?.sealed ?? 0);
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}

const sealers = new WeakMap<DbOrTx, LedgerSealer>();
/** The sealer of a database handle (created on first use). */
export function ledgerSealer(db: DbOrTx): LedgerSealer {
  let s = sealers.get(db);
  if (!s) sealers.set(db, (s = new LedgerSealer(db)));
  return s;
}
