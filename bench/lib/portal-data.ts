import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { listMigrations } from '../../apps/server/src/platform/db/migrate';
import { REPO_ROOT } from '../../apps/server/src/platform/config';
import { makeUscc } from '@yiwang/contracts';
import { documentTokens } from '../../apps/server/src/modules/announcements/search-tokens';
import { filterTags } from '../../apps/server/src/modules/announcements/search-tags';
import { createBenchPg, createBenchPglite, tempDir } from './pgdb';
import { rawQuery } from './ledger-data';
import { round, stopwatch } from './stats';

/**
 * 200,000 believable published announcements for the portal suites. Search tokens come from the announcements
 * module's own tokeniser (documentTokens + filterTags, ADR 0006) and are stored with array_to_tsvector, so the GIN
 * and btree indexes are the real ones from migration 0040. Rows are sent 2,000 at a time as one multi-row INSERT
 * (the publish command's per-row transaction, ledger entry and outbox event would take far longer than the bench).
 */

// Deterministic PRNG: every run generates the same corpus, so figures are comparable across runs.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 福建省 regions (GB/T 2260): 厦门 districts weighted heavily, the rest of the province lighter.
const REGIONS: [string, string][] = [
  ['350203', '厦门市思明区'], ['350205', '厦门市海沧区'], ['350206', '厦门市湖里区'], ['350211', '厦门市集美区'], ['350212', '厦门市同安区'], ['350213', '厦门市翔安区'],
  ['350200', '厦门市'], ['350102', '福州市鼓楼区'], ['350104', '福州市仓山区'], ['350100', '福州市'], ['350502', '泉州市鲤城区'], ['350583', '南安市'], ['350600', '漳州市'],
  ['350681', '龙海市'], ['350300', '莆田市'], ['350400', '三明市'], ['350700', '南平市'], ['350800', '龙岩市'], ['350900', '宁德市'], ['350000', '福建省'],
];
const PLACES = ['马巷镇', '新店镇', '内厝镇', '大嶝街道', '灌口镇', '后溪镇', '杏林街道', '新阳街道', '东孚街道', '殿前街道', '禾山街道', '金山街道', '鼓浪屿', '莲前街道', '环东海域新城', '马銮湾新城', '五缘湾片区', '软件园三期', '火炬高新区', '自贸片区', '同安新城', '集美新城', '航空城', '翔安南部新城'];
const SUBJECTS = ['道路', '市政道路', '排水管网', '污水处理厂', '中学', '小学', '幼儿园', '医院', '保障性住房', '安置房', '公园', '桥梁', '隧道', '地铁站', '体育馆', '图书馆', '绿化景观', '路灯照明', '供水管网', '燃气管道', '档案馆', '河道', '海堤', '停车场', '农贸市场', '养老院', '社区服务中心', '消防站', '垃圾转运站', '产业园'];
const WORKS = ['新建工程', '改造工程', '提升改造工程', '维修工程', '扩建工程', '综合整治工程', '修缮工程', '配套工程'];
const WORK_STAGES = ['施工', '设计', '监理', '勘察', '施工总承包', 'EPC工程总承包', '全过程工程咨询', '造价咨询'];
const GOODS = ['医疗设备', '教学设备', '办公家具', '计算机及网络设备', '服务器', '执法记录仪', '消防器材', '图书', '电梯', '空调设备', '新能源公交车', '环卫车辆', '实验室仪器', '安防监控设备', '食堂食材'];
const SERVICES = ['物业管理服务', '保安服务', '保洁服务', '信息化运维服务', '审计服务', '法律顾问服务', '食堂托管服务', '绿化养护服务', '道路保洁服务', '软件开发服务', '数据治理服务', '培训服务', '印刷服务', '车辆租赁服务', '会计代理服务'];
const BUYERS = ['教育局', '卫生健康委员会', '第一医院', '中医院', '公安局', '城市管理局', '市政园林局', '财政局', '自然资源和规划局', '人民政府办公室', '住房保障和房屋管理局', '交通运输局', '生态环境局', '职业技术学院', '图书馆'];
const LAND_USES = ['住宅用地', '商服用地', '工业用地', '仓储用地', '商住用地', '科研用地'];
const MINERALS = ['建筑用花岗岩矿', '建筑用砂矿', '高岭土矿', '石灰岩矿', '饰面用花岗岩矿'];
const COMPANIES = ['建设发展有限公司', '市政集团有限公司', '路桥建设集团有限公司', '水务集团有限公司', '城建集团有限公司', '工程咨询有限公司', '招标代理有限公司', '国有资产投资有限公司'];

// Category mix (catalog codes from the catalog seed) and the announcement types used in each.
const CATEGORIES: [string, number][] = [['works', 40], ['gp.goods', 14], ['gp.services', 14], ['gp.works', 6], ['land', 8], ['mining', 2], ['state_property', 5], ['medical', 3], ['judicial_assets', 2], ['official_vehicles', 1], ['assets_resources', 3], ['concession', 1], ['outdoor_ads', 1]];
const TYPES_TENDER: [string, string, number][] = [['tender_notice', '招标公告', 35], ['candidate_publicity', '中标候选人公示', 20], ['award_notice', '中标结果公告', 20], ['change_notice', '变更公告', 8], ['contract_notice', '合同公告', 8], ['failure_notice', '流标公告', 3], ['opening_record', '开标记录', 4], ['termination_notice', '终止公告', 2]];
const TYPES_GP: [string, string, number][] = [['tender_notice', '公开招标公告', 30], ['procurement_intention', '采购意向公开', 10], ['award_notice', '中标（成交）结果公告', 25], ['change_notice', '更正公告', 8], ['contract_notice', '合同公告', 15], ['single_source_publicity', '单一来源采购公示', 4], ['failure_notice', '废标公告', 8]];
const TYPES_RIGHTS: [string, string, number][] = [['transfer_notice', '挂牌出让公告', 55], ['deal_publicity', '成交公示', 35], ['change_notice', '补充公告', 6], ['termination_notice', '终止公告', 4]];

export const CORPUS = { PLACES, SUBJECTS, WORKS, WORK_STAGES, GOODS, SERVICES, BUYERS, CATEGORIES, REGIONS };

function weighted<T extends unknown[]>(rnd: () => number, xs: T[], w: (x: T) => number): T {
  const total = xs.reduce((a, x) => a + w(x), 0);
  let r = rnd() * total;
  for (const x of xs) if ((r -= w(x)) < 0) return x;
  return xs[xs.length - 1]!;
}

export const PUBLISH_FROM = Date.parse('2024-01-01T00:00:00+08:00');
export const PUBLISH_TO = Date.parse('2026-11-24T18:00:00+08:00');

export interface GeneratedAnnouncement {
  id: string;
  type: string;
  title: string;
  category: string;
  region: string;
  body: string;
  publishedAt: string;
  seq: number;
  org: number;
  toks: string[];
}

export function makeAnnouncement(i: number, n: number, rnd: () => number): GeneratedAnnouncement {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const [category] = weighted(rnd, CATEGORIES, (c) => c[1]);
  const [region, regionName] = rnd() < 0.7 ? REGIONS[Math.floor(rnd() * 7)]! : pick(REGIONS);
  const place = pick(PLACES);
  const year = 2024 + Math.floor((i / n) * 3);
  const no = `${category === 'works' ? 'XMJS' : category.startsWith('gp') ? 'XMZC' : 'XMCQ'}${year}${String(Math.floor(rnd() * 99999)).padStart(5, '0')}`;
  let type: string, label: string, title: string, detail: string;
  if (category === 'works' || category === 'gp.works') {
    [type, label] = weighted(rnd, category === 'works' ? TYPES_TENDER : TYPES_GP, (t) => t[2]);
    const subject = `${place}${pick(SUBJECTS)}${pick(WORKS)}`;
    title = `${regionName}${subject}${pick(WORK_STAGES)}${label}`;
    detail = `项目名称：${subject}。建设地点：${regionName}${place}。建设规模：总建筑面积约${Math.floor(rnd() * 90_000 + 2000)}平方米，估算投资约${Math.floor(rnd() * 80_000 + 300)}万元。资金来源：财政资金。招标范围：施工图纸范围内的全部工程内容。计划工期：${Math.floor(rnd() * 600 + 90)}日历天。投标人须具备市政公用工程或建筑工程施工总承包${pick(['一级', '二级', '三级'])}及以上资质。`;
  } else if (category.startsWith('gp') || category === 'medical') {
    [type, label] = weighted(rnd, TYPES_GP, (t) => t[2]);
    const what = category === 'gp.services' ? pick(SERVICES) : pick(GOODS);
    const buyer = `${regionName.slice(0, 3)}${pick(BUYERS)}`;
    title = `${buyer}${what}采购项目${label}`;
    detail = `采购人：${buyer}。项目编号：${no}。采购方式：${pick(['公开招标', '竞争性磋商', '竞争性谈判', '询价'])}。预算金额：${Math.floor(rnd() * 9000 + 20)}万元。采购需求：${what}，具体详见采购文件。合同履行期限：${Math.floor(rnd() * 36 + 1)}个月。本项目${rnd() < 0.5 ? '专门面向中小企业' : '不专门面向中小企业'}采购。`;
  } else {
    [type, label] = weighted(rnd, TYPES_RIGHTS, (t) => t[2]);
    const parcel = `${year}${pick(['XP', 'HP', 'JP', 'TP'])}${String(Math.floor(rnd() * 99)).padStart(2, '0')}`;
    const thing =
      category === 'land' ? `${regionName}${place}${parcel}地块国有建设用地使用权（${pick(LAND_USES)}）`
      : category === 'mining' ? `${regionName}${pick(MINERALS)}采矿权`
      : category === 'state_property' ? `${regionName.slice(0, 3)}${pick(COMPANIES).replace('有限公司', '')}有限公司${Math.floor(rnd() * 90 + 10)}%股权`
      : `${regionName}${place}${pick(['公车', '门面房租赁权', '广告位经营权', '停车场经营权', '涉诉房产'])}`;
    title = `${thing}${label}`;
    detail = `标的名称：${thing}。起始价：${Math.floor(rnd() * 90_000 + 50)}万元，增价幅度${Math.floor(rnd() * 50 + 1)}万元。保证金：${Math.floor(rnd() * 5000 + 10)}万元。竞买人应在挂牌期内通过交易平台提交竞买申请，挂牌期满有两个及以上竞买人的，进入限时竞价。`;
  }
  const body = `${title}\n${detail}\n获取文件方式：通过一网交易平台在线获取，不收取费用。投标（响应）截止时间及开标时间详见交易文件。联系方式：${pick(COMPANIES)}，电话0592-${String(Math.floor(rnd() * 8999999 + 1000000))}。`;
  const publishedAt = new Date(PUBLISH_FROM + Math.floor(((i + rnd()) / n) * (PUBLISH_TO - PUBLISH_FROM)));
  const toks = [...documentTokens(title, body), ...filterTags({ categoryCode: category, type, regionCode: region })];
  return { id: randomUUID(), type, title, category, region, body, publishedAt: publishedAt.toISOString(), seq: i + 1, org: Math.floor(rnd() * ORGS), toks };
}

const ORGS = 300;
const INSERT = `INSERT INTO announcements (id, type, title, category_code, region_code, body_html, body_text, publisher_org_id, status,
    created_at, updated_at, submitted_at, published_at, content_hash, publish_seq, search_tokens)
  SELECT x.id, x.type, x.title, x.category, x.region, '<p>' || replace(x.body, E'\\n', '</p><p>') || '</p>', x.body, (($2::json) ->> x.org)::uuid, 'published',
    x."publishedAt", x."publishedAt", x."publishedAt", x."publishedAt", x.hash, x.seq, array_to_tsvector(x.toks)
  FROM json_to_recordset($1::json) AS x(id uuid, type text, title text, category text, region text, body text, "publishedAt" timestamptz, seq bigint, org int, hash text, toks text[])`;

export interface PortalDataset {
  engine: 'postgres' | 'pglite';
  url?: string;
  dir?: string;
  n: number;
  generation: { seconds: number; generateSeconds: number; insertSeconds: number; indexSeconds: number; vacuumSeconds: number; indexes: string[]; cached?: string };
}

/**
 * PGlite takes minutes to load 200,000 rows, so its generated data directory is kept in bench/.cache (ignored by
 * git) and copied for each run. The key covers what shapes the data: the announcements and organisations
 * migrations, the tokeniser, the tag builder, this generator and N. BENCH_NO_CACHE=1 regenerates.
 */
const CACHE_DIR = path.resolve(import.meta.dirname, '../.cache');
function cacheKey(n: number): string {
  const h = createHash('sha256').update(String(n));
  // The announcements migrations (0040–0049) and the organisations table (0001) shape this data; migrations of
  // other modules are applied on top by the application's own migrate() when it opens the copy.
  for (const m of listMigrations()) if (/^00(4\d|01)_/.test(m.version)) h.update(m.version).update(fs.readFileSync(m.file));
  for (const f of ['apps/server/src/modules/announcements/search-tokens.ts', 'apps/server/src/modules/announcements/search-tags.ts', 'bench/lib/portal-data.ts']) h.update(fs.readFileSync(path.join(REPO_ROOT, f)));
  return h.digest('hex').slice(0, 16);
}

const cache = new Map<string, Promise<PortalDataset>>();

/** The dataset for an engine, generated once per run and shared by the suites that need it. */
export function portalDataset(engine: 'postgres' | 'pglite', n: number, log: (m: string) => void): Promise<PortalDataset> {
  const key = `${engine}:${n}`;
  let p = cache.get(key);
  if (!p) {
    p = build(engine, n, log);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export function forgetPortalDatasets(): void {
  cache.clear();
}

async function build(engine: 'postgres' | 'pglite', n: number, log: (m: string) => void): Promise<PortalDataset> {
  if (engine === 'pglite' && process.env.BENCH_NO_CACHE !== '1') {
    const cached = path.join(CACHE_DIR, `pglite-portal-${cacheKey(n)}`);
    const meta = path.join(cached, 'bench-meta.json');
    if (fs.existsSync(meta)) {
      const dir = tempDir('pglite-portal');
      const t = stopwatch();
      fs.cpSync(path.join(cached, 'data'), dir, { recursive: true });
      log(`pglite: copied the cached dataset ${path.basename(cached)} in ${round(t() / 1000, 1)} s`);
      const m = JSON.parse(fs.readFileSync(meta, 'utf8')) as Pick<PortalDataset, 'generation'>;
      return { engine, dir, n, generation: { ...m.generation, cached: path.relative(REPO_ROOT, cached) } };
    }
    const ds = await generate(engine, n, log);
    fs.mkdirSync(cached, { recursive: true });
    fs.cpSync(ds.dir!, path.join(cached, 'data'), { recursive: true, filter: (src) => path.basename(src) !== 'yiwang.lock' });
    fs.writeFileSync(meta, JSON.stringify({ generation: ds.generation }, null, 2));
    for (const old of fs.readdirSync(CACHE_DIR)) if (old.startsWith('pglite-portal-') && old !== path.basename(cached)) fs.rmSync(path.join(CACHE_DIR, old), { recursive: true, force: true });
    return ds;
  }
  return generate(engine, n, log);
}

async function generate(engine: 'postgres' | 'pglite', n: number, log: (m: string) => void): Promise<PortalDataset> {
  const total = stopwatch();
  const db = engine === 'postgres' ? await createBenchPg('portal') : await createBenchPglite('portal');
  const q = rawQuery(db.handle);
  const orgIds: string[] = [];
  for (let o = 0; o < ORGS; o++) {
    const name = `厦门${['建设', '市政', '公共资源', '工程咨询', '招标代理', '产权交易'][o % 6]}${o}号有限公司`;
    const r = await q<{ id: string }>(`INSERT INTO organisations (kind, name, uscc) VALUES ('organisation', $1, $2) RETURNING id`, [name, makeUscc(`bench-org-${o}`)]);
    orgIds.push(r[0]!.id);
  }
  const orgJson = JSON.stringify(orgIds);
  // Bulk load the usual way: drop the secondary indexes, insert, recreate them from their own definitions
  // (pg_get_indexdef of the migrated schema), so the indexes queried are exactly migration 0040's.
  const indexes = await q<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = 'announcements'::regclass AND NOT i.indisprimary AND NOT i.indisunique ORDER BY 1`,
  );
  for (const ix of indexes) await q(`DROP INDEX ${ix.name}`);
  const rnd = prng(20261125);
  let genMs = 0;
  const inFlight = new Set<Promise<unknown>>();
  const maxInFlight = engine === 'postgres' ? 2 : 1;
  const BATCH = 2000;
  for (let from = 0; from < n; from += BATCH) {
    const t = stopwatch();
    const rows: (GeneratedAnnouncement & { hash: string })[] = [];
    for (let i = from; i < Math.min(n, from + BATCH); i++) {
      const a = makeAnnouncement(i, n, rnd);
      rows.push({ ...a, hash: createHash('sha256').update(a.title).update(a.body).digest('hex') });
    }
    const json = JSON.stringify(rows);
    genMs += t();
    const p = q(INSERT, [json, orgJson]).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if ((from / BATCH) % 20 === 19) log(`${engine}: ${from + BATCH} announcements inserted (${round(total() / 1000, 1)} s)`);
  }
  await Promise.all(inFlight);
  const ti = stopwatch();
  for (const ix of indexes) await q(ix.def);
  const indexMs = ti();
  const tv = stopwatch();
  // Production tables are vacuumed and analysed by autovacuum; do it now so the planner has statistics.
  await q('VACUUM ANALYZE announcements');
  await q('VACUUM ANALYZE organisations');
  const vacuumMs = tv();
  const seconds = total() / 1000;
  if (engine === 'pglite') await db.handle.close();
  return {
    engine,
    ...('url' in db ? { url: db.url } : { dir: db.dir }),
    n,
    generation: {
      seconds: round(seconds, 1),
      generateSeconds: round(genMs / 1000, 1),
      insertSeconds: round(seconds - (genMs + indexMs + vacuumMs) / 1000, 1),
      indexSeconds: round(indexMs / 1000, 1),
      vacuumSeconds: round(vacuumMs / 1000, 1),
      indexes: indexes.map((i) => i.def),
    },
  };
}
