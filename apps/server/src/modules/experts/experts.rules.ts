/**
 * Rules of the expert registry, pure (no database, no clock): qualification, the conflict window, leave overlap,
 * specialty limits, the status machine and the annual review calendar. Statutes cited where a rule comes from one;
 * ../shared/reference/laws has the texts of the laws and regulations named here.
 */
import { checkUscc, isKnownRegion, isValidResidentId } from '@yiwang/contracts';
import { AppError, Errors } from '../../platform/http/errors';
import { endOfShanghaiDay, shanghaiDate } from '../../platform/calendar/index';
import { regionPrefix } from '../../platform/auth/policies';
import type { ConflictKind, EvaluationKind, ExpertStatus, MaterialCode, TitleLevel } from './experts.tables';

export const EVALUATION_KINDS: readonly EvaluationKind[] = ['works', 'government_procurement', 'other'];
export const TITLE_LEVELS: readonly TitleLevel[] = ['full_senior', 'senior', 'intermediate', 'none'];
export const CONFLICT_KINDS: readonly ConflictKind[] = ['employment', 'director', 'shareholder', 'relative', 'other'];
export const MATERIAL_CODES: readonly MaterialCode[] = ['id_card', 'title_certificate', 'equivalence_proof', 'employment_proof', 'other'];

/** 招标投标法 第三十七条: "从事相关领域工作满八年并具有高级职称或者具有同等专业水平". */
export const MIN_EXPERIENCE_YEARS = 8;
/**
 * 政府采购法实施条例 第九条: employment, directorship, control "参加采购活动前3年内". The same window is applied to
 * works tenders, where 招标投标法 第三十七条 only says "利害关系".
 */
export const CONFLICT_WINDOW_YEARS = 3;
/** 《政府采购评审专家管理办法》(财库〔2016〕198号) admits procurement experts under 70 (不满70周岁). */
export const GP_MAX_AGE = 70;
/** One leave entry covers at most a year; a longer absence is an exit from the pool. */
export const MAX_LEAVE_DAYS = 366;

const SENIOR: readonly TitleLevel[] = ['full_senior', 'senior'];

// ---------------------------------------------------------------------------------------------------------------
// Qualification

export interface Qualification {
  kinds: readonly EvaluationKind[];
  titleLevel: TitleLevel;
  equivalentLevel: boolean;
  experienceYears: number;
}

const tooShort = (need: number) =>
  new AppError(
    'EXPERT_EXPERIENCE_TOO_SHORT',
    400,
    `从事相关领域工作须满 ${need} 年（《招标投标法》第三十七条）`,
    `At least ${need} years in the field are required (Tendering Law art. 37)`,
    'experienceYears',
    { minimum: need },
  );
const titleTooLow = (zh: string, en: string) => new AppError('EXPERT_TITLE_TOO_LOW', 400, zh, en, 'titleLevel');

/**
 * Works (and other trading) evaluations: ≥ 8 years AND a senior title or the equivalent level (招标投标法 第三十七条).
 * Government procurement (财库〔2016〕198号 第六条): a senior title or the equivalent level, OR an intermediate title
 * with ≥ 8 years. The strictest kind asked for decides.
 */
export function qualificationProblem(q: Qualification): AppError | undefined {
  const senior = SENIOR.includes(q.titleLevel) || q.equivalentLevel;
  const years = q.experienceYears >= MIN_EXPERIENCE_YEARS;
  if (q.kinds.some((k) => k === 'works' || k === 'other')) {
    if (!years) return tooShort(MIN_EXPERIENCE_YEARS);
    if (!senior)
      return titleTooLow(
        '工程建设项目评标专家须具有高级职称或者同等专业水平（《招标投标法》第三十七条）',
        'Works evaluation experts need a senior title or the equivalent professional level (Tendering Law art. 37)',
      );
  }
  if (q.kinds.includes('government_procurement') && !senior) {
    if (q.titleLevel !== 'intermediate')
      return titleTooLow(
        '政府采购评审专家须具有中级及以上专业技术职称或者同等专业水平',
        'Procurement evaluation experts need at least an intermediate title or the equivalent level',
      );
    if (!years) return tooShort(MIN_EXPERIENCE_YEARS);
  }
  return undefined;
}

/** Age in whole years on a calendar date, from the birth date inside a resident ID number (GB 11643: digits 7–14). */
export function ageOn(idNumber: string, date: string): number {
  const birth = idNumber.slice(6, 14);
  const [by, bm, bd] = [Number(birth.slice(0, 4)), birth.slice(4, 6), birth.slice(6, 8)];
  const [y, md] = [Number(date.slice(0, 4)), date.slice(5, 7) + date.slice(8, 10)];
  return y - by - (md < bm + bd ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Conflicts (回避)

/** `date` + n years; 29 February becomes 28 February in a common year (民法典 第二百零三条 logic: last day of month). */
export function addYears(date: string, n: number): string {
  const y = Number(date.slice(0, 4)) + n;
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The last Beijing day on which a declared conflict still counts, or null while it is open-ended. Employment,
 * directorship and control count for 3 years after they end (采购条例 第九条 (一)–(三)); a relative's company
 * (第九条 (四)) and any other relation count while they last.
 */
export function avoidUntil(c: { kind: ConflictKind; endedOn: string | null }): string | null {
  if (!c.endedOn) return null;
  if (c.kind === 'employment' || c.kind === 'director' || c.kind === 'shareholder') return addYears(c.endedOn, CONFLICT_WINDOW_YEARS);
  return c.endedOn;
}

export function conflictActiveOn(avoid: string | null, date: string): boolean {
  return avoid === null || avoid >= date;
}

export interface ConflictInput {
  kind: ConflictKind;
  orgName: string;
  orgUscc: string;
  relation?: string | null;
  startedOn?: string | null;
  endedOn?: string | null;
}

/** Check one declared conflict on the Beijing date `today`; `field` prefixes error fields (e.g. 'conflicts.2'). */
export function checkConflict(c: ConflictInput, today: string, field: string): ConflictInput & { orgUscc: string; avoidUntil: string | null } {
  const uscc = c.orgUscc.trim().toUpperCase();
  const r = checkUscc(uscc);
  if (!r.ok) throw new AppError('INVALID_USCC', 400, `统一社会信用代码无效：${r.message.zh}`, `Invalid unified social credit code: ${r.message.en}`, `${field}.orgUscc`);
  if (!c.orgName.trim()) throw new AppError('FIELD_REQUIRED', 400, '须填写单位名称', 'Give the organisation’s name', `${field}.orgName`);
  if (c.kind === 'relative' && !c.relation?.trim())
    throw new AppError('FIELD_REQUIRED', 400, '近亲属关联须写明亲属关系（如配偶、子女）', 'Say how the relative is related (spouse, child…)', `${field}.relation`);
  if (c.kind === 'employment' && !c.startedOn)
    throw new AppError('FIELD_REQUIRED', 400, '任职经历须填写起始日期', 'Give the date the employment started', `${field}.startedOn`);
  for (const [k, v] of [['startedOn', c.startedOn], ['endedOn', c.endedOn]] as const) {
    if (v && v > today) throw new AppError('EXPERT_CONFLICT_DATE_FUTURE', 400, '日期不能晚于今天', 'The date cannot be after today', `${field}.${k}`);
  }
  if (c.startedOn && c.endedOn && c.endedOn < c.startedOn)
    throw new AppError('EXPERT_CONFLICT_DATES', 400, '结束日期早于起始日期', 'The end date is before the start date', `${field}.endedOn`);
  const avoid = avoidUntil({ kind: c.kind, endedOn: c.endedOn ?? null });
  if (!conflictActiveOn(avoid, today)) {
    throw new AppError(
      'EXPERT_CONFLICT_OUTSIDE_WINDOW',
      400,
      `该关系已于 ${c.endedOn} 结束，超过三年回避期，无需申报`,
      `This relation ended on ${c.endedOn}, more than the 3-year avoidance window ago; it need not be declared`,
      `${field}.endedOn`,
    );
  }
  return { ...c, orgUscc: uscc, orgName: c.orgName.trim(), relation: c.relation?.trim() || null, avoidUntil: avoid };
}

// ---------------------------------------------------------------------------------------------------------------
// Leave

export interface Period {
  startsAt: Date;
  endsAt: Date;
}

/** Half-open periods [start, end) overlap. */
export function overlaps(a: Period, b: Period): boolean {
  return a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();
}

/** A new leave: a real period, not wholly past, at most MAX_LEAVE_DAYS, overlapping none of the existing ones. */
export function checkLeave(leave: Period, now: Date, existing: readonly (Period & { id: string })[]): void {
  if (leave.endsAt.getTime() <= leave.startsAt.getTime())
    throw new AppError('EXPERT_LEAVE_RANGE', 400, '结束时间须晚于开始时间', 'The end must be after the start', 'endsAt');
  if (leave.endsAt.getTime() <= now.getTime())
    throw new AppError('EXPERT_LEAVE_IN_PAST', 400, '不能为已经过去的时间请假', 'A leave cannot lie wholly in the past', 'endsAt');
  if (leave.endsAt.getTime() - leave.startsAt.getTime() > MAX_LEAVE_DAYS * 86_400_000)
    throw new AppError(
      'EXPERT_LEAVE_TOO_LONG',
      400,
      `单次请假不超过 ${MAX_LEAVE_DAYS} 天；长期不能参加评审请申请退出专家库`,
      `One leave covers at most ${MAX_LEAVE_DAYS} days; for a longer absence leave the pool`,
      'endsAt',
    );
  const clash = existing.find((e) => overlaps(leave, e));
  if (clash)
    throw new AppError('EXPERT_LEAVE_OVERLAP', 409, '与已登记的请假时间重叠', 'This overlaps a leave already declared', 'startsAt', { leaveId: clash.id });
}

// ---------------------------------------------------------------------------------------------------------------
// Specialties, regions, kinds

export interface SpecialtyNode {
  code: string;
  level: number;
  industry: string;
}

/** 1..max distinct leaf codes of the classification (configured maximum: expert_settings.max_specialties). */
export function checkSpecialties(codes: readonly string[], classification: ReadonlyMap<string, SpecialtyNode>, max: number): void {
  if (codes.length === 0) throw new AppError('FIELD_REQUIRED', 400, '至少选择一个评审专业', 'Choose at least one specialty', 'specialties');
  if (new Set(codes).size !== codes.length)
    throw Errors.validation('specialties', '评审专业重复', 'A specialty is listed twice', 'EXPERT_SPECIALTY_DUPLICATE');
  codes.forEach((c, i) => {
    const node = classification.get(c);
    if (!node) throw new AppError('EXPERT_SPECIALTY_UNKNOWN', 400, `专业代码 ${c} 不在专业分类中`, `Specialty ${c} is not in the classification`, `specialties.${i}`);
    if (node.level !== 3)
      throw new AppError('EXPERT_SPECIALTY_NOT_LEAF', 400, `请选择 ${c} 下的具体小类专业`, `Choose a specific sub-field under ${c}`, `specialties.${i}`);
  });
  if (codes.length > max)
    throw new AppError('EXPERT_TOO_MANY_SPECIALTIES', 400, `评审专业最多选择 ${max} 个`, `Choose at most ${max} specialties`, 'specialties', { max });
}

export function checkRegions(homeRegion: string, regions: readonly string[]): void {
  if (!isKnownRegion(homeRegion))
    throw new AppError('EXPERT_REGION_UNKNOWN', 400, `行政区划代码 ${homeRegion} 不在本平台服务范围内`, `Region ${homeRegion} is not served by this platform`, 'homeRegion');
  if (regions.length === 0) throw new AppError('FIELD_REQUIRED', 400, '至少选择一个评审地区', 'Choose at least one region', 'regions');
  if (new Set(regions).size !== regions.length) throw Errors.validation('regions', '评审地区重复', 'A region is listed twice', 'DUPLICATE_REGION');
  regions.forEach((r, i) => {
    if (!isKnownRegion(r))
      throw new AppError('EXPERT_REGION_UNKNOWN', 400, `行政区划代码 ${r} 不在本平台服务范围内`, `Region ${r} is not served by this platform`, `regions.${i}`);
  });
}

/** The prefixes an evaluation venue in `region` matches: '350203' → ['35', '3502', '350203']. */
export function venuePrefixes(region: string): string[] {
  const p = regionPrefix(region);
  const out: string[] = [];
  for (let n = 2; n <= p.length; n += 2) out.push(p.slice(0, n));
  return out;
}

/**
 * The supervising industries an expert record falls under: government procurement → the finance department
 * (采购法 第十三条); works and other trades → the industry of each chosen specialty (条例 第四条).
 */
export function supervisingIndustries(kinds: readonly EvaluationKind[], specialtyIndustries: readonly string[]): string[] {
  const out = new Set<string>();
  if (kinds.includes('government_procurement')) out.add('government_procurement');
  if (kinds.some((k) => k !== 'government_procurement')) for (const i of specialtyIndustries) out.add(i);
  return [...out].sort();
}

/** Materials the application must carry: a title certificate, or evidence of the equivalent level. */
export function missingMaterials(q: { titleLevel: TitleLevel; equivalentLevel: boolean }, given: readonly MaterialCode[]): MaterialCode[] {
  const need: MaterialCode[] = [];
  if (q.titleLevel !== 'none' && !given.includes('title_certificate')) need.push('title_certificate');
  if (q.equivalentLevel && !given.includes('equivalence_proof')) need.push('equivalence_proof');
  if (q.titleLevel === 'none' && !q.equivalentLevel && !given.includes('equivalence_proof')) need.push('equivalence_proof');
  return need;
}

export interface ApplicantFacts {
  name: string;
  idNumber: string;
  kinds: readonly EvaluationKind[];
  titleLevel: TitleLevel;
  equivalentLevel: boolean;
  experienceYears: number;
  employer: { name: string; uscc: string } | null;
  homeRegion: string;
  regions: readonly string[];
}

/** Everything about an application that needs no database. `today` is the Beijing date of the submission. */
export function checkApplicant(a: ApplicantFacts, today: string): { idNumber: string; employerUscc: string | null } {
  if (a.name.trim().length < 2) throw Errors.validation('name', '请填写与身份证一致的姓名', 'Give your name as on the ID card', 'FIELD_REQUIRED');
  const idNumber = a.idNumber.trim().toUpperCase();
  if (!isValidResidentId(idNumber)) throw new AppError('INVALID_ID_NUMBER', 400, '居民身份证号码无效', 'Invalid resident ID number', 'idNumber');
  if (a.kinds.length === 0) throw new AppError('FIELD_REQUIRED', 400, '至少选择一种评审类别', 'Choose at least one kind of evaluation', 'kinds');
  if (new Set(a.kinds).size !== a.kinds.length) throw Errors.validation('kinds', '评审类别重复', 'A kind is listed twice', 'DUPLICATE_KIND');
  const q = qualificationProblem(a);
  if (q) throw q;
  if (a.kinds.includes('government_procurement') && ageOn(idNumber, today) >= GP_MAX_AGE)
    throw new AppError('EXPERT_TOO_OLD', 400, `政府采购评审专家须不满 ${GP_MAX_AGE} 周岁`, `Procurement evaluation experts must be under ${GP_MAX_AGE}`, 'idNumber');
  let employerUscc: string | null = null;
  if (a.employer) {
    employerUscc = a.employer.uscc.trim().toUpperCase();
    const r = checkUscc(employerUscc);
    if (!r.ok) throw new AppError('INVALID_USCC', 400, `统一社会信用代码无效：${r.message.zh}`, `Invalid unified social credit code: ${r.message.en}`, 'employer.uscc');
    if (!a.employer.name.trim()) throw new AppError('FIELD_REQUIRED', 400, '须填写工作单位名称', 'Give the employer’s name', 'employer.name');
  }
  checkRegions(a.homeRegion, a.regions);
  return { idNumber, employerUscc };
}

// ---------------------------------------------------------------------------------------------------------------
// Status machine

export type Transition = 'apply' | 'approve' | 'return' | 'reject' | 'suspend' | 'reinstate' | 'exit' | 'remove';

const TABLE: Record<Transition, { from: readonly (ExpertStatus | 'none')[]; to: ExpertStatus }> = {
  apply: { from: ['none', 'returned', 'rejected', 'exited'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'active' },
  return: { from: ['submitted'], to: 'returned' },
  reject: { from: ['submitted'], to: 'rejected' },
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
  exit: { from: ['submitted', 'returned', 'active', 'suspended'], to: 'exited' },
  remove: { from: ['active', 'suspended'], to: 'removed' },
};

export function nextStatus(from: ExpertStatus | 'none', t: Transition): ExpertStatus | undefined {
  const row = TABLE[t];
  return row.from.includes(from) ? row.to : undefined;
}

export function assertTransition(from: ExpertStatus | 'none', t: Transition): ExpertStatus {
  const to = nextStatus(from, t);
  if (!to) {
    throw Errors.conflict('EXPERT_INVALID_TRANSITION', `专家当前状态为 ${from}，不能执行 ${t}`, `The expert is ${from}; ${t} is not possible`, 'status');
  }
  return to;
}

/** Expert number shown to people: ZJ + six digits of the serial. */
export function expertCode(serial: number): string {
  return `ZJ${String(serial).padStart(6, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Annual review (年度考核)

/** 00:00 Beijing of 1 January of `year`, as an instant. */
export function startOfShanghaiYear(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000);
}

/**
 * The next annual-review deadline after `now`: the review of year Y is due by the end (24:00 Beijing) of `dueMmDd`
 * in year Y+1. Returns the year under review and that instant.
 */
export function nextReviewDeadline(now: Date, dueMmDd: string): { year: number; dueAt: Date } {
  const thisYear = Number(shanghaiDate(now).slice(0, 4));
  for (const year of [thisYear - 1, thisYear]) {
    const dueAt = endOfShanghaiDay(`${year + 1}-${dueMmDd}`);
    if (dueAt.getTime() > now.getTime()) return { year, dueAt };
  }
  /* c8 ignore next */
  return { year: thisYear, dueAt: endOfShanghaiDay(`${thisYear + 1}-${dueMmDd}`) };
}

/** A review of year Y concerns experts who were in the pool before Y ended (activated before 1 January Y+1). */
export function reviewApplies(activatedAt: Date | null, year: number): boolean {
  return activatedAt !== null && activatedAt.getTime() < startOfShanghaiYear(year + 1).getTime();
}
