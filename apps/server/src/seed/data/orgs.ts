/**
 * The demo city's organisations and people (厦门市, districts 3502xx). Names of government bodies follow the city's
 * real structure; every company name is invented for the demo, and every credit code is generated (valid check
 * characters, no real registrant). Usernames are short and role-shaped so a visitor can guess them.
 */
import type { Role } from '@yiwang/contracts';

/** The one demo password (letters + digits, 10+ characters: platform/auth/password.ts). Documented in README.md. */
export const DEMO_PASSWORD = 'Yiwang2026demo';

/** 厦门市 and its six districts (GB/T 2260). */
export const DISTRICTS: { code: string; name: string }[] = [
  { code: '350200', name: '厦门市' },
  { code: '350203', name: '思明区' },
  { code: '350205', name: '海沧区' },
  { code: '350206', name: '湖里区' },
  { code: '350211', name: '集美区' },
  { code: '350212', name: '同安区' },
  { code: '350213', name: '翔安区' },
];

/** USCC authority + organisation type (GB 32100-2015 表 1): 11 机关, 12 事业单位, 91 企业. */
export type OrgForm = '11' | '12' | '91';

export interface DemoMarketOrg {
  username: string;
  name: string;
  form: OrgForm;
  region: string;
  roles: Role[];
  contact: string;
}

export interface DemoPerson {
  username: string;
  name: string;
  region: string;
  roles: Role[];
}

// Tenderers / purchasers (招标人、采购人, 出让方): district bureaus, public institutions, state-owned companies.
const TENDERERS: [string, OrgForm, string, string][] = [
  ['tenderer1', '11', '350203', '厦门市思明区建设局'],
  ['tenderer2', '11', '350206', '厦门市湖里区建设局'],
  ['tenderer3', '11', '350211', '厦门市集美区建设局'],
  ['tenderer4', '11', '350205', '厦门市海沧区建设局'],
  ['tenderer5', '11', '350212', '厦门市同安区建设局'],
  ['tenderer6', '11', '350213', '厦门市翔安区建设局'],
  ['tenderer7', '11', '350200', '厦门市教育局'],
  ['tenderer8', '12', '350206', '厦门市湖里区人民医院'],
  ['tenderer9', '11', '350200', '厦门市自然资源和规划局'],
  ['tenderer10', '11', '350200', '厦门市机关事务管理局'],
  ['tenderer11', '91', '350200', '厦门鹭城市政建设集团有限公司'],
  ['tenderer12', '91', '350200', '厦门海湾水务集团有限公司'],
  ['tenderer13', '91', '350200', '厦门嘉禾国有资本运营有限公司'],
  ['tenderer14', '11', '350200', '厦门市交通运输局'],
];

const AGENCIES: [string, string, string][] = [
  ['agency1', '350203', '厦门鹭岛招标代理有限公司'],
  ['agency2', '350206', '厦门海晟工程咨询有限公司'],
  ['agency3', '350211', '厦门嘉庚项目管理有限公司'],
  ['agency4', '350200', '福建闽信招标有限公司'],
  ['agency5', '350205', '厦门筼筜造价咨询有限公司'],
  ['agency6', '350213', '厦门翔鹭政府采购代理有限公司'],
];

const BIDDERS: [string, string, string][] = [
  ['bidder1', '350206', '厦门鹭江建设集团有限公司'],
  ['bidder2', '350203', '厦门海沧湾建筑工程有限公司'],
  ['bidder3', '350211', '福建闽南路桥工程有限公司'],
  ['bidder4', '350212', '厦门同安建工有限公司'],
  ['bidder5', '350213', '厦门翔安水利水电工程有限公司'],
  ['bidder6', '350205', '厦门海丝市政园林有限公司'],
  ['bidder7', '350200', '福建东南勘察设计院有限公司'],
  ['bidder8', '350206', '厦门鼓浪工程监理有限公司'],
  ['bidder9', '350203', '厦门思源医疗器械有限公司'],
  ['bidder10', '350206', '厦门湖光信息技术有限公司'],
  ['bidder11', '350211', '厦门集贤教学设备有限公司'],
  ['bidder12', '350203', '厦门白鹭物业服务有限公司'],
  ['bidder13', '350205', '厦门海天电力安装有限公司'],
  ['bidder14', '350200', '福建八闽智慧交通科技有限公司'],
  ['bidder15', '350212', '厦门银城环境卫生服务有限公司'],
  ['bidder16', '350213', '厦门翔实钢结构工程有限公司'],
  ['bidder17', '350200', '厦门中鹭建筑劳务有限公司'],
  ['bidder18', '350206', '厦门五缘湾装饰工程有限公司'],
];

const AUCTION_ORGS: [string, string, string][] = [
  ['auction1', '350203', '厦门鹭府置业有限公司'],
  ['auction2', '350206', '厦门湖滨商业管理有限公司'],
  ['auction3', '350211', '厦门集美新城投资有限公司'],
  ['auction4', '350200', '厦门海峡二手车经纪有限公司'],
];

const CONTACTS = ['陈志明', '林晓燕', '黄建国', '王丽华', '李海峰', '张雅婷', '吴文斌', '郑秀英', '蔡伟东', '许美玲', '杨振宇', '洪丽娟', '苏志强', '叶慧敏', '庄国华', '刘淑芬', '何俊杰', '谢晓红'];
const contact = (i: number) => CONTACTS[i % CONTACTS.length]!;

export const MARKET_ORGS: DemoMarketOrg[] = [
  ...TENDERERS.map(([username, form, region, name], i) => ({ username, name, form, region, roles: ['tenderer'] as Role[], contact: contact(i) })),
  ...AGENCIES.map(([username, region, name], i) => ({ username, name, form: '91' as const, region, roles: ['agency'] as Role[], contact: contact(i + 3) })),
  // Contractors and suppliers also buy at auctions now and then, so a few hold both market roles.
  ...BIDDERS.map(([username, region, name], i) => ({ username, name, form: '91' as const, region, roles: (i % 6 === 5 ? ['bidder', 'auction_bidder'] : ['bidder']) as Role[], contact: contact(i + 7) })),
  ...AUCTION_ORGS.map(([username, region, name], i) => ({ username, name, form: '91' as const, region, roles: ['auction_bidder'] as Role[], contact: contact(i + 11) })),
];

/** Natural persons registered as auction bidders (竞买人): their ID numbers are generated and only stored hashed. */
export const PERSONS: DemoPerson[] = [
  { username: 'auction5', name: '陈建华', region: '350203', roles: ['auction_bidder'] },
  { username: 'auction6', name: '林美华', region: '350206', roles: ['auction_bidder'] },
];

/** Bodies that are not market entities: the trading center and the supervising departments (staff accounts' units). */
export const GOVERNMENT_ORGS: { key: string; name: string; form: OrgForm; region: string; orgType: string }[] = [
  { key: 'center', name: '厦门市公共资源交易中心', form: '12', region: '350200', orgType: 'trading_center' },
  { key: 'construction', name: '厦门市建设局', form: '11', region: '350200', orgType: 'government' },
  { key: 'development', name: '厦门市发展和改革委员会', form: '11', region: '350200', orgType: 'government' },
  { key: 'finance', name: '厦门市财政局', form: '11', region: '350200', orgType: 'government' },
  { key: 'audit', name: '厦门市审计局', form: '11', region: '350200', orgType: 'government' },
  { key: 'platform', name: '厦门市大数据有限公司', form: '91', region: '350200', orgType: 'enterprise' },
];

export interface DemoStaff {
  username: string;
  displayName: string;
  org: string | null;
  roles: { role: Role; industries?: string[]; regions?: string[] }[];
}

/**
 * Staff, expert and system accounts, created by the administrator. The regulator supervises construction works in
 * the whole city (industry + region, 《招标投标法实施条例》第四条); manager and auditor by region.
 */
export const STAFF: DemoStaff[] = [
  { username: 'intake1', displayName: '王受理', org: 'center', roles: [{ role: 'center_intake' }] },
  { username: 'intake2', displayName: '周敏', org: 'center', roles: [{ role: 'center_intake' }] },
  { username: 'witness1', displayName: '赵见证', org: 'center', roles: [{ role: 'center_witness' }] },
  { username: 'venue1', displayName: '孙场地', org: 'center', roles: [{ role: 'center_venue' }] },
  { username: 'finance1', displayName: '陈财务', org: 'center', roles: [{ role: 'center_finance' }] },
  { username: 'archive1', displayName: '钱档案', org: 'center', roles: [{ role: 'center_archive' }] },
  { username: 'regulator1', displayName: '郭监督', org: 'construction', roles: [{ role: 'regulator', industries: ['construction', 'transport', 'water'], regions: ['350200'] }] },
  // 政府采购 is supervised by the finance department (《政府采购法》第十三条): key custodian of the procurement tenders.
  { username: 'regulator2', displayName: '林采监', org: 'finance', roles: [{ role: 'regulator', industries: ['government_procurement'], regions: ['350200'] }] },
  { username: 'manager1', displayName: '方综管', org: 'development', roles: [{ role: 'manager', regions: ['350200'] }] },
  { username: 'auditor1', displayName: '曾审计', org: 'audit', roles: [{ role: 'auditor', regions: ['350200'] }] },
  { username: 'expert1', displayName: '邱评审', org: null, roles: [{ role: 'expert' }] },
  { username: 'expert2', displayName: '彭工', org: null, roles: [{ role: 'expert' }] },
  { username: 'system1', displayName: '财政一体化系统对接', org: 'platform', roles: [{ role: 'system' }] },
];

export const ADMIN = { username: 'admin', displayName: '平台管理员', org: 'platform' };
