/**
 * Generate N published announcements into a PostgreSQL database and time the portal search (ADR 0006).
 *   node --import tsx apps/server/src/modules/announcements/tools/search-bench.ts postgres://postgres@127.0.0.1:5432/yiwang_ann_bench 200000
 * The database is created if missing and migrated; rows are only generated when the table holds fewer than N.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../../platform/db/database';
import { migrate } from '../../../platform/db/migrate';
import { documentTokens } from '../search-tokens';
import { filterTags } from '../search-tags';
import { listPublished, searchPublished, type SearchFilters } from '../portal.repo';

const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/yiwang_ann_bench';
const N = Number(process.argv[3] ?? 200_000);

// A deterministic PRNG so runs are comparable.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() ** 2 * xs.length)]!; // skewed: early entries are common

const PLACES = ['思明区', '湖里区', '集美区', '海沧区', '同安区', '翔安区', '鼓浪屿', '环东海域', '马銮湾', '五缘湾', '杏林湾', '软件园', '火炬高新区', '自贸片区'];
const SUBJECTS = ['道路', '市政', '排水管网', '污水处理厂', '学校', '医院', '保障性住房', '公园', '桥梁', '隧道', '地铁站', '体育馆', '图书馆', '绿化', '照明', '供水', '燃气', '档案馆', '安置房', '河道'];
const WORKS = ['新建工程', '改造工程', '提升工程', '维修工程', '设计', '监理', '施工总承包', '勘察', '设备采购', '物业服务', '信息化建设', '运维服务', '造价咨询', '检测服务'];
const TYPES: [string, string][] = [['tender_notice', '招标公告'], ['candidate_publicity', '中标候选人公示'], ['award_notice', '中标结果公告'], ['change_notice', '变更公告'], ['contract_notice', '合同公告'], ['transfer_notice', '挂牌出让公告'], ['deal_publicity', '成交公示']];
const CATS = ['construction', 'government_procurement', 'land', 'mining', 'property'];
const REGIONS = ['350203', '350205', '350206', '350211', '350212', '350213', '350200', '350100', '350102', '350500'];
const FILLER = '本项目已具备招标条件，现对该项目进行公开招标。投标人资格要求：具有独立法人资格，具备相应资质，近三年无不良记录。招标文件获取时间、投标截止时间及开标时间详见交易平台。项目资金来源为财政资金，建设地点位于厦门市。质量要求合格，工期一百八十日历天。';

async function main() {
  const admin = new pg.Client({ connectionString: new URL('/postgres', url).toString() });
  await admin.connect();
  const name = new URL(url).pathname.slice(1);
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const handle = await openDatabase({ databaseUrl: url, poolSize: 4 });
  await migrate(handle);
  const pool = handle.pgPool!;
  let have = Number((await pool.query('SELECT count(*) FROM announcements')).rows[0].count);
  if (have < N) {
    let org = (await pool.query(`SELECT id FROM organisations WHERE uscc = '91350200BENCH00001'`)).rows[0]?.id as string | undefined;
    org ??= (await pool.query(`INSERT INTO organisations (kind, name, uscc) VALUES ('organisation', '基准测试代理公司', '91350200BENCH00001') RETURNING id`)).rows[0].id as string;
    const t0 = Date.now();
    const start = Date.parse('2024-01-01T00:00:00Z');
    const span = Date.parse('2026-11-01T00:00:00Z') - start;
    while (have < N) {
      const rows = [];
      for (let i = 0; i < 2000 && have < N; i++, have++) {
        const [type, typeLabel] = pick(TYPES);
        const category = pick(CATS);
        const region = pick(REGIONS);
        const title = `${pick(PLACES)}${pick(SUBJECTS)}${pick(WORKS)}${typeLabel}`;
        const body = `${title}。${pick(PLACES)}${pick(SUBJECTS)}${pick(WORKS)}。${FILLER}编号XM${2024 + Math.floor(rnd() * 3)}-${Math.floor(rnd() * 99999)}。`;
        const publishedAt = new Date(start + Math.floor((have / N) * span) + Math.floor(rnd() * 60_000));
        rows.push({
          id: randomUUID(), type, title, category, region, body, publishedAt: publishedAt.toISOString(), seq: 1_000_000 + have,
          toks: [...documentTokens(title, body), ...filterTags({ categoryCode: category, type, regionCode: region })],
        });
      }
      await pool.query(
        `INSERT INTO announcements (id, type, title, category_code, region_code, body_html, body_text, publisher_org_id, status,
           created_at, updated_at, published_at, content_hash, publish_seq, search_tokens)
         SELECT x.id, x.type, x.title, x.category, x.region, '<p>' || x.body || '</p>', x.body, $2, 'published',
           x."publishedAt", x."publishedAt", x."publishedAt", md5(x.id::text), x.seq, array_to_tsvector(ARRAY(SELECT json_array_elements_text(x.toks)))
         FROM json_to_recordset($1) AS x(id uuid, type text, title text, category text, region text, body text, "publishedAt" timestamptz, seq bigint, toks json)`,
        [JSON.stringify(rows), org],
      );
    }
    await pool.query('VACUUM ANALYZE announcements');
    console.log(`generated ${N} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const cases: { name: string; f: SearchFilters }[] = [
    { name: 'two terms + category + date (rare-ish)', f: { q: '学校 监理', categoryCode: 'construction', from: new Date('2025-01-01T00:00:00+08:00'), to: new Date('2026-01-01T00:00:00+08:00'), limit: 20 } },
    { name: 'two terms + category + date (common)', f: { q: '道路 招标', categoryCode: 'construction', from: new Date('2025-01-01T00:00:00+08:00'), to: new Date('2026-11-01T00:00:00+08:00'), limit: 20 } },
    { name: 'two terms, no filters', f: { q: '思明 道路', limit: 20 } },
    { name: 'two very common terms + category + date', f: { q: '招标 厦门', categoryCode: 'land', from: new Date('2026-01-01T00:00:00+08:00'), to: new Date('2026-11-01T00:00:00+08:00'), limit: 20 } },
    { name: 'term + region prefix + type', f: { q: '污水处理', regionPrefix: '3502', type: 'tender_notice', limit: 20 } },
    { name: 'no text, category + date', f: { categoryCode: 'mining', from: new Date('2025-06-01T00:00:00+08:00'), limit: 20 } },
    { name: 'anti-correlated terms + type (no match)', f: { q: '挂牌', type: 'tender_notice', from: new Date('2025-01-01T00:00:00+08:00'), limit: 20 } },
    { name: 'anti-correlated two terms (no match)', f: { q: '候选 挂牌', limit: 20 } },
    { name: 'very common term, no filter', f: { q: '招标', limit: 20 } },
    { name: 'rare term, no match in range', f: { q: '图书馆 勘察', categoryCode: 'mining', from: new Date('2026-10-30T00:00:00+08:00'), limit: 20 } },
  ];
  for (const c of cases) {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      const page = c.f.q ? await searchPublished(handle.db, { ...c.f, q: c.f.q }) : await listPublished(handle, c.f);
      times.push(performance.now() - t);
      count = page.rows.length;
      // Second page through the cursor, timed separately below.
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(`${c.name.padEnd(45)} rows=${String(count).padStart(3)}  p50=${p(0.5)} ms  p95=${p(0.95)} ms  max=${p(1)} ms`);
  }
  await handle.close();
}

await main();
