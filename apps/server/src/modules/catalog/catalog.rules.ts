/**
 * Pure rules of the trading catalog (交易目录). No I/O: the repo loads rows, these decide.
 */

/** Procedure types (交易方式, DOMAIN §3). One engine, a policy each; the catalog says which an entry allows. */
export const PROCEDURE_TYPES = [
  'works_open_tender', // 工程 公开招标
  'works_invited_tender', // 工程 邀请招标
  'gp_open_tender', // 政府采购 公开招标
  'gp_invited_tender', // 政府采购 邀请招标
  'competitive_negotiation', // 竞争性谈判
  'competitive_consultation', // 竞争性磋商
  'inquiry', // 询价
  'single_source', // 单一来源
  'auction', // 拍卖
  'listing', // 挂牌
  'online_bidding', // 网络竞价
  'property_transfer', // 国有产权转让（挂牌+竞价）
] as const;
export type ProcedureType = (typeof PROCEDURE_TYPES)[number];

/** What a contract buys; engineering thresholds differ by it (必须招标的工程项目规定 第五条). */
export const SUBJECTS = ['works', 'goods', 'services'] as const;
export type Subject = (typeof SUBJECTS)[number];

export interface Threshold {
  /** null: applies whatever the subject. */
  subject: Subject | null;
  /** Entry is mandatory when the estimate is at or above this amount (integer 分). */
  amountFen: number;
}

export interface MaterialSpec {
  code: string;
  nameZh: string;
  nameEn: string;
  /** 'agency': required only when an agency registers on the tenderer's behalf (e.g. 委托代理合同). */
  requiredWhen: 'always' | 'agency';
}

export interface CatalogEntry {
  code: string;
  parentCode: string | null;
  sortOrder: number;
  nameZh: string;
  nameEn: string;
  /** Supervising industry (行业主管): decides which regulators see the projects (条例 第四条). */
  industry: string;
  thresholds: Threshold[];
  procedures: ProcedureType[];
  materials: MaterialSpec[];
  /** Where the thresholds and materials come from (statute, notice). */
  basis: string;
}

export type VersionState = 'draft' | 'commenting' | 'scheduled' | 'in_force' | 'superseded';

export interface VersionTimes {
  id: string;
  status: 'draft' | 'published';
  commentUntil: Date | null;
  effectiveFrom: Date | null;
}

/** The published version with the latest effective-from not after `now` (computed from times: no job needed). */
export function versionInForce<V extends VersionTimes>(versions: V[], now: Date): V | undefined {
  let best: V | undefined;
  for (const v of versions) {
    if (v.status !== 'published' || !v.effectiveFrom || v.effectiveFrom.getTime() > now.getTime()) continue;
    if (!best || v.effectiveFrom.getTime() > best.effectiveFrom!.getTime()) best = v;
  }
  return best;
}

export function versionState(v: VersionTimes, inForceId: string | undefined, now: Date): VersionState {
  if (v.status === 'draft') return 'draft';
  if (v.id === inForceId) return 'in_force';
  const t = now.getTime();
  if (v.commentUntil && t < v.commentUntil.getTime()) return 'commenting';
  if (v.effectiveFrom && t < v.effectiveFrom.getTime()) return 'scheduled';
  return 'superseded';
}

/** Leaves are what projects register against; a category with sub-categories is only a heading. */
export function isLeaf(entries: Pick<CatalogEntry, 'code' | 'parentCode'>[], code: string): boolean {
  return !entries.some((e) => e.parentCode === code);
}

export interface MandatoryDecision {
  mandatory: boolean;
  thresholdFen: number | null;
}

/**
 * Is entry onto the platform mandatory (应进必进)? An entry without thresholds is mandatory whatever the amount
 * (e.g. 经营性土地出让 always goes to 招拍挂). Otherwise the threshold for the project's subject (or the
 * subject-less one) applies, and "以上" includes the amount itself (民法典 第一千二百五十九条), so an estimate
 * equal to the threshold is mandatory. Returns undefined when the entry distinguishes subjects and none fits.
 */
export function decideMandatory(entry: Pick<CatalogEntry, 'thresholds'>, subject: Subject | null, estimateFen: number): MandatoryDecision | undefined {
  if (entry.thresholds.length === 0) return { mandatory: true, thresholdFen: null };
  const t = entry.thresholds.find((x) => subject !== null && x.subject === subject) ?? entry.thresholds.find((x) => x.subject === null);
  if (!t) return undefined;
  return { mandatory: estimateFen >= t.amountFen, thresholdFen: t.amountFen };
}

/** The materials a registration must carry, given who registers. */
export function requiredMaterials(entry: Pick<CatalogEntry, 'materials'>, viaAgency: boolean): MaterialSpec[] {
  return entry.materials.filter((m) => m.requiredWhen === 'always' || viaAgency);
}

/** Subjects the entry distinguishes (empty: the subject is not asked). */
export function subjectsOf(entry: Pick<CatalogEntry, 'thresholds'>): Subject[] {
  return entry.thresholds.map((t) => t.subject).filter((s): s is Subject => s !== null);
}

/** Consistency problems of one entry within its version, as [field, zh, en] triples (empty: fine). */
export function entryProblems(entry: CatalogEntry, all: CatalogEntry[]): [string, string, string][] {
  const out: [string, string, string][] = [];
  if (entry.parentCode !== null) {
    if (entry.parentCode === entry.code) out.push(['parentCode', '上级分类不能是自身', 'An entry cannot be its own parent']);
    else if (!all.some((e) => e.code === entry.parentCode)) out.push(['parentCode', `上级分类 ${entry.parentCode} 不存在`, `Parent ${entry.parentCode} does not exist`]);
    else if (all.find((e) => e.code === entry.parentCode)?.parentCode) out.push(['parentCode', '目录只有两级：上级必须是大类', 'The catalog has two levels: the parent must be a category']);
  }
  const subjects = entry.thresholds.map((t) => t.subject ?? '*');
  if (new Set(subjects).size !== subjects.length) out.push(['thresholds', '同一标的类型的门槛重复', 'Two thresholds for the same subject']);
  const codes = entry.materials.map((m) => m.code);
  if (new Set(codes).size !== codes.length) out.push(['materials', '材料代码重复', 'Duplicate material codes']);
  if (new Set(entry.procedures).size !== entry.procedures.length) out.push(['procedures', '交易方式重复', 'Duplicate procedure types']);
  return out;
}
