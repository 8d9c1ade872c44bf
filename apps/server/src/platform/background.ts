import type { AppContext } from './context';
import { createCheckpoint } from './ledger/checkpoint';
import { signingKey } from './ledger/keys';
import { ledgerSealer } from './ledger/sealer';
import { drainOutbox } from './outbox/processors';
import { runDueJobs } from './chronograph/jobs';
import './notify/notify';

export interface BackgroundOptions {
  /** How often to look for outbox events and due jobs (real milliseconds). */
  pollMs?: number;
  /** How often to sign a ledger checkpoint (real milliseconds); 0 disables. */
  checkpointEveryMs?: number;
  log?: { info(msg: string): void; error(obj: unknown, msg?: string): void };
}

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== '' && process.env[name] !== undefined ? v : fallback;
}

/**
 * Background workers of one node: outbox processors, the chronograph and periodic ledger checkpoints. Every node
 * may run them: rows are claimed with FOR UPDATE SKIP LOCKED and checkpoints are keyed by tree size, so nodes
 * share the work instead of repeating it. Returns `stop()`, which waits for the current round to finish.
 */
export function startBackground(
  app: { ctx: AppContext; log?: BackgroundOptions['log'] },
  opts: BackgroundOptions = {},
): { stop(): Promise<void> } {
  const { ctx } = app;
  const log = opts.log ?? app.log ?? { info: () => {}, error: (o: unknown, m?: string) => console.error(m, o) };
  const pollMs = opts.pollMs ?? envMs('YIWANG_WORKER_POLL_MS', 1000);
  const checkpointEveryMs = opts.checkpointEveryMs ?? envMs('YIWANG_CHECKPOINT_INTERVAL_S', 600) * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let lastCheckpoint = 0;
  const reported = new Set<string>();

  const round = async () => {
    try {
      const o = await drainOutbox(ctx, { maxBatches: 100 });
      for (const f of o.failures) log.error({ processor: f.processor, error: f.error }, 'outbox processor failed; will retry');
      const j = await runDueJobs(ctx, { limit: 200 });
      for (const f of j.failed) log.error(f, 'scheduled job failed; will retry');
      // Entries recorded by jobs and processors above, by requests whose own seal failed, or by a node that died
      // between its commit and its seal.
      await ledgerSealer(ctx.db).flush();
      if (checkpointEveryMs > 0 && Date.now() - lastCheckpoint >= checkpointEveryMs) {
        lastCheckpoint = Date.now();
        const c = await createCheckpoint(ctx);
        if (c) log.info(`ledger checkpoint: tree size ${c.treeSize}, root ${c.root.slice(0, 16)}…`);
      }
      reported.clear();
    } catch (e) {
      // Keep running (the database may be restarting); say so once per distinct error, not every second.
      const key = e instanceof Error ? e.message : String(e);
      if (!reported.has(key)) log.error(e, 'background round failed');
      reported.add(key);
    }
  };

  const loop = () => {
    if (stopped) return;
    current = round().finally(() => {
      if (!stopped) timer = setTimeout(loop, pollMs);
    });
  };
  // Create the signing key now, so the public key exists before anything is signed.
  current = signingKey(ctx.db, ctx.clock.now())
    .then(() => undefined)
    .catch((e: unknown) => log.error(e, 'cannot load the platform signing key'))
    .finally(() => {
      if (!stopped) timer = setTimeout(loop, 0);
    });
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
