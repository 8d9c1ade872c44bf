/**
 * Roles (DOMAIN §1, issue 2 §3). 管办分离: the center's operating roles and the supervising roles never meet in
 * one account — see `ROLE_FAMILY` and the check in the identity module.
 */
export const ROLES = [
  'tenderer', // 招标人/采购人
  'agency', // 招标代理机构
  'bidder', // 投标人/供应商
  'auction_bidder', // 竞买人
  'expert', // 评标专家
  'center_intake', // 交易中心 进场登记
  'center_witness', // 交易中心 见证
  'center_venue', // 交易中心 场地
  'center_archive', // 交易中心 档案
  'center_finance', // 交易中心 财务（保证金退付）
  'regulator', // 行政监督部门 (with industry + region jurisdiction)
  'manager', // 综合管理部门
  'auditor', // 审计/纪检
  'admin', // 平台管理员
  'system', // 第三方系统 (API tokens only)
] as const;

export type Role = (typeof ROLES)[number];

export type RoleFamily = 'market' | 'expert' | 'center' | 'supervision' | 'platform';

export const ROLE_FAMILY: Record<Role, RoleFamily> = {
  tenderer: 'market',
  agency: 'market',
  bidder: 'market',
  auction_bidder: 'market',
  expert: 'expert',
  center_intake: 'center',
  center_witness: 'center',
  center_venue: 'center',
  center_archive: 'center',
  center_finance: 'center',
  regulator: 'supervision',
  manager: 'supervision',
  auditor: 'supervision',
  admin: 'platform',
  system: 'platform',
};

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  tenderer: { zh: '招标人/采购人', en: 'Tenderer / purchaser' },
  agency: { zh: '招标代理机构', en: 'Tendering agency' },
  bidder: { zh: '投标人/供应商', en: 'Bidder / supplier' },
  auction_bidder: { zh: '竞买人', en: 'Auction bidder' },
  expert: { zh: '评标专家', en: 'Expert' },
  center_intake: { zh: '交易中心·进场登记', en: 'Center: intake' },
  center_witness: { zh: '交易中心·见证', en: 'Center: witness' },
  center_venue: { zh: '交易中心·场地', en: 'Center: venues' },
  center_archive: { zh: '交易中心·档案', en: 'Center: archives' },
  center_finance: { zh: '交易中心·财务', en: 'Center: finance (deposits)' },
  regulator: { zh: '行政监督部门', en: 'Regulator' },
  manager: { zh: '综合管理部门', en: 'Comprehensive manager' },
  auditor: { zh: '审计监督', en: 'Auditor' },
  admin: { zh: '平台管理员', en: 'Administrator' },
  system: { zh: '第三方系统', en: 'Third-party system' },
};

/** Roles whose accounts must use TOTP as a second factor. */
export const STAFF_ROLES: readonly Role[] = ['center_intake', 'center_witness', 'center_venue', 'center_archive', 'center_finance', 'regulator', 'manager', 'auditor', 'admin'];

export interface RoleGrant {
  role: Role;
  /** Jurisdiction for regulators: industry codes (empty = none). */
  industries: string[];
  /** Jurisdiction: administrative region codes (GB/T 2260 prefixes; empty = none). */
  regions: string[];
}

export interface ActorView {
  accountId: string;
  username: string;
  displayName: string;
  orgId: string | null;
  orgName: string | null;
  roles: RoleGrant[];
}
