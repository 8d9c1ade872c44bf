import type { Config } from './config';
import { AcceleratedClock, ShiftableClock, systemClock, type Clock } from './clock';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import type { AppContext } from './context';
import { ensureCalendarSeeded } from './calendar/index';
import { createFileStore } from './files/index';
import { ensureCatalogSeeded } from '../modules/catalog/index';
import { seedDemoIfEmpty } from '../seed/demo';

export interface ContextOptions {
  clock?: Clock;
  log?: (m: string) => void;
  /** Called after each start-up step with its name and duration (main.ts prints them with "started in"). */
  phase?: (name: string, ms: number) => void;
}

/** Open the configured database, bring its schema up to date and assemble the platform context. */
export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    opts.phase?.(name, now - mark);
    mark = now;
  };
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  phase('database');
  try {
    await migrate(handle, opts.log);
    phase('migrations');
    // Years of the shipped holiday data the database lacks (never overwrites administrators' edits).
    await ensureCalendarSeeded(handle.db);
    phase('calendar');
  } catch (e) {
    await handle.close();
    throw e;
  }
  const baseClock = opts.clock ?? (config.timeAcceleration !== 1 || config.clockStart ? new AcceleratedClock(config.timeAcceleration, config.clockStart) : systemClock);
  // YIWANG_CLOCK_CONTROL=1: demo and end-to-end runs may move time forward (modules/devclock); never in production.
  if (config.clockControl && process.env.NODE_ENV === 'production') {
    await handle.close();
    throw new Error('YIWANG_CLOCK_CONTROL 不能在生产环境使用 / YIWANG_CLOCK_CONTROL is refused with NODE_ENV=production');
  }
  const clock = config.clockControl ? new ShiftableClock(baseClock) : baseClock;
  const ctx: AppContext = { config, clock, handle, db: handle.db, files: createFileStore(config) };
  // The demo city on a database without organisations (YIWANG_SEED_DEMO=0 turns it off); it seeds the catalog itself,
  // dated at the start of its history, so it runs first.
  if (config.seedDemo) await seedDemoIfEmpty(ctx, (m) => console.log(m));
  phase('demo');
  await ensureCatalogSeeded(handle.db, clock.now()); // 交易目录 version 1 on first start (idempotent)
  phase('catalog');
  return ctx;
}
