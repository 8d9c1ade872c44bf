// The one place that decides which workbench entries a signed-in account sees. The server still checks every
// call (policies); this only keeps people from being offered what they may not do.
import { ROLES, type Role } from '@yiwang/contracts';
import type { DictKey } from '../lib/i18n/dict';

export type MenuIcon = 'home' | 'project' | 'audit' | 'notice' | 'review' | 'catalog' | 'calendar' | 'team' | 'bell' | 'setting' | 'soon';

export interface MenuItem {
  key: string;
  label: DictKey;
  path: string;
  icon: MenuIcon;
  /** Who sees it; 'any' = every signed-in account. */
  roles: readonly Role[] | 'any';
  /** 'soon' entries open a placeholder until a later issue builds them. */
  status: 'ready' | 'soon';
}

export const MENU: readonly MenuItem[] = [
  { key: 'home', label: 'wb.home', path: '/workbench', icon: 'home', roles: 'any', status: 'ready' },
  { key: 'projects', label: 'menu.projects', path: '/workbench/projects', icon: 'project', roles: ['tenderer', 'agency'], status: 'ready' },
  { key: 'intake', label: 'menu.intake', path: '/workbench/intake', icon: 'audit', roles: ['center_intake'], status: 'ready' },
  { key: 'announcements', label: 'menu.announcements', path: '/workbench/announcements', icon: 'notice', roles: ['tenderer', 'agency'], status: 'ready' },
  { key: 'announcement-review', label: 'menu.announcementReview', path: '/workbench/announcement-review', icon: 'review', roles: ['center_intake'], status: 'ready' },
  { key: 'catalog', label: 'menu.catalogAdmin', path: '/workbench/catalog', icon: 'catalog', roles: ['admin'], status: 'ready' },
  { key: 'calendar', label: 'menu.calendar', path: '/workbench/calendar', icon: 'calendar', roles: ['admin'], status: 'ready' },
  { key: 'accounts', label: 'menu.accounts', path: '/workbench/accounts', icon: 'team', roles: ['admin'], status: 'ready' },
  { key: 'tenders', label: 'menu.tenders', path: '/workbench/tenders', icon: 'project', roles: ['tenderer', 'agency'], status: 'ready' },
  { key: 'refunds', label: 'menu.refunds', path: '/workbench/refunds', icon: 'audit', roles: ['center_finance'], status: 'ready' },
  // Key custodians of sealed-bid openings (tender_custodians: center staff, regulators, the tenderer's accounts).
  { key: 'custody', label: 'menu.custody', path: '/workbench/custody', icon: 'setting', roles: ['center_intake', 'center_witness', 'center_venue', 'center_archive', 'center_finance', 'regulator', 'tenderer'], status: 'ready' },
  { key: 'bids', label: 'menu.bids', path: '/workbench/bids', icon: 'project', roles: ['bidder'], status: 'ready' },
  // 评标专家库: the expert's own record and application; the supervisors' review queue and records in jurisdiction.
  { key: 'expert', label: 'menu.expert', path: '/workbench/expert', icon: 'team', roles: ['expert'], status: 'ready' },
  { key: 'expert-review', label: 'menu.expertReview', path: '/workbench/expert-review', icon: 'review', roles: ['regulator', 'manager', 'auditor'], status: 'ready' },
  // 竞买大厅: bidders register and bid; organisers (agencies, the center's intake staff) set auctions up and approve.
  { key: 'auctions', label: 'menu.auctions', path: '/workbench/auctions', icon: 'project', roles: ['auction_bidder', 'agency', 'center_intake'], status: 'ready' },
  // Entries later issues fill in.
  { key: 'evaluations', label: 'menu.evaluations', path: '/workbench/evaluations', icon: 'review', roles: ['expert'], status: 'ready' },
  { key: 'witness', label: 'menu.witness', path: '/workbench/soon/witness', icon: 'soon', roles: ['center_witness'], status: 'soon' },
  { key: 'venues', label: 'menu.venues', path: '/workbench/soon/venues', icon: 'soon', roles: ['center_venue'], status: 'soon' },
  { key: 'archives', label: 'menu.archives', path: '/workbench/soon/archives', icon: 'soon', roles: ['center_archive'], status: 'soon' },
  { key: 'supervision', label: 'menu.supervision', path: '/workbench/soon/supervision', icon: 'soon', roles: ['regulator', 'manager'], status: 'soon' },
  { key: 'analytics', label: 'menu.analytics', path: '/workbench/soon/analytics', icon: 'soon', roles: ['manager', 'regulator'], status: 'soon' },
  { key: 'audit', label: 'menu.audit', path: '/workbench/soon/audit', icon: 'soon', roles: ['auditor'], status: 'soon' },
  // Everyone.
  { key: 'messages', label: 'menu.messages', path: '/workbench/messages', icon: 'bell', roles: 'any', status: 'ready' },
  { key: 'settings', label: 'menu.settings', path: '/workbench/settings', icon: 'setting', roles: 'any', status: 'ready' },
];

const KNOWN = new Set<string>(ROLES);

/** The entries the given roles may use, in menu order. Unknown role strings grant nothing. */
export function menuFor(roles: readonly string[]): MenuItem[] {
  const mine = new Set(roles.filter((r) => KNOWN.has(r)));
  return MENU.filter((m) => m.roles === 'any' || m.roles.some((r) => mine.has(r)));
}

export function menuItem(key: string): MenuItem | undefined {
  return MENU.find((m) => m.key === key);
}

/** Whether the roles may open the entry `key` (route guard). */
export function mayOpen(roles: readonly string[], key: string): boolean {
  return menuFor(roles).some((m) => m.key === key);
}
