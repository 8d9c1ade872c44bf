/**
 * The demo city (issue 2 §9): on the first start of an empty database, 厦门市 and its districts with organisations,
 * an account for every role, projects at every intake stage and a few hundred published announcements over the
 * last ~90 days. Everything goes through the modules' own commands, in time order, so the ledger reads as the
 * history of the city (entries dated from ~100 days ago up to now, sequence and time increasing together).
 *
 * Deterministic: a seeded PRNG and dates relative to ctx.clock.now(), so two first starts on the same day look the
 * same (screenshots are stable). Never touches a database that already has organisations.
 */
import { sql } from 'kysely';
import { ledgerSealer } from '../platform/ledger/sealer';
import type { AppContext } from '../platform/context';
import { hashPassword } from '../platform/auth/password';
import { ensureCatalogSeeded } from '../modules/catalog/index';
import { DEMO_PASSWORD } from './data/orgs';
import { rng } from './prng';
import { officeInstant } from './time';
import { seedPeople } from './identity';
import { projectSteps, type DemoProject, type TimedStep } from './projects';
import { history, publishBatch, workInProgress, type Publication } from './announcements';
import { tenderSteps, type SeededTender } from './tenders';

const DAY = 86_400_000;
const SEED = 20260301;
/** Publications per transaction: fewer commits (fast on PGlite) while no transaction holds the engine for long. */
const BATCH = 40;

export interface DemoSummary {
  organisations: number;
  accounts: number;
  projects: number;
  published: number;
  /** Electronic tenders driven through tendering, bidding and award, one or more per stage (seed/tenders.ts). */
  tenders: SeededTender[];
  inProgress: number;
  ms: number;
  /** Milliseconds per phase (people, timeline, work in progress), for the startup benchmark's notes. */
  phases: Record<string, number>;
}

export { DEMO_PASSWORD };

/** Seed the demo city if the database has no organisation yet; returns what it made, or null when it did nothing. */
export async function seedDemoIfEmpty(ctx: AppContext, log: (m: string) => void = () => {}): Promise<DemoSummary | null> {
  const empty = async () => !(await ctx.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst());
  if (!(await empty())) return null;
  const run = async () => {
    const summary = await seedDemo(ctx);
    log(
      `示范数据已生成 / demo city seeded in ${summary.ms} ms: ${summary.organisations} organisations, ${summary.accounts} accounts, ` +
        `${summary.projects} projects, ${summary.published} published announcements (+${summary.inProgress} in progress) ` +
        `[${Object.entries(summary.phases)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(', ')}]; password ${DEMO_PASSWORD}`,
    );
    return summary;
  };
  // PGlite is one process's own database. Several nodes starting together on one empty PostgreSQL would race, so
  // there the seed holds a session advisory lock on a connection of its own (the commands use other pool
  // connections) and looks again once it has it: the first node seeds, the others find organisations and skip.
  if (ctx.handle.engine === 'pglite') return run();
  return ctx.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(7303002)`.execute(conn);
    try {
      return (await empty()) ? await run() : null;
    } finally {
      await sql`SELECT pg_advisory_unlock(7303002)`.execute(conn);
    }
  });
}

export async function seedDemo(ctx: AppContext): Promise<DemoSummary> {
  const started = Date.now();
  const cpu = process.cpuUsage();
  const now = ctx.clock.now();
  const rand = rng(SEED);
  const origin = new Date(now.getTime() - 100 * DAY);
  // One Argon2 hash for every demo account (~50 ms each would add seconds to the first start).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // The catalog first, dated at the city's origin, so the ledger stays in time order (a no-op if boot seeded it).
  await ensureCatalogSeeded(ctx.db, origin);
  const people = await seedPeople(ctx, passwordHash, new Date(origin.getTime() + 3600_000));
  const phases: Record<string, number> = { people: Date.now() - started };

  const projects: DemoProject[] = [];
  const wip = workInProgress(ctx, now, people.actors, rand);
  const tenders: SeededTender[] = [];
  const tendering = await tenderSteps(ctx, now, rng(SEED + 7), tenders);
  const steps: (TimedStep & { kind: 'step' })[] = [
    ...projectSteps(ctx, people.actors, (days) => officeInstant(now, days), projects),
    ...wip,
    ...tendering.steps,
  ].map((s) => ({ ...s, kind: 'step' }));
  const pubs: (Publication & { kind: 'pub' })[] = history(now, rand, people.actors, projects).map((p) => ({ ...p, kind: 'pub' }));
  const timeline = [...steps, ...pubs].sort((a, b) => a.at.getTime() - b.at.getTime());

  const ids = new Map<string, string>();
  let batch: Publication[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const b = batch;
    batch = [];
    await ctx.db.transaction().execute((trx) => publishBatch(trx, b, ids));
  };
  try {
    for (const e of timeline) {
      if (e.kind === 'pub') {
        batch.push(e);
        if (batch.length >= BATCH) await flush();
      } else {
        await flush();
        await e.run();
        // Chain what the step recorded before the next step appends: the demo ledger stays in time order.
        await ledgerSealer(ctx.db).flushIfRecorded();
      }
    }
    await flush();
  } finally {
    await tendering.close(); // the seeder's in-process app and its sessions, also when a step failed
  }
  phases.timeline = Date.now() - started - phases.people!;
  phases.experts = await (await import('./experts')).seedExperts(ctx, people.actors, passwordHash); // 评标专家库 (issue 4)
  const summary: DemoSummary = {
    organisations: people.orgIds.size,
    accounts: people.accounts,
    projects: projects.length,
    published: ids.size,
    tenders,
    inProgress: wip.length,
    ms: Date.now() - started,
    phases,
  };
  // CPU time of this process (PGlite runs in it too): comparable across machines and load, unlike wall time.
  const used = process.cpuUsage(cpu);
  phases.cpu = Math.round((used.user + used.system) / 1000);
  return summary;
}
