/**
 * 统一社会信用代码 (USCC), GB 32100-2015, and the 居民身份证号码 check of GB 11643-1999.
 * Pure functions, shared by the server (registration) and the web app (form validation).
 *
 * USCC layout (18 chars):  [1] 登记管理部门码  [2] 机构类别码  [3–8] 登记管理机关行政区划码 (GB/T 2260)
 *                          [9–17] 主体标识码 = 组织机构代码 (GB 11714, its 9th char is its own check)  [18] 校验码
 */

/** GB 32100-2015 §4.1: 0-9 and A-Z without I, O, Z, S, V. A character's value is its index (0–30). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights for positions 1–17: 3^(i) mod 31 (GB 32100-2015 §4.3). */
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * 登记管理部门码 → its 机构类别码 (GB 32100-2015 附录 A 表 1). Codes outside this table are not issued.
 */
export const USCC_AUTHORITIES: Record<string, { zh: string; types: Record<string, string> }> = {
  '1': { zh: '机构编制', types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { zh: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    zh: '司法行政',
    types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { zh: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { zh: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { zh: '旅游', types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { zh: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { zh: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { zh: '市场监督管理（工商）', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { zh: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: { zh: '农业', types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { zh: '其他', types: { '1': '其他' } },
};

export type UsccProblem = 'LENGTH' | 'CHARSET' | 'AUTHORITY' | 'ORG_TYPE' | 'REGION' | 'ORG_CODE' | 'CHECK_CHAR';

const PROBLEM_TEXT: Record<UsccProblem, { zh: string; en: string }> = {
  LENGTH: { zh: '统一社会信用代码应为 18 位', en: 'A unified social credit code has 18 characters' },
  CHARSET: {
    zh: '统一社会信用代码只能含数字和除 I、O、Z、S、V 以外的大写字母',
    en: 'Only digits and capital letters other than I, O, Z, S, V are allowed',
  },
  AUTHORITY: { zh: '第 1 位登记管理部门码无效', en: 'Character 1 (registration authority) is not a valid code' },
  ORG_TYPE: { zh: '第 2 位机构类别码与登记管理部门不符', en: 'Character 2 (organisation type) is not valid for that authority' },
  REGION: { zh: '第 3–8 位行政区划码无效', en: 'Characters 3–8 (region code) are not a valid region code' },
  ORG_CODE: { zh: '第 9–17 位组织机构代码校验不通过', en: 'Characters 9–17 (organisation code) fail their GB 11714 check' },
  CHECK_CHAR: { zh: '第 18 位校验码不正确', en: 'Character 18 (check character) is wrong' },
};

export interface UsccParts {
  authority: string;
  orgType: string;
  regionCode: string;
  orgCode: string;
}

export type UsccResult = ({ ok: true } & UsccParts) | { ok: false; problem: UsccProblem; message: { zh: string; en: string } };

/** GB 11714-1997 check character for the 8-char body of an organisation code: weights 3,7,9,10,5,8,4,2; 10 → X, 11 → 0. */
export function orgCodeCheckChar(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i]!;
    // Digits are worth 0–9, letters A–Z are worth 10–35 (GB 11714 §5).
    const v = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
    sum += v * weights[i]!;
  }
  const c9 = 11 - (sum % 11);
  return c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
}

/** GB 32100-2015 check character for the first 17 characters. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const c18 = 31 - (sum % 31);
  return USCC_CHARSET[c18 === 31 ? 0 : c18]!;
}

function fail(problem: UsccProblem): UsccResult {
  return { ok: false, problem, message: PROBLEM_TEXT[problem] };
}

/** Validate a USCC; returns its parts, or which rule it breaks (with a bilingual message). Input is trimmed, not upcased. */
export function checkUscc(raw: string): UsccResult {
  const code = raw.trim();
  if (code.length !== 18) return fail('LENGTH');
  for (const c of code) if (!USCC_CHARSET.includes(c)) return fail('CHARSET');
  const authority = USCC_AUTHORITIES[code[0]!];
  if (!authority) return fail('AUTHORITY');
  if (!authority.types[code[1]!]) return fail('ORG_TYPE');
  const region = code.slice(2, 8);
  // GB/T 2260 province codes start at 11; 10xxxx is used for national-level registrations.
  if (!/^\d{6}$/.test(region) || Number(region.slice(0, 2)) < 10 || Number(region.slice(0, 2)) > 91) return fail('REGION');
  const orgCode = code.slice(8, 17);
  if (orgCodeCheckChar(orgCode.slice(0, 8)) !== orgCode[8]) return fail('ORG_CODE');
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return fail('CHECK_CHAR');
  return { ok: true, authority: code[0]!, orgType: code[1]!, regionCode: region, orgCode };
}

export function isValidUscc(code: string): boolean {
  return checkUscc(code).ok;
}

/** A small deterministic PRNG (mulberry32) so generated fixtures are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedNumber(seed: number | string): number {
  if (typeof seed === 'number') return seed;
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * A valid, deterministic USCC for tests and the demo (not a real registrant's). Default: an enterprise (91)
 * registered in 厦门市 (350200).
 */
export function makeUscc(seed: number | string, opts: { region?: string; authority?: string; orgType?: string } = {}): string {
  const rand = prng(seedNumber(seed));
  // The organisation-code body uses the USCC charset so the whole code stays within it.
  let body = '';
  for (let i = 0; i < 8; i++) body += USCC_CHARSET[Math.floor(rand() * (i < 2 ? 10 : USCC_CHARSET.length))]!;
  const first17 = `${opts.authority ?? '9'}${opts.orgType ?? '1'}${opts.region ?? '350200'}${body}${orgCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

// ---------------------------------------------------------------- 居民身份证号码 (GB 11643-1999)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** ISO 7064 MOD 11-2 check character over the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

/** 18-char resident ID: 6-digit region, 8-digit birth date (a real calendar date), 3-digit sequence, check char. */
export function isValidResidentId(raw: string): boolean {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return residentIdCheckChar(id.slice(0, 17)) === id[17];
}

/** A valid, deterministic resident ID for tests and the demo (region 350203, born 1980–1999). */
export function makeResidentId(seed: number | string, region = '350203'): string {
  const rand = prng(seedNumber(seed) ^ 0x5bd1e995);
  const y = 1980 + Math.floor(rand() * 20);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  const seq = Math.floor(rand() * 1000);
  const first17 = `${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}
