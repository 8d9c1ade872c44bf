/**
 * Announcement types, statuses and the shapes the server returns (issue 2 §6). Shared by server, web and sdk.
 */
export const ANNOUNCEMENT_TYPES = [
  'tender_plan',
  'tender_notice',
  'prequalification_notice',
  'change_notice',
  'opening_record',
  'candidate_publicity',
  'award_notice',
  'contract_notice',
  'termination_notice',
  'failure_notice',
  'single_source_publicity',
  'transfer_notice',
  'deal_publicity',
  'procurement_intention',
  'other_notice',
] as const;

export type AnnouncementType = (typeof ANNOUNCEMENT_TYPES)[number];

export const ANNOUNCEMENT_TYPE_LABELS: Record<AnnouncementType, { zh: string; en: string }> = {
  tender_plan: { zh: '招标计划', en: 'Tender plan' },
  tender_notice: { zh: '招标/采购公告', en: 'Tender / procurement notice' },
  prequalification_notice: { zh: '资格预审公告', en: 'Prequalification notice' },
  change_notice: { zh: '变更/澄清公告', en: 'Change / clarification notice' },
  opening_record: { zh: '开标记录', en: 'Bid opening record' },
  candidate_publicity: { zh: '中标候选人公示', en: 'Winning candidates publicity' },
  award_notice: { zh: '中标结果公告', en: 'Award notice' },
  contract_notice: { zh: '合同公告', en: 'Contract notice' },
  termination_notice: { zh: '终止公告', en: 'Termination notice' },
  failure_notice: { zh: '流标/废标公告', en: 'Failed tender notice' },
  single_source_publicity: { zh: '单一来源公示', en: 'Single-source publicity' },
  transfer_notice: { zh: '出让/挂牌公告', en: 'Transfer / listing notice' },
  deal_publicity: { zh: '成交公示', en: 'Deal publicity' },
  procurement_intention: { zh: '采购意向公开', en: 'Procurement intention' },
  other_notice: { zh: '其他公告', en: 'Other notice' },
};

/** Types that amend or end an earlier announcement and therefore must name it (relatedId). */
export const ANNOUNCEMENT_TYPES_NEEDING_RELATED: readonly AnnouncementType[] = ['change_notice', 'termination_notice'];

export const ANNOUNCEMENT_STATUSES = ['draft', 'in_review', 'published'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];
export const ANNOUNCEMENT_STATUS_LABELS: Record<AnnouncementStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  in_review: { zh: '待审核', en: 'In review' },
  published: { zh: '已发布', en: 'Published' },
};

/** A piece of text with search matches marked; render `match` segments in <mark>. Never HTML. */
export interface TextSegment {
  text: string;
  match: boolean;
}

export interface AnnouncementRef {
  id: string;
  type: AnnouncementType;
  title: string;
  publishedAt: string;
}

/** One row of the public list. */
export interface PortalAnnouncementItem {
  id: string;
  type: AnnouncementType;
  title: string;
  categoryCode: string;
  regionCode: string;
  publisherOrgId: string;
  publisherName: string;
  projectId: string | null;
  relatedId: string | null;
  publishedAt: string;
  /** Present when the request had a q: the title and a body excerpt with the matches marked. */
  highlight?: { title: TextSegment[]; snippet: TextSegment[] };
}

export interface PortalAnnouncementDetail extends Omit<PortalAnnouncementItem, 'highlight'> {
  bodyHtml: string;
  /** Public downloads (GET url, no sign-in needed once published). */
  attachments: { id: string; name: string; size: number; mime: string; sha256: string; url: string }[];
  contentHash: string;
  ledgerSeq: number;
  related: AnnouncementRef | null;
  /** Later change/termination notices (and other announcements) that name this one, oldest first. */
  changes: AnnouncementRef[];
}

/** The workbench view of an announcement (author's org or reviewer). */
export interface WorkbenchAnnouncement {
  id: string;
  type: AnnouncementType;
  title: string;
  categoryCode: string;
  regionCode: string;
  projectId: string | null;
  bodyHtml: string;
  attachmentIds: string[];
  publisherOrgId: string;
  publisherName: string;
  relatedId: string | null;
  status: AnnouncementStatus;
  rejectReason: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  publishedAt: string | null;
  contentHash: string | null;
}

/** Body of POST /api/announcements and PUT /api/announcements/:id (a draft's content). */
export interface DraftInput {
  type: AnnouncementType;
  title: string;
  categoryCode: string;
  regionCode: string;
  projectId?: string | null;
  bodyHtml: string;
  attachmentIds?: string[];
  relatedId?: string | null;
}
