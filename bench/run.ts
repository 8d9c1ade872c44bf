// `npm run bench` runs every suite; `npm run bench -- ledger search` runs the named ones. Reports: bench/results/.
import { runCleanups } from './lib/pgdb';
import { markSuiteStart, waitForQuiet } from './lib/report';

// Databases and temp directories are removed once at the end of the run (or on SIGINT/SIGTERM), so that suites
// can share a generated dataset (search and list-api use the same 200,000 announcements).

const SUITES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  startup: () => import('./suites/startup'),
  ledger: () => import('./suites/ledger'),
  search: () => import('./suites/search'),
  'list-api': () => import('./suites/list-api'),
  opendata: () => import('./suites/opendata'),
  bidding: () => import('./suites/bidding'),
  lottery: () => import('./suites/lottery'),
  auctions: () => import('./suites/auctions'),
  expertdraw: () => import('./suites/expertdraw'),
};

async function main(): Promise<number> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(a in SUITES));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(SUITES).join(', ')}`);
    return 2;
  }
  const names = asked.length ? asked : Object.keys(SUITES);
  let failed = 0;
  for (const name of names) {
    const t0 = Date.now();
    console.log(`[bench] ── ${name} ──`);
    try {
      await waitForQuiet(Number(process.env.BENCH_QUIET_WAIT_S ?? 30), (m) => console.log(`[bench] ${m}`));
      markSuiteStart();
      const mod = await SUITES[name]!();
      await mod.run();
    } catch (e) {
      failed++;
      console.error(`[bench] suite ${name} failed:`, e);
    }
    console.log(`[bench] ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return failed ? 1 : 0;
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`[bench] ${sig}: cleaning up …`);
    void runCleanups().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await runCleanups();
    process.exit(code);
  },
  async (e: unknown) => {
    console.error(e);
    await runCleanups();
    process.exit(1);
  },
);
