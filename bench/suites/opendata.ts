// OCDS: a release package of 10,000 tenders streamed by the real application over HTTP (target ≥ 2,000 releases/s).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../apps/server/src/app';
import { recordOcdsRelease, type ProcessSnapshot, type ReleaseTag } from '../../apps/server/src/modules/opendata/index';
import { createContext } from '../../apps/server/src/platform/boot';
import { loadConfig } from '../../apps/server/src/platform/config';
import { createBenchPg, rawPool, tempDir } from '../lib/pgdb';
import { atLeast, log, writeReport } from '../lib/report';

const N = Number(process.env.BENCH_OCDS_TENDERS ?? 10_000);
const SAMPLES = Number(process.env.BENCH_OCDS_SAMPLES ?? 3);
const PREFIX = 'ocds-ywtest';
const say = (m: string) => log('opendata', m);

const SUBJECTS = ['市政道路改造工程施工', '教学设备采购项目', '医疗设备采购项目', '污水处理厂提标改造工程', '智慧城市运维服务采购', '保障性住房建设工程监理'];
const PLACES = ['厦门市翔安区', '福州市鼓楼区', '泉州市丰泽区', '漳州市龙文区', '莆田市城厢区', '南平市建阳区'];
const STAGES: ReleaseTag[][] = [['tender'], ['tenderAmendment'], ['tenderUpdate'], ['award'], ['contract']];

/** A believable process at one of five stages (bids appear from the opening on, awards and contracts later). */
function snapshot(i: number): { s: ProcessSnapshot; tags: ReleaseTag[] } {
  const stage = i % STAGES.length;
  const opened = new Date(Date.UTC(2026, 9, 15, 2));
  const buyer = { orgId: `org-b-${i % 300}`, name: `${PLACES[i % PLACES.length]}第${i % 300}采购单位` };
  const bidders = [0, 1, 2, 3].map((k) => ({ orgId: `org-s-${(i * 7 + k) % 900}`, name: `福建第${(i * 7 + k) % 900}建设有限公司` }));
  const value = 100_000_00 + ((i * 7919) % 90_000_000_00);
  const s: ProcessSnapshot = {
    processId: `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    title: `${PLACES[i % PLACES.length]}${SUBJECTS[i % SUBJECTS.length]}`,
    description: `${PLACES[i % PLACES.length]}${SUBJECTS[i % SUBJECTS.length]}，分两个标段，资金来源为财政资金。`,
    status: stage === 4 ? 'complete' : 'active',
    procurementMethod: 'open',
    procurementMethodDetails: '公开招标',
    mainProcurementCategory: i % 3 === 0 ? 'works' : 'goods',
    valueFen: value,
    tenderPeriod: { start: new Date(Date.UTC(2026, 8, 18, 1)), end: opened },
    buyer,
    parties: [{ ...buyer, uscc: null, roles: ['buyer'], regionCode: '350200' }],
    lots: [
      { id: 'lot-1', title: '第一标段', valueFen: Math.floor(value / 2) },
      { id: 'lot-2', title: '第二标段', valueFen: value - Math.floor(value / 2) },
    ],
    documents: [{ id: 'notice', documentType: 'tenderNotice', title: '招标公告', url: `https://ggzy.example.cn/portal/announcements/${i}`, datePublished: new Date(Date.UTC(2026, 8, 18, 1)) }],
  };
  if (stage >= 2) {
    s.openedAt = opened;
    s.bids = bidders.map((b, k) => ({ id: `bid-${k}`, date: new Date(opened.getTime() - (k + 1) * 3_600_000), status: 'valid', bidder: b, priceFen: Math.floor(value / 2) - k * 1000_00, lotIds: [k % 2 ? 'lot-2' : 'lot-1'] }));
    for (const b of bidders) s.parties.push({ ...b, roles: ['tenderer'] });
  }
  if (stage >= 3) s.awards = [{ id: 'award-1', status: 'active', date: new Date(Date.UTC(2026, 10, 3, 2)), valueFen: s.bids![0]!.priceFen!, suppliers: [bidders[0]!], lotIds: ['lot-1'], bidId: 'bid-0' }];
  if (stage >= 4) s.contracts = [{ id: 'contract-1', awardId: 'award-1', status: 'active', valueFen: s.bids![0]!.priceFen!, dateSigned: new Date(Date.UTC(2026, 10, 20, 6)) }];
  return { s, tags: STAGES[stage]! };
}

async function fetchAll(url: string): Promise<{ ms: number; bytes: number; releases: number }> {
  const t0 = performance.now();
  const body = await new Promise<string>((resolve, reject) => {
    http.get(url, (res) => {
      if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    }).on('error', reject);
  });
  const ms = performance.now() - t0;
  const pkg = JSON.parse(body) as { releases: unknown[] };
  return { ms, bytes: Buffer.byteLength(body), releases: pkg.releases.length };
}

export async function run(): Promise<void> {
  const started = Date.now();
  const { url, handle } = await createBenchPg('opendata');
  say(`recording ${N} releases (each with its ledger entry) …`);
  const tGen = performance.now();
  for (let i = 0; i < N; i += 200) {
    await handle.db.transaction().execute(async (trx) => {
      for (let k = i; k < Math.min(N, i + 200); k++) {
        const { s, tags } = snapshot(k);
        await recordOcdsRelease(trx, { prefix: PREFIX, snapshot: s, tags }, new Date(Date.UTC(2026, 10, 25) + k * 1000));
      }
    });
  }
  const generationS = (performance.now() - tGen) / 1000;

  const dir = tempDir('opendata-app');
  const ctx = await createContext(loadConfig({ databaseUrl: url, dataDir: dir, filesDir: `${dir}/files`, webDist: `${dir}/no-web`, seedDemo: false, logLevel: 'warn' }));
  const app = await buildApp({ ctx, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  try {
    // Baseline: the same rows read as text through a raw pg pool in one query (no HTTP, no framing).
    const pool = rawPool(url, 2);
    const baselineMs: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const t0 = performance.now();
      const r = await pool.query('SELECT seq, data::text AS text FROM ocds_releases ORDER BY seq LIMIT $1', [N]);
      baselineMs.push(performance.now() - t0);
      if (r.rowCount !== N) throw new Error(`baseline read ${r.rowCount} rows`);
    }
    await fetchAll(`http://127.0.0.1:${port}/api/opendata/releases?limit=100`); // warm-up
    const runs: { ms: number; bytes: number; releases: number }[] = [];
    for (let k = 0; k < SAMPLES; k++) runs.push(await fetchAll(`http://127.0.0.1:${port}/api/opendata/releases?limit=${N}`));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ms = median(runs.map((r) => r.ms));
    const rate = Math.round((N / ms) * 1000);
    const baseRate = Math.round((N / median(baselineMs)) * 1000);
    say(`package of ${N}: median ${ms.toFixed(0)} ms → ${rate} releases/s (raw pg read: ${baseRate} rows/s)`);
    await writeReport({
      suite: 'opendata',
      durationS: Math.round((Date.now() - started) / 1000),
      baseline: { rawPgReadReleasesPerS: baseRate, rawPgReadMs: baselineMs.map((x) => Math.round(x)), method: 'SELECT seq, data::text FROM ocds_releases ORDER BY seq LIMIT N through a raw pg pool, same database, same run' },
      results: {
        tenders: N,
        generationS: Math.round(generationS * 10) / 10,
        packageBytes: runs[0]!.bytes,
        meanReleaseBytes: Math.round(runs[0]!.bytes / N),
        runsMs: runs.map((r) => Math.round(r.ms)),
        releasesPerS: rate,
        shareOfRawRead: Math.round((rate / baseRate) * 1000) / 10,
        every: runs.every((r) => r.releases === N),
        method: `GET /api/opendata/releases?limit=${N} over loopback HTTP from the real application (createContext + buildApp + listen), body read whole and parsed; median of ${SAMPLES}`,
      },
      targets: [atLeast(`PostgreSQL: OCDS release package of ${N.toLocaleString('en')} tenders streamed`, rate, 2000, 'releases/s')],
      notes: [`Releases are at five stages (tender, amendment, opening with 4 bids, award, contract), mean ${Math.round(runs[0]!.bytes / N)} bytes each; each was recorded with recordOcdsRelease (ledger entry + row) in transactions of 200.`],
    });
  } finally {
    await app.close();
    await ctx.handle.close();
  }
}
