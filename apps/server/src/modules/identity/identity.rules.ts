import { checkUscc, isValidResidentId, ROLE_FAMILY, ROLES, type Role } from '@yiwang/contracts';
import { AppError, Errors } from '../../platform/http/errors';
import { passwordProblem } from '../../platform/auth/password';
import { assertRoleSeparation } from '../../platform/auth/policies';

/** Roles a market entity may ask for itself (issue 2 §3). Everything else is granted by an administrator. */
export const MARKET_ROLES = ROLES.filter((r) => ROLE_FAMILY[r] === 'market');

export interface GrantInput {
  role: Role;
  industries?: string[];
  regions?: string[];
}

export function assertPassword(password: string): void {
  const p = passwordProblem(password);
  if (p) throw new AppError('WEAK_PASSWORD', 400, p.zh, p.en, 'password');
}

export function invalidUscc(message: { zh: string; en: string }) {
  return new AppError(
    'INVALID_USCC',
    400,
    `统一社会信用代码无效：${message.zh}`,
    `Invalid unified social credit code: ${message.en}`,
    'uscc',
  );
}

export interface RegistrationInput {
  kind: 'organisation' | 'person';
  name: string;
  uscc?: string;
  idNumber?: string;
  regionCode?: string;
  username: string;
  password: string;
  displayName: string;
  phone: string;
  email?: string;
  roles: Role[];
}

/** Check a self-registration and derive what the entity's documents say (region from the USCC or ID number). */
export function checkRegistration(input: RegistrationInput): { uscc: string | null; idNumber: string | null; regionCode: string } {
  let uscc: string | null = null;
  let idNumber: string | null = null;
  let regionCode: string;
  if (input.kind === 'organisation') {
    if (input.idNumber)
      throw Errors.validation('idNumber', '单位注册不填写身份证号码', 'An organisation does not give an ID number', 'FIELD_NOT_ALLOWED');
    if (!input.uscc)
      throw new AppError(
        'FIELD_REQUIRED',
        400,
        '单位注册须填写统一社会信用代码',
        'An organisation must give its unified social credit code',
        'uscc',
      );
    const r = checkUscc(input.uscc);
    if (!r.ok) throw invalidUscc(r.message);
    uscc = input.uscc.trim();
    regionCode = input.regionCode ?? r.regionCode;
  } else {
    if (input.uscc)
      throw Errors.validation(
        'uscc',
        '自然人注册不填写统一社会信用代码',
        'A natural person does not give a credit code',
        'FIELD_NOT_ALLOWED',
      );
    if (!input.idNumber)
      throw new AppError(
        'FIELD_REQUIRED',
        400,
        '自然人注册须填写居民身份证号码',
        'A natural person must give a resident ID number',
        'idNumber',
      );
    if (!isValidResidentId(input.idNumber))
      throw new AppError('INVALID_ID_NUMBER', 400, '居民身份证号码无效', 'Invalid resident ID number', 'idNumber');
    idNumber = input.idNumber.trim().toUpperCase();
    regionCode = input.regionCode ?? idNumber.slice(0, 6);
    // 招标代理机构 must be a legal entity (《招标投标法》第十三条).
    if (input.roles.includes('agency'))
      throw new AppError(
        'ROLE_NOT_ALLOWED',
        400,
        '自然人不能注册为招标代理机构',
        'A natural person cannot register as a tendering agency',
        'roles',
      );
  }
  checkMarketRoles(input.roles);
  assertPassword(input.password);
  return { uscc, idNumber, regionCode };
}

export function checkMarketRoles(roles: readonly Role[]): void {
  if (roles.length === 0) throw new AppError('FIELD_REQUIRED', 400, '至少选择一个角色', 'Choose at least one role', 'roles');
  const bad = roles.find((r) => !MARKET_ROLES.includes(r));
  if (bad) throw new AppError('ROLE_NOT_ALLOWED', 400, `不能自行申请角色 ${bad}`, `The role ${bad} cannot be requested here`, 'roles');
}

/**
 * Check an administrator's grant list: no duplicates, 管办分离, and jurisdiction where the role needs one
 * (a regulator supervises by industry and region, a manager or auditor by region).
 */
export function checkGrants(grants: GrantInput[], hasOrg: boolean): void {
  const roles = grants.map((g) => g.role);
  if (new Set(roles).size !== roles.length) throw Errors.validation('roles', '角色重复', 'A role is listed twice', 'DUPLICATE_ROLE');
  assertRoleSeparation(roles);
  for (const g of grants) {
    if (g.role === 'regulator' && (!g.industries?.length || !g.regions?.length)) {
      throw new AppError(
        'JURISDICTION_REQUIRED',
        400,
        '行政监督部门须指定监管行业和区域',
        'A regulator needs industries and regions',
        'roles',
      );
    }
    if ((g.role === 'manager' || g.role === 'auditor') && !g.regions?.length) {
      throw new AppError('JURISDICTION_REQUIRED', 400, `${g.role} 须指定监管区域`, `${g.role} needs regions`, 'roles');
    }
    if (ROLE_FAMILY[g.role] === 'market' && !hasOrg) {
      throw new AppError(
        'ORG_REQUIRED',
        400,
        '市场主体角色须属于某个已注册主体',
        'Market roles belong to a registered entity: give orgId',
        'orgId',
      );
    }
  }
}

/** Public profile of a natural person shows only the surname: 张三 → 张*. */
export function maskPersonName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : chars[0] + '*'.repeat(chars.length - 1);
}
