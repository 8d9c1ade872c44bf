import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../apps/server/src/platform/db/database';
import { REPO_ROOT } from '../../apps/server/src/platform/config';
import { below, log, writeReport, type Target } from '../lib/report';
import { freePort, spawnGroup, waitFor200 } from '../lib/proc';
import { tempDir } from '../lib/pgdb';
import { median, round, stopwatch } from '../lib/stats';

/**
 * Startup: how long from spawning `npm start` until GET /api/health answers 200, on a first run (empty data
 * directory: initdb, migrations, and the demo seeder once start invokes one) and on an existing data directory.
 * Baseline in the same run: `node -e` starting a Fastify hello world, the floor any Node server pays.
 */
const SUITE = 'startup';
const WARM_RUNS = 5;
const FIRST_RUNS = 2;

// A Fastify hello world with a health route, resolved from the repository root like the server's own fastify.
const HELLO = `const f=require('fastify')();f.get('/api/health',async()=>({status:'ok'}));f.listen({host:'127.0.0.1',port:+process.env.PORT});`;

interface Run {
  ms: number | null;
  /** main.ts's own "started in N ms" (open database + migrate + build app + listen), when it printed one. */
  appReportedMs?: number;
  /** The demo seeder's own "demo city seeded in N ms", when it ran. */
  demoSeedMs?: number;
  error?: string;
  webBuilt?: boolean;
  /** npm start bundled the server first (sources changed since the last bundle, scripts/server-build.mjs). */
  serverBundled?: boolean;
  /** Warm samples: the bundle was out of date (sources edited meanwhile) and was rebuilt before this sample. */
  rebundleMs?: number;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.DATABASE_URL; // npm start's default: embedded PGlite
  delete env.YIWANG_SEED_DEMO; // the default (seed when empty) is what a first-time user gets
  delete env.npm_lifecycle_event;
  return env;
}

async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run & { output: string }> {
  const port = await freePort();
  const t = stopwatch();
  const p = spawnGroup(cmd, args, { cwd: REPO_ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' } });
  const r = await waitFor200(`http://127.0.0.1:${port}/api/health`, t, p.child, timeoutMs);
  await p.stop();
  const output = p.output();
  const appMs = /started in (\d+) ms/.exec(output)?.[1];
  const seedMs = /demo city seeded in (\d+) ms/.exec(output)?.[1];
  return { ms: r.ms === null ? null : round(r.ms, 1), ...(appMs ? { appReportedMs: Number(appMs) } : {}), ...(seedMs ? { demoSeedMs: Number(seedMs) } : {}), ...(r.error ? { error: `${r.error}: ${output.slice(-600)}` } : {}), webBuilt: /构建前端|building the web app/.test(output), ...(/服务端已打包|server bundled/.test(output) ? { serverBundled: true } : {}), output };
}

/**
 * A warm start is a restart with nothing changed, but `npm start` re-bundles the server when a source file changed
 * since the last bundle (scripts/server-build.mjs), and other contributors edit the shared checkout while this suite
 * runs. So the bundle (and the web app, which npm start also rebuilds) is brought up to date before each warm
 * `npm start` sample; the rebuild time is reported when one was needed (`rebundleMs`), and a sample that still
 * rebuilt is marked `serverBundled` / `webBuilt`.
 */
async function bundleUpToDate(): Promise<number | undefined> {
  const server = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts/server-build.mjs')).href)) as { serverBundleStale(): boolean; buildServer(): Promise<string> };
  const web = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts/web-build.mjs')).href)) as { webBuildStale(): boolean };
  const t = stopwatch();
  let rebuilt = false;
  if (server.serverBundleStale()) {
    await server.buildServer();
    rebuilt = true;
  }
  // The web app likewise (npm start builds it when apps/web/src changed); a failed build is left for npm start to report.
  if (web.webBuildStale()) {
    spawnSync('npm', ['run', 'build', '-w', '@yiwang/web'], { cwd: REPO_ROOT, stdio: 'ignore' });
    rebuilt = true;
  }
  return rebuilt ? round(t(), 0) : undefined;
}

/** Rows the first run left behind outside the schema bookkeeping: > 0 means the start seeded something. */
async function countRows(dataDir: string): Promise<Record<string, number>> {
  const h = await openDatabase({ dataDir });
  try {
    const tables = await h.pglite!.query<{ t: string }>(`SELECT quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE' ORDER BY 1`);
    const out: Record<string, number> = {};
    for (const { t } of tables.rows) {
      if (t === 'schema_migrations' || t === 'ledger_head') continue;
      const c = await h.pglite!.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
      if (c.rows[0]!.n > 0) out[t] = c.rows[0]!.n;
    }
    return out;
  } finally {
    await h.close();
  }
}

export async function run(): Promise<void> {
  const started = stopwatch();
  const notes: string[] = [];
  const baseline: Run[] = [];
  const first: Run[] = [];
  const warm: Run[] = [];
  const serverOnlyWarm: Run[] = [];
  const bundleWarm: Run[] = [];
  let seededRows: Record<string, number> = {};
  let warmDir: string | undefined;

  const MAIN = [`--import`, 'tsx', path.join(REPO_ROOT, 'apps/server/src/main.ts')];
  const BUNDLE = path.join(REPO_ROOT, 'apps/server/dist/main.mjs');
  const firstServerOnly: Run[] = [];
  for (let i = 0; i < FIRST_RUNS; i++) {
    const dir = tempDir('startup');
    const r = await measure('npm', ['start'], cleanEnv({ YIWANG_DATA_DIR: dir }), 120_000);
    first.push({ ms: r.ms, appReportedMs: r.appReportedMs, demoSeedMs: r.demoSeedMs, ...(r.error ? { error: r.error } : {}), webBuilt: r.webBuilt, ...(r.serverBundled ? { serverBundled: true } : {}) });
    if (r.ms !== null && !warmDir) warmDir = dir;
    // The server alone (what start.mjs spawns), so a failing web build cannot hide the server's own figure.
    const dir2 = tempDir('startup');
    const s2 = await measure(process.execPath, MAIN, cleanEnv({ YIWANG_DATA_DIR: dir2 }), 120_000);
    firstServerOnly.push({ ms: s2.ms, appReportedMs: s2.appReportedMs, demoSeedMs: s2.demoSeedMs, ...(s2.error ? { error: s2.error } : {}) });
    if (s2.ms !== null && !warmDir) warmDir = dir2;
    log(SUITE, `first run (empty data dir): npm start ${r.ms ?? r.error} ms${r.webBuilt ? ' (tried to build the web app)' : ''}; main.ts alone ${s2.ms ?? s2.error} ms`);
  }
  if (warmDir) {
    seededRows = await countRows(warmDir);
    for (let i = 0; i < WARM_RUNS; i++) {
      const b = await measure(process.execPath, ['-e', HELLO], { ...process.env }, 30_000);
      baseline.push({ ms: b.ms, ...(b.error ? { error: b.error } : {}) });
      const env = cleanEnv({ YIWANG_DATA_DIR: warmDir });
      const rebundleMs = await bundleUpToDate();
      const r = await measure('npm', ['start'], env, 60_000);
      warm.push({ ms: r.ms, appReportedMs: r.appReportedMs, ...(r.error ? { error: r.error } : {}), webBuilt: r.webBuilt, ...(r.serverBundled ? { serverBundled: true } : {}), ...(rebundleMs !== undefined ? { rebundleMs } : {}) });
      const s = await measure(process.execPath, MAIN, env, 60_000);
      serverOnlyWarm.push({ ms: s.ms, appReportedMs: s.appReportedMs, ...(s.error ? { error: s.error } : {}) });
      // The bundle npm start runs (scripts/server-build.mjs), without npm and the start script's checks.
      const d = fs.existsSync(BUNDLE) ? await measure(process.execPath, [BUNDLE], env, 60_000) : undefined;
      if (d) bundleWarm.push({ ms: d.ms, appReportedMs: d.appReportedMs, ...(d.error ? { error: d.error } : {}) });
      log(SUITE, `existing data dir: npm start ${r.ms ?? r.error} ms, main.ts alone ${s.ms ?? s.error} ms, bundle alone ${d ? (d.ms ?? d.error) : 'absent'} ms; baseline node -e fastify ${b.ms ?? b.error} ms`);
    }
  } else {
    notes.push('No first run succeeded, so the existing-directory case could not be measured.');
  }

  const med = (rs: Run[]) => {
    const ok = rs.map((r) => r.ms).filter((x): x is number => x !== null);
    return ok.length === rs.length && ok.length > 0 ? round(median(ok), 1) : null;
  };
  // Platform seeding (calendar, catalog) always happens; the demo city shows as accounts and announcements.
  const seeded = (seededRows.announcements ?? 0) > 0 || [...first, ...firstServerOnly].some((r) => r.demoSeedMs !== undefined);
  if (!seeded) notes.push('The first run did not seed the demo city: the first-run figure covers initdb, migrations and platform seeding only. This suite measures whatever start does.');
  if ([...first, ...warm].some((r) => r.serverBundled)) notes.push('npm start bundled the server during this run (its sources changed since the last bundle; a fresh checkout pays this once): that time is included in the affected samples, marked serverBundled.');
  if (first.some((r) => r.webBuilt) || warm.some((r) => r.webBuilt)) notes.push('npm start rebuilt the web app during this run (sources newer than apps/web/dist); that time is included in the affected samples.');
  const webIndex = fs.existsSync(path.join(REPO_ROOT, 'apps/web/dist/index.html'));
  const npmFailed = (rs: Run[]) => rs.find((r) => r.error)?.error;
  const failNote = (rs: Run[]) => {
    const e = npmFailed(rs);
    return e ? `npm start did not answer: ${/vite build|@yiwang\/web/.test(e) ? 'the web app build (npm run build -w @yiwang/web) failed' : e.slice(0, 200)}; see serverOnly figures` : undefined;
  };
  const noSeed = seeded ? undefined : 'the demo city was not seeded: first run = initdb + migrations + platform seeding only';
  const targets: Target[] = [
    below('npm start answers /api/health on an existing PGlite data directory (median)', med(warm), 3000, 'ms', failNote(warm)),
    below('npm start answers /api/health on a first run with seeding (median)', med(first), 30_000, 'ms', [failNote(first), noSeed].filter(Boolean).join('; ') || undefined),
    below('server alone (main.ts) answers /api/health on an existing data directory (median)', med(serverOnlyWarm), 3000, 'ms', 'diagnostic: the target minus npm and the web-build check'),
    below('server alone (main.ts) answers /api/health on a first run (median)', med(firstServerOnly), 30_000, 'ms', ['diagnostic', noSeed].filter(Boolean).join('; ')),
  ];
  const file = await writeReport({
    suite: SUITE,
    durationS: round(started() / 1000, 1),
    baseline: { nodeFastifyHelloWorldMs: { medianMs: med(baseline), samples: baseline } },
    results: {
      npmStartFirstRun: { medianMs: med(first), samples: first, rowsAfterFirstRun: seededRows, demoSeeded: seeded },
      npmStartExistingDataDir: { medianMs: med(warm), samples: warm },
      serverOnlyFirstRun: { medianMs: med(firstServerOnly), samples: firstServerOnly },
      serverOnlyExistingDataDir: { medianMs: med(serverOnlyWarm), samples: serverOnlyWarm, what: 'node --import tsx apps/server/src/main.ts (no npm, no web-build check)' },
      serverBundleExistingDataDir: { medianMs: med(bundleWarm), samples: bundleWarm, what: 'node apps/server/dist/main.mjs, the bundle npm start runs (no npm, no web-build or bundle check)' },
      webDistPresent: webIndex,
      method: 'spawn in its own process group on a free loopback port with YIWANG_DATA_DIR in a temp dir, poll GET /api/health every 20 ms until 200, SIGTERM the group',
    },
    targets,
    notes,
  });
  log(SUITE, `wrote ${file}`);
}
