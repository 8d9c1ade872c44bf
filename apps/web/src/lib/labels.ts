// Bilingual labels for codes the server sends. Unknown codes fall back to the code itself, so a new type added
// on the server shows up (unlabelled) rather than disappearing.
import { ANNOUNCEMENT_TYPE_LABELS } from '@yiwang/contracts';
import type { Lang } from './i18n/lang';

type Labels = Record<string, { zh: string; en: string }>;

/** Announcement types (公告类型): the contracts' list, so the server and the UI never disagree. */
export const ANNOUNCEMENT_TYPES: Labels = ANNOUNCEMENT_TYPE_LABELS;

/** Procedure types (交易方式), as in apps/server/src/modules/catalog/catalog.rules.ts. */
export const PROCEDURES: Labels = {
  works_open_tender: { zh: '工程公开招标', en: 'Works: open tender' },
  works_invited_tender: { zh: '工程邀请招标', en: 'Works: invited tender' },
  gp_open_tender: { zh: '政府采购公开招标', en: 'Procurement: open tender' },
  gp_invited_tender: { zh: '政府采购邀请招标', en: 'Procurement: invited tender' },
  competitive_negotiation: { zh: '竞争性谈判', en: 'Competitive negotiation' },
  competitive_consultation: { zh: '竞争性磋商', en: 'Competitive consultation' },
  inquiry: { zh: '询价', en: 'Request for quotation' },
  single_source: { zh: '单一来源', en: 'Single source' },
  auction: { zh: '拍卖', en: 'Auction' },
  listing: { zh: '挂牌', en: 'Listing' },
  online_bidding: { zh: '网络竞价', en: 'Online bidding' },
  property_transfer: { zh: '国有产权转让', en: 'State property transfer' },
};

export const SUBJECTS: Labels = {
  works: { zh: '施工', en: 'Works' },
  goods: { zh: '货物', en: 'Goods' },
  services: { zh: '服务', en: 'Services' },
};

export function label(table: Labels, code: string | null | undefined, lang: Lang): string {
  if (!code) return '—';
  const l = table[code];
  return l ? (lang === 'en' ? l.en : l.zh) : code;
}

/** Colour of an announcement-type tag: result-like notices green, changes orange, others blue. */
export function announcementTypeColor(type: string): string {
  if (/change|termination|failure/.test(type)) return 'orange';
  if (/award|deal|contract|candidate|opening/.test(type)) return 'green';
  if (/plan|intention/.test(type)) return 'purple';
  return 'blue';
}
