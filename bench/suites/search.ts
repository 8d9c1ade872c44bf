import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../apps/server/src/app';
import { loadConfig } from '../../apps/server/src/platform/config';
import { createContext } from '../../apps/server/src/platform/boot';
import { searchPublished } from '../../apps/server/src/modules/announcements/portal.repo';
import { below, log, writeReport, type Target } from '../lib/report';
import { portalDataset, type PortalDataset } from '../lib/portal-data';
import { rawQuery } from '../lib/ledger-data';
import { tempDir } from '../lib/pgdb';
import { round, stopwatch, summarise, timeEach, type LatencySummary } from '../lib/stats';

/**
 * Portal search over 200,000 announcements: p95 latency of GET /api/portal/announcements with a two-term Chinese
 * query, a category and a from-date, through the real application (app.inject: routing, validation, the query,
 * serialisation), on PostgreSQL and PGlite. Baseline: as many primary-key selects by raw driver, same run.
 */
const SUITE = 'search';
export const N = Number(process.env.BENCH_PORTAL_ROWS ?? 200_000);
const N_PGLITE = Number(process.env.BENCH_PORTAL_ROWS_PGLITE ?? N);
const REQUESTS = Number(process.env.BENCH_SEARCH_REQUESTS ?? 400);
const WARMUP = 40;

// Two-term queries a citizen or bidder would type, each with the category it naturally belongs to (a few
// deliberately cross-category, which the index answers with few or no rows).
const QUERIES: [string, string][] = [
  ['翔安 道路', 'works'], ['集美 排水管网', 'works'], ['医院 改造', 'works'], ['污水处理 施工', 'works'], ['公园 设计', 'works'],
  ['中学 监理', 'works'], ['地铁站 勘察', 'works'], ['海沧 安置房', 'works'], ['桥梁 维修', 'works'], ['同安 供水', 'works'],
  ['湖里 消防站', 'works'], ['停车场 施工', 'gp.works'], ['幼儿园 扩建', 'gp.works'], ['物业管理 服务', 'gp.services'], ['保安 服务', 'gp.services'],
  ['信息化 运维', 'gp.services'], ['医疗设备 采购', 'gp.goods'], ['教育局 教学设备', 'gp.goods'], ['服务器 采购', 'gp.goods'], ['新能源 公交车', 'gp.goods'],
  ['住宅用地 挂牌', 'land'], ['翔安 工业用地', 'land'], ['股权 转让', 'state_property'], ['花岗岩 采矿权', 'mining'], ['道路 保洁', 'works'],
];
const FROMS = ['2024-06-01', '2025-01-01', '2025-09-01', '2026-03-01', '2026-10-01'];

export interface SearchCase {
  q: string;
  category: string;
  from: string;
}

export function searchCases(n: number): SearchCase[] {
  const out: SearchCase[] = [];
  for (let i = 0; i < n; i++) {
    const [q, category] = QUERIES[(i * 7) % QUERIES.length]!;
    out.push({ q, category, from: FROMS[(i * 3 + Math.floor(i / QUERIES.length)) % FROMS.length]! });
  }
  return out;
}

const ROUTE = '/api/portal/announcements';

/** Find how the route wants `from` (a date or an instant); null when the route has not landed (404). */
async function probeRoute(app: FastifyInstance): Promise<{ fromFormat: 'date' | 'date-time' | null; status: number; body: string }> {
  let last = { status: 0, body: '' };
  for (const [fmt, from] of [['date', '2025-01-01'], ['date-time', '2025-01-01T00:00:00+08:00']] as const) {
    const res = await app.inject({ method: 'GET', url: ROUTE, query: { q: '道路 改造', category: 'works', from } });
    last = { status: res.statusCode, body: res.body.slice(0, 400) };
    if (res.statusCode === 200) return { fromFormat: fmt, ...last };
    if (res.statusCode === 404) break;
  }
  return { fromFormat: null, ...last };
}

function fromValue(c: SearchCase, fmt: 'date' | 'date-time'): string {
  return fmt === 'date' ? c.from : `${c.from}T00:00:00+08:00`;
}

interface EngineResult {
  rows: number;
  generation: PortalDataset['generation'];
  route: { status: 'measured'; fromFormat: string; latency: LatencySummary; meanItems: number; zeroResultShare: number; non200: number; slowestQueries: { q: string; category: string; p95Ms: number; maxMs: number; meanItems: number }[] } | { status: 'not available'; probe: { status: number; body: string } };
  repoOnly: { latency: LatencySummary; meanItems: number };
  baselinePkSelect: LatencySummary;
}

export async function measureEngine(ds: PortalDataset): Promise<EngineResult> {
  // Boot the way main.ts does (createContext: open, migrate, platform seeds, services) on the generated database.
  const dir = tempDir('search-app');
  const config = loadConfig({ databaseUrl: ds.url, dataDir: ds.dir ?? dir, filesDir: `${dir}/files`, webDist: `${dir}/no-web`, seedDemo: false, logLevel: 'warn' });
  const ctx = await createContext(config);
  const app = await buildApp({ ctx, logger: false });
  await app.ready();
  const cases = searchCases(REQUESTS + WARMUP);
  try {
    // Baseline: the same number of primary-key selects through the raw driver (no Kysely, no HTTP).
    const q = rawQuery(ctx.handle);
    const ids = (await q<{ id: string }>('SELECT id FROM announcements ORDER BY id')).map((r) => r.id);
    const pk = (i: number) => q('SELECT * FROM announcements WHERE id = $1', [ids[(i * 7919) % ids.length]]);
    await timeEach(WARMUP, pk);
    const baseline = summarise(await timeEach(REQUESTS, (i) => pk(i + WARMUP)));

    // Diagnostic: the repository query alone, same cases (separates SQL time from HTTP and presentation).
    const repo = (c: SearchCase) => searchPublished(ctx.db, { q: c.q, categoryCode: c.category, from: new Date(`${c.from}T00:00:00+08:00`), limit: 20 });
    await timeEach(WARMUP, (i) => repo(cases[i]!));
    let repoItems = 0;
    const repoLat = summarise(await timeEach(REQUESTS, async (i) => void (repoItems += (await repo(cases[i + WARMUP]!)).rows.length)));

    const probe = await probeRoute(app);
    let route: EngineResult['route'];
    if (probe.fromFormat) {
      const fmt = probe.fromFormat;
      let items = 0;
      let zero = 0;
      let non200 = 0;
      const perQuery = new Map<string, { ms: number[]; items: number }>();
      const hit = async (c: SearchCase, count: boolean) => {
        const t = stopwatch();
        const res = await app.inject({ method: 'GET', url: ROUTE, query: { q: c.q, category: c.category, from: fromValue(c, fmt) } });
        if (!count) return;
        const key = `${c.q}|${c.category}`;
        const pq = perQuery.get(key) ?? { ms: [], items: 0 };
        pq.ms.push(t());
        perQuery.set(key, pq);
        if (res.statusCode !== 200) {
          non200++;
          return;
        }
        const body = res.json<{ items?: unknown[] } | unknown[]>();
        const n = Array.isArray(body) ? body.length : (body.items?.length ?? 0);
        items += n;
        pq.items += n;
        if (n === 0) zero++;
      };
      await timeEach(WARMUP, (i) => hit(cases[i]!, false));
      const lat = summarise(await timeEach(REQUESTS, (i) => hit(cases[i + WARMUP]!, true)));
      const slowestQueries = [...perQuery]
        .map(([k, v]) => {
          const sm = summarise(v.ms);
          return { q: k.split('|')[0]!, category: k.split('|')[1]!, p95Ms: sm.p95Ms, maxMs: sm.maxMs, meanItems: round(v.items / v.ms.length, 1) };
        })
        .sort((a, b) => b.p95Ms - a.p95Ms)
        .slice(0, 5);
      route = { status: 'measured', fromFormat: fmt, latency: lat, meanItems: round(items / REQUESTS, 1), zeroResultShare: round(zero / REQUESTS, 3), non200, slowestQueries };
    } else {
      route = { status: 'not available', probe: { status: probe.status, body: probe.body } };
    }
    return { rows: ds.n, generation: ds.generation, route, repoOnly: { latency: repoLat, meanItems: round(repoItems / REQUESTS, 1) }, baselinePkSelect: baseline };
  } finally {
    await app.close();
    await ctx.handle.close();
  }
}

export async function run(): Promise<void> {
  const started = stopwatch();
  const notes: string[] = [];
  const engines = (process.env.BENCH_SEARCH_ENGINES ?? 'postgres,pglite').split(',');
  const results: Record<string, EngineResult> = {};
  for (const engine of engines as ('postgres' | 'pglite')[]) {
    const n = engine === 'pglite' ? N_PGLITE : N;
    log(SUITE, `${engine}: generating ${n} announcements …`);
    const ds = await portalDataset(engine, n, (m) => log(SUITE, m));
    log(SUITE, ds.generation.cached ? `${engine}: dataset from ${ds.generation.cached} (generated once in ${ds.generation.seconds} s)` : `${engine}: dataset ready in ${ds.generation.seconds} s`);
    let r: EngineResult;
    try {
      r = await measureEngine(ds);
    } catch (e) {
      // Booting the application can fail while other modules are mid-change; say so instead of losing the run.
      notes.push(`${engine}: the application could not be measured: ${(e as Error).message}`);
      log(SUITE, `${engine}: FAILED ${(e as Error).message}`);
      continue;
    }
    results[engine] = r;
    log(SUITE, `${engine}: route ${r.route.status === 'measured' ? `p95 ${r.route.latency.p95Ms} ms (p50 ${r.route.latency.p50Ms}, mean items ${r.route.meanItems})` : `not available (${r.route.probe.status})`}; repo-only p95 ${r.repoOnly.latency.p95Ms} ms; baseline PK select p95 ${r.baselinePkSelect.p95Ms} ms`);
  }
  const p95 = (e: string) => {
    const r = results[e];
    return r && r.route.status === 'measured' ? r.route.latency.p95Ms : null;
  };
  const missing = (e: string) => (!results[e] ? 'not measured: see notes' : results[e].route.status !== 'measured' ? `GET ${ROUTE} not available yet (HTTP ${(results[e].route as { probe: { status: number } }).probe.status}); repo-only p95 ${results[e].repoOnly.latency.p95Ms} ms is a diagnostic. Re-run \`npm run bench -- search\` once the route lands.` : undefined);
  const targets: Target[] = [
    below(`PostgreSQL: p95 of GET ${ROUTE}?q=<two terms>&category=…&from=… over ${N.toLocaleString('en')} announcements`, p95('postgres'), 50, 'ms', missing('postgres')),
    below(`PGlite: same query over ${N_PGLITE.toLocaleString('en')} announcements (reported; the target is set for PostgreSQL)`, p95('pglite'), 50, 'ms', missing('pglite')),
  ];
  if (N_PGLITE !== N) notes.push(`PGlite used ${N_PGLITE} rows (BENCH_PORTAL_ROWS_PGLITE).`);
  const baseline = Object.fromEntries(Object.entries(results).map(([e, r]) => [e, { pkSelectRaw: r.baselinePkSelect }]));
  const file = await writeReport({
    suite: SUITE,
    durationS: round(started() / 1000, 1),
    baseline: { description: `${REQUESTS} sequential primary-key selects on announcements through the raw driver (pg / PGlite), same run`, ...baseline },
    results: {
      method: `${WARMUP} warm-up then ${REQUESTS} sequential requests via app.inject, cycling ${QUERIES.length} two-term queries × ${FROMS.length} from-dates, each with a category; limit 20 (the route's default)`,
      ...results,
    },
    targets,
    notes,
  });
  log(SUITE, `wrote ${file}`);
}
