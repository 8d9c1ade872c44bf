import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { REPO_ROOT } from '../../apps/server/src/platform/config';
import { atLeast, log, writeReport, type Target } from '../lib/report';
import { portalDataset } from '../lib/portal-data';
import { freePort, spawnGroup, waitFor200, type Spawned } from '../lib/proc';
import { tempDir } from '../lib/pgdb';
import { round, stopwatch } from '../lib/stats';
import { N } from './search';

/**
 * Announcement list API throughput: the real application (PostgreSQL, 200,000 announcements) serving
 * GET /api/portal/announcements, against a bare Fastify + pg route doing one primary-key select on the same
 * database, both in their own processes on loopback, loaded by autocannon in this process for a fixed duration.
 */
const SUITE = 'list-api';
const SECONDS = Number(process.env.BENCH_LIST_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 10;

interface Load {
  url: string;
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function load(url: string, seconds: number): Promise<Load> {
  const r: Result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  return { url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''), reqPerSec: round(r.requests.average, 1), latencyP50Ms: r.latency.p50, latencyP99Ms: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts };
}

async function start(label: string, args: string[], env: NodeJS.ProcessEnv, health: string): Promise<{ p: Spawned; base: string }> {
  const port = await freePort();
  const t = stopwatch();
  const p = spawnGroup(process.execPath, args, { cwd: REPO_ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' } });
  const r = await waitFor200(`http://127.0.0.1:${port}${health}`, t, p.child, 120_000);
  if (r.ms === null) throw new Error(`${label} did not start: ${r.error}\n${p.output().slice(-1500)}`);
  log(SUITE, `${label} up in ${Math.round(r.ms)} ms on port ${port}`);
  return { p, base: `http://127.0.0.1:${port}` };
}

export async function run(): Promise<void> {
  const started = stopwatch();
  const notes: string[] = [];
  const ds = await portalDataset('postgres', N, (m) => log(SUITE, m));
  const dir = tempDir('list-api');
  const env = { ...process.env, DATABASE_URL: ds.url!, LOG_LEVEL: 'warn', YIWANG_DATA_DIR: dir, YIWANG_FILES_DIR: path.join(dir, 'files'), YIWANG_SEED_DEMO: '0', YIWANG_WEB_DIST: path.join(dir, 'no-web') };
  const bare = await start('bare fastify+pg', [path.join(REPO_ROOT, 'bench/servers/bare-pk.mjs')], env, '/health');
  let app: Awaited<ReturnType<typeof start>>;
  try {
    app = await start('application', ['--import', 'tsx', path.join(REPO_ROOT, 'apps/server/src/main.ts')], env, '/api/health');
  } catch (e) {
    // The application can fail to boot while other modules are mid-change: record that instead of losing the run.
    await bare.p.stop();
    const note = `the application did not start: ${(e as Error).message.slice(0, 800)}`;
    await writeReport({ suite: SUITE, durationS: round(started() / 1000, 1), baseline: {}, results: { dataset: ds.generation }, targets: [{ name: `GET /api/portal/announcements req/s as % of bare Fastify + one pg primary-key select`, target: '>= 50 %', measured: null, unit: '%', pass: null, note }], notes: [note] });
    throw e;
  }

  const LIST = '/api/portal/announcements';
  const FILTERED = '/api/portal/announcements?category=gp.goods&region=3502';
  // Warm both (JIT, pool connections, caches), then alternate so drift on this shared machine hits both sides.
  await load(`${bare.base}/pk`, WARMUP_SECONDS);
  await load(`${app.base}${LIST}`, WARMUP_SECONDS);
  const bare1 = await load(`${bare.base}/pk`, SECONDS);
  log(SUITE, `bare pk: ${bare1.reqPerSec} req/s`);
  const list = await load(`${app.base}${LIST}`, SECONDS);
  log(SUITE, `app list: ${list.reqPerSec} req/s`);
  const filtered = await load(`${app.base}${FILTERED}`, SECONDS);
  log(SUITE, `app filtered list: ${filtered.reqPerSec} req/s`);
  // Diagnostic: the application's own health route (one small select, no presenter) separates the framework's
  // per-request cost (hooks, plugins, Kysely) from the list route's own work.
  const health = await load(`${app.base}/api/health`, SECONDS);
  log(SUITE, `app /api/health: ${health.reqPerSec} req/s`);
  // Diagnostic: the second page (through the first page's cursor). First pages are cached per publication
  // version (ADR 0012); a cursor page is always queried, so this shows the list query path itself.
  const firstPage = (await (await fetch(`${app.base}${LIST}`)).json()) as { nextCursor: string | null };
  const SECOND = `${LIST}?cursor=${firstPage.nextCursor}`;
  const second = await load(`${app.base}${SECOND}`, SECONDS);
  log(SUITE, `app second page (not cached): ${second.reqPerSec} req/s`);
  const bare2 = await load(`${bare.base}/pk`, SECONDS);
  log(SUITE, `bare pk again: ${bare2.reqPerSec} req/s`);
  await app.p.stop();
  await bare.p.stop();

  const bareMean = round((bare1.reqPerSec + bare2.reqPerSec) / 2, 1);
  const ratio = (x: Load) => round((100 * x.reqPerSec) / bareMean, 1);
  for (const x of [bare1, list, filtered, health, second, bare2]) if (x.non2xx || x.errors || x.timeouts) notes.push(`${x.url}: ${x.non2xx} non-2xx, ${x.errors} errors, ${x.timeouts} timeouts`);
  const targets: Target[] = [
    atLeast(`GET ${LIST} (first page, 20 items) req/s as % of bare Fastify + one pg primary-key select`, ratio(list), 50, '%', `${list.reqPerSec} vs ${bareMean} req/s`),
    atLeast(`GET ${FILTERED} req/s as % of the same baseline (reported)`, ratio(filtered), 50, '%', `${filtered.reqPerSec} vs ${bareMean} req/s`),
  ];
  const file = await writeReport({
    suite: SUITE,
    durationS: round(started() / 1000, 1),
    baseline: { description: 'bench/servers/bare-pk.mjs: bare Fastify, pg pool of 10, one primary-key select on announcements per request; measured before and after the application', reqPerSecMean: bareMean, runs: [bare1, bare2] },
    results: {
      method: `autocannon, ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, loopback; servers in their own processes; application started by main.ts with DATABASE_URL on ${N.toLocaleString('en')} announcements, LOG_LEVEL=warn`,
      list: { ...list, percentOfBaseline: ratio(list) },
      filtered: { ...filtered, percentOfBaseline: ratio(filtered) },
      appHealthDiagnostic: { ...health, percentOfBaseline: ratio(health), what: 'GET /api/health of the application: one `SELECT version FROM schema_migrations LIMIT 1`, tiny JSON' },
      secondPageDiagnostic: { ...second, percentOfBaseline: ratio(second), what: 'GET the list through the first page cursor: never cached (ADR 0012), one prepared query per request' },
      dataset: ds.generation,
    },
    targets,
    notes,
  });
  log(SUITE, `wrote ${file}`);
}
