import { sql } from 'kysely';
import type { Db } from '../../platform/db/database';
import { appendLedger } from '../../platform/ledger/append';
import type { CatalogEntry, MaterialSpec, ProcedureType, Threshold } from './catalog.rules';
import './catalog.tables';

/** 万元 → 分. */
const wan = (n: number) => n * 10_000 * 100;

const M = (code: string, nameZh: string, nameEn: string, requiredWhen: MaterialSpec['requiredWhen'] = 'always'): MaterialSpec => ({ code, nameZh, nameEn, requiredWhen });
const AGENCY = M('agency_contract', '委托代理合同', 'Agency agreement', 'agency');

// 必须招标的工程项目规定（国家发展改革委令第16号，2018-06-01 施行）第五条：施工单项合同估算价 400 万元人民币以上，重要设备、
// 材料等货物 200 万元以上，勘察、设计、监理等服务 100 万元以上，必须招标；同一项目中可以合并进行的采购合同估算价合计达到
// 前款标准的，必须招标（so the project's total estimate is compared, not each lot's).
const WORKS_THRESHOLDS: Threshold[] = [
  { subject: 'works', amountFen: wan(400) },
  { subject: 'goods', amountFen: wan(200) },
  { subject: 'services', amountFen: wan(100) },
];
const WORKS_BASIS = '招标投标法第三条、第九条；招标投标法实施条例第七条；必须招标的工程项目规定（发改委令第16号）第五条';
// 招标投标法第九条：招标项目按规定需要履行审批手续的应先履行审批手续；招标人应当有进行招标项目的相应资金或者资金来源已经落实。
const WORKS_MATERIALS = [
  M('project_approval', '项目审批、核准或备案文件', 'Project approval, ratification or filing document'),
  M('funding_proof', '资金来源证明', 'Proof of funding source'),
  M('tender_plan', '招标方案（招标范围、方式、组织形式）', 'Tendering plan (scope, method, organisation)'),
  AGENCY,
];
const WORKS_PROCS: ProcedureType[] = ['works_open_tender', 'works_invited_tender'];

// 中央预算单位政府集中采购目录及标准（2020年版，国办发〔2019〕55号）：分散采购限额标准 货物、服务 100 万元，工程 120 万元
// (政府采购法第二条：集中采购目录以内的或者采购限额标准以上的采购适用本法)；货物、服务公开招标数额标准 200 万元。
// Local governments publish their own figures: administrators adjust them through a new catalog version.
const GP_BASIS = '政府采购法第二条、第二十六条；政府采购法实施条例第七条；国办发〔2019〕55号';
const GP_MATERIALS = [
  M('procurement_plan', '政府采购计划（预算批复）', 'Procurement plan (approved budget)'),
  M('procurement_requirements', '采购需求', 'Procurement requirements'),
  AGENCY,
];

const RIGHTS_PROCS: ProcedureType[] = ['auction', 'listing', 'online_bidding'];
const DISPOSAL_MATERIALS = [
  M('disposal_approval', '处置（出让）批准文件', 'Approval of the disposal'),
  M('rights_certificate', '权属证明', 'Proof of title'),
  M('valuation_report', '评估报告', 'Valuation report'),
  AGENCY,
];

type Seed = Omit<CatalogEntry, 'sortOrder'>;
const e = (code: string, parentCode: string | null, nameZh: string, nameEn: string, industry: string, rest: Partial<Seed> = {}): Seed => ({
  code,
  parentCode,
  nameZh,
  nameEn,
  industry,
  thresholds: [],
  procedures: [],
  materials: [],
  basis: '',
  ...rest,
});
const works = (code: string, zh: string, en: string, industry: string) =>
  e(`works.${code}`, 'works', zh, en, industry, { thresholds: WORKS_THRESHOLDS, procedures: WORKS_PROCS, materials: WORKS_MATERIALS, basis: WORKS_BASIS });

/** The initial catalog (version 1). Codes are stable identifiers: projects keep them across versions. */
export const INITIAL_CATALOG: CatalogEntry[] = [
  e('works', null, '工程建设项目招标投标', 'Engineering construction tendering', 'development', { basis: WORKS_BASIS }),
  works('housing', '房屋建筑', 'Building construction', 'construction'),
  works('municipal', '市政', 'Municipal works', 'construction'),
  works('transport', '交通', 'Transport', 'transport'),
  works('water', '水利', 'Water conservancy', 'water'),
  works('energy', '能源', 'Energy and power', 'development'),
  works('other', '其他工程', 'Other engineering', 'development'),
  e('gp', null, '政府采购', 'Government procurement', 'government_procurement', { basis: GP_BASIS }),
  e('gp.goods', 'gp', '货物', 'Goods', 'government_procurement', {
    thresholds: [{ subject: null, amountFen: wan(100) }],
    procedures: ['gp_open_tender', 'gp_invited_tender', 'competitive_negotiation', 'competitive_consultation', 'inquiry', 'single_source'],
    materials: GP_MATERIALS,
    basis: GP_BASIS,
  }),
  e('gp.services', 'gp', '服务', 'Services', 'government_procurement', {
    thresholds: [{ subject: null, amountFen: wan(100) }],
    procedures: ['gp_open_tender', 'gp_invited_tender', 'competitive_negotiation', 'competitive_consultation', 'single_source'],
    materials: GP_MATERIALS,
    basis: GP_BASIS,
  }),
  // 政府采购法实施条例第七条：政府采购工程以及与工程建设有关的货物、服务，采用招标方式采购的，适用招标投标法。
  e('gp.works', 'gp', '工程', 'Works', 'government_procurement', {
    thresholds: [{ subject: null, amountFen: wan(120) }],
    procedures: ['works_open_tender', 'works_invited_tender', 'competitive_negotiation', 'competitive_consultation', 'single_source'],
    materials: [M('project_approval', '项目审批、核准或备案文件', 'Project approval, ratification or filing document'), ...GP_MATERIALS],
    basis: GP_BASIS,
  }),
  e('land', null, '土地使用权出让', 'Land-use right grant', 'natural_resources', {
    procedures: RIGHTS_PROCS,
    materials: [M('grant_plan', '出让方案及政府批准文件', 'Grant plan and government approval'), M('planning_conditions', '规划条件', 'Planning conditions'), M('valuation_report', '地价评估报告', 'Land valuation report'), AGENCY],
    basis: '土地管理法第五十四条；招标拍卖挂牌出让国有建设用地使用权规定（国土资源部令第39号）第四条',
  }),
  e('mining', null, '矿业权出让', 'Mining right grant', 'natural_resources', {
    procedures: RIGHTS_PROCS,
    materials: [M('grant_plan', '出让方案及批准文件', 'Grant plan and approval'), M('valuation_report', '出让收益评估报告', 'Valuation report'), AGENCY],
    basis: '矿产资源法；矿业权出让制度改革方案',
  }),
  e('state_property', null, '国有产权交易', 'State-owned property rights', 'state_assets', {
    procedures: ['property_transfer', 'auction', 'online_bidding'],
    materials: [
      M('transfer_decision', '转让决策及批准文件', 'Transfer decision and approval'),
      M('audit_report', '审计报告', 'Audit report'),
      M('valuation_report', '资产评估报告（核准或备案）', 'Asset valuation report (approved or filed)'),
      AGENCY,
    ],
    basis: '企业国有资产交易监督管理办法（国资委 财政部令第32号）',
  }),
  e('medical', null, '医疗药品及耗材采购', 'Medicines and medical consumables', 'health', {
    procedures: ['gp_open_tender', 'competitive_negotiation', 'online_bidding'],
    materials: [M('procurement_plan', '采购计划', 'Procurement plan'), M('procurement_requirements', '采购需求（品种目录）', 'Requirements (product list)'), AGENCY],
  }),
  e('taxi_franchise', null, '特种行业/出租车经营权', 'Special trades and taxi operating rights', 'transport', { procedures: RIGHTS_PROCS, materials: DISPOSAL_MATERIALS }),
  e('naming_rights', null, '冠名权', 'Naming rights', 'state_assets', { procedures: RIGHTS_PROCS, materials: DISPOSAL_MATERIALS }),
  e('outdoor_ads', null, '户外广告经营权', 'Outdoor advertising rights', 'construction', { procedures: RIGHTS_PROCS, materials: DISPOSAL_MATERIALS }),
  e('judicial_assets', null, '涉诉资产拍卖', 'Litigation asset auctions', 'judicial', { procedures: ['auction', 'online_bidding'], materials: [M('court_order', '法院委托书/裁定书', 'Court commission or ruling'), M('valuation_report', '评估报告', 'Valuation report')] }),
  e('official_vehicles', null, '公车拍卖', 'Official vehicle auctions', 'state_assets', { procedures: ['auction', 'online_bidding'], materials: DISPOSAL_MATERIALS }),
  e('forest_rights', null, '林权', 'Forest rights', 'forestry', { procedures: [...RIGHTS_PROCS, 'property_transfer'], materials: DISPOSAL_MATERIALS }),
  e('carbon', null, '碳排放权', 'Carbon emission rights', 'environment', { procedures: RIGHTS_PROCS, materials: DISPOSAL_MATERIALS }),
  e('emissions', null, '排污权', 'Pollutant discharge rights', 'environment', { procedures: RIGHTS_PROCS, materials: DISPOSAL_MATERIALS }),
  // 基础设施和公用事业特许经营管理办法第十五条：通过招标、竞争性谈判等竞争方式选择特许经营者。
  e('concession', null, '政府特许经营', 'Government concessions', 'development', {
    procedures: ['works_open_tender', 'competitive_negotiation', 'competitive_consultation'],
    materials: [M('implementation_plan', '特许经营项目实施方案及批准文件', 'Concession implementation plan and approval'), M('funding_proof', '资金来源证明', 'Proof of funding source'), AGENCY],
    basis: '基础设施和公用事业特许经营管理办法第十五条',
  }),
  e('assets_resources', null, '资产资源（竞价/拍卖）', 'Public assets and resources (bidding/auction)', 'state_assets', { procedures: RIGHTS_PROCS, materials: DISPOSAL_MATERIALS }),
].map((x, i) => ({ ...x, sortOrder: (i + 1) * 10 }));

/** The initial version is in force from 2020-01-01 (Beijing): the rules it encodes were all in force by then. */
export const INITIAL_EFFECTIVE_FROM = new Date('2020-01-01T00:00:00+08:00');

export function entryRow(versionId: string, x: CatalogEntry) {
  return {
    version_id: versionId,
    code: x.code,
    parent_code: x.parentCode,
    sort_order: x.sortOrder,
    name_zh: x.nameZh,
    name_en: x.nameEn,
    industry: x.industry,
    thresholds: JSON.stringify(x.thresholds),
    procedures: x.procedures,
    materials: JSON.stringify(x.materials),
    basis: x.basis,
  };
}

/**
 * Seed version 1 when the catalog is empty; safe to call on every start (and by tests and the demo seed).
 * Concurrent starts against one PostgreSQL serialise on an advisory lock so only one seeds.
 */
export async function ensureCatalogSeeded(db: Db, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(7303001)`.execute(trx);
    const any = await trx.selectFrom('catalog_versions').select('id').limit(1).executeTakeFirst();
    if (any) return;
    const v = await trx
      .insertInto('catalog_versions')
      .values({
        version_no: 1,
        title: '公共资源交易目录（初始版）',
        status: 'draft',
        based_on: null,
        created_by: null,
        created_at: now,
        published_by: null,
        published_at: null,
        comment_until: null,
        effective_from: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Entries first, then publish: the database refuses entries for a version already published (0032).
    await trx.insertInto('catalog_entries').values(INITIAL_CATALOG.map((x) => entryRow(v.id, x))).execute();
    await trx
      .updateTable('catalog_versions')
      .set({ status: 'published', published_at: INITIAL_EFFECTIVE_FROM, comment_until: INITIAL_EFFECTIVE_FROM, effective_from: INITIAL_EFFECTIVE_FROM })
      .where('id', '=', v.id)
      .execute();
    await appendLedger(trx, { type: 'catalog.seeded', subjectType: 'catalog_version', subjectId: v.id, payload: { versionNo: 1, entries: INITIAL_CATALOG.length } }, now);
  });
}
