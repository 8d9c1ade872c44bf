// Tendering, opening and award APIs for the tenderer/agency workbench and the center staff pages. Shapes mirror
// apps/server/src/modules/{tendering,bidding,award,deposits}/*.presenter.ts.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Room, RoomBid } from '../bidding/api';

/** The opening room is the bidding module's one view (the bidder's pages use the same type). */
export type { Room, RoomBid };

export interface TenderSummary {
  id: string;
  title: string;
  procedureType: string;
  status: string;
  publishedAt: string | null;
}

export interface TenderLot {
  lotNo: number;
  name: string;
  estimateFen: number;
  depositFen: number;
  bidDeadline: string;
  openingAt: string;
  status: string;
  deadlineHeld: boolean;
}

export interface TenderDocument {
  seq: number;
  name: string;
  sha256: string;
  size: number;
  mime: string;
  clarificationId: string | null;
  fileId: string | null;
}

export interface Tender {
  id: string;
  projectId: string;
  procedureType: string;
  procedureName: { zh: string; en: string };
  title: string;
  status: string;
  plannedPublishAt: string;
  publishedAt: string | null;
  noticeId: string | null;
  paused: boolean;
  lots: TenderLot[];
  documents: TenderDocument[];
  escrow: { k: number; custodians: { accountId: string; kind: string; displayName: string }[] };
  invitedOrgs: { orgId: string; name: string }[] | null;
  obtainedByMe: { obtainedAt: string } | null;
}

export interface TenderInput {
  projectId?: string;
  procedureType?: string;
  title?: string;
  lots: { lotNo: number; depositFen: number; bidDeadline: string }[];
  documentIds: string[];
  escrow: { k: number; custodianAccountIds: string[] };
  invitedOrgIds?: string[];
}

export interface DeadlineChange {
  lotNo: number;
  from: string;
  to: string;
}

export interface Question {
  id: string;
  text: string;
  askedAt: string;
  clarificationId: string | null;
  mine: boolean;
}

export interface Clarification {
  id: string;
  seq: number;
  text: string;
  publishedAt: string;
  deadlineChanges: DeadlineChange[];
  changeNoticeId: string | null;
}

export interface DocObjection {
  id: string;
  lotNo: number | null;
  text: string;
  raisedAt: string;
  answerDueAt: string;
  status: string;
  answer: string | null;
  answeredAt: string | null;
  overdue: boolean;
  mine: boolean;
  objector: { orgId: string; name: string } | null;
  deadlineChanges: DeadlineChange[];
}

export interface PolicyView {
  procedure?: string;
  procedureType?: string;
  nameZh?: string;
  nameEn?: string;
  invitational?: boolean;
  [k: string]: unknown;
}



export interface Warning {
  code: string;
  zh: string;
  en: string;
  dueAt: string;
  at: string;
}

export interface AwardObjection {
  id: string;
  kind: 'objection' | 'challenge';
  objectorOrgId: string | null;
  objectorName: string | null;
  mine: boolean;
  text: string;
  raisedAt: string;
  answerDueAt: string;
  status: 'open' | 'answered';
  answer: string | null;
  answeredAt: string | null;
  overdue: boolean;
}

export interface AwardLot {
  lotId: string;
  tenderId: string;
  lotNo: number;
  lotName: string;
  status: string;
  procedureType: string;
  operator: boolean;
  result: {
    source: string;
    reportReceivedAt: string;
    reportFileId: string | null;
    candidates: { rank: number; bidderOrgId: string; name: string; priceFen: number; score: string | null }[];
  } | null;
  publicity: { noticeId: string; startsAt: string; endsAt: string } | null;
  objectionWindow: { kind: string; opensAt: string; closesAt: string; basis: string } | null;
  objections: AwardObjection[];
  award: {
    winnerOrgId: string;
    winnerName: string;
    rank: number;
    priceFen: number;
    reason: string | null;
    awardedAt: string;
    resultNoticeId: string | null;
    noticeNo: string | null;
    noticeSha256: string | null;
    noticeLedgerSeq: number | null;
    contractDueAt: string | null;
  } | null;
  contract: {
    id: string;
    valueFen: number;
    signedAt: string;
    periodStart: string | null;
    periodEnd: string | null;
    noticeId: string | null;
    publishedAt: string | null;
    fileId: string | null;
    performance: { id: string; kind: string; occurredOn: string; amountFen: number | null; description: string }[];
  } | null;
  ending: { kind: string; reason: string; endedAt: string; noticeId: string | null } | null;
  retender: { tenderId: string; lotId: string } | null;
  refunds: { losersAt: string; losers: { n: number; unit: string; basis: string }; winner: { n: number; unit: string; basis: string } };
  warnings: Warning[];
}

export interface Refund {
  id: string;
  tenderId: string;
  lotId: string;
  lotLabel?: string;
  bidderOrgId: string;
  bidderName?: string;
  amountFen: number;
  reason: string;
  dueAt: string;
  period: { n: number; unit: string };
  status: 'open' | 'done';
  overdue: boolean;
  overdueAt: string | null;
  doneAt: string | null;
  late: boolean;
  confirmedVia: string | null;
  bankRef: string | null;
  interestFen: number | null;
}

export interface RecoveryView {
  status: string | null;
  recoveryEndsAt: string | null;
  bids: { bidId: string; bidder: string; header: unknown; shareSubmitted: boolean }[];
}

const T = '/api/tendering/tenders';
const enc = encodeURIComponent;
export const lotPath = (tenderId: string, lotNo: number) => `${enc(tenderId)}/lots/${lotNo}`;

export const tenderApi = {
  list: () => api.get<TenderSummary[]>(T, { limit: 100 }),
  get: (id: string) => api.get<Tender>(`${T}/${enc(id)}`),
  create: (body: TenderInput) => api.post<Tender>(T, body),
  update: (id: string, body: TenderInput) => api.put<Tender>(`${T}/${enc(id)}`, body),
  publish: (id: string) => api.post<Tender>(`${T}/${enc(id)}/publish`),
  questions: (id: string) => api.get<Question[]>(`${T}/${enc(id)}/questions`),
  clarifications: (id: string) => api.get<Clarification[]>(`${T}/${enc(id)}/clarifications`),
  clarify: (id: string, body: { text: string; questionIds?: string[]; fileIds?: string[]; newBidDeadline?: string }) =>
    api.post<Clarification>(`${T}/${enc(id)}/clarifications`, body),
  objections: (id: string) => api.get<DocObjection[]>(`${T}/${enc(id)}/objections`),
  answerObjection: (objectionId: string, text: string) => api.post<DocObjection>(`/api/tendering/objections/${enc(objectionId)}/answer`, { text }),
  obtains: (id: string) => api.get<{ count: number; items: { orgId: string; name: string; uscc: string | null; obtainedAt: string }[] }>(`${T}/${enc(id)}/obtains`),
  policies: () => api.get<PolicyView[]>('/api/tendering/policies'),
  room: (tenderId: string, lotNo: number) => api.get<Room>(`/api/bidding/tenders/${lotPath(tenderId, lotNo)}/opening`),
  answerRoomObjection: (id: string, text: string) => api.post<unknown>(`/api/bidding/opening-objections/${enc(id)}/answer`, { text }),
  incident: (tenderId: string, lotNo: number, reason: string) =>
    api.post<{ declaredAt: string; reason: string }>(`/api/bidding/tenders/${lotPath(tenderId, lotNo)}/opening/incident`, { reason }),
  recovery: (tenderId: string, lotNo: number) => api.get<RecoveryView>(`/api/bidding/tenders/${lotPath(tenderId, lotNo)}/opening/recovery`),
  submitShare: (bidId: string, share: string) =>
    api.post<{ bidId: string; shares: number; needed: number; recovered: boolean }>(`/api/bidding/bids/${enc(bidId)}/escrow-share`, { share }),
  award: (tenderId: string, lotNo: number) => api.get<AwardLot>(`/api/award/tenders/${lotPath(tenderId, lotNo)}`),
  awardPost: <R>(tenderId: string, lotNo: number, step: string, body: unknown) => api.post<R>(`/api/award/tenders/${lotPath(tenderId, lotNo)}/${step}`, body),
  answerAwardObjection: (id: string, text: string) => api.post<AwardObjection & { late?: boolean }>(`/api/award/objections/${enc(id)}/answer`, { text }),
  noticePdfUrl: (tenderId: string, lotNo: number) => `/api/award/tenders/${lotPath(tenderId, lotNo)}/notice.pdf`,
  refunds: (status: string, cursor?: string) =>
    api.get<{ items: Refund[]; nextCursor: string | null }>('/api/deposits/refunds', { status, cursor, limit: 50 }),
  completeRefund: (id: string, bankRef: string, interestFen?: number) =>
    api.post<Refund>(`/api/deposits/refunds/${enc(id)}/complete`, { bankRef, interestFen }),
};

export function useTenders() {
  return useQuery({ queryKey: ['tenders'], queryFn: tenderApi.list });
}

export function useTender(id: string | undefined) {
  return useQuery({ queryKey: ['tender', id], enabled: !!id, queryFn: () => tenderApi.get(id!) });
}

/** Refetch everything that hangs off one tender after a write. */
export function useInvalidateTender(id: string | undefined) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['tender', id] }),
      qc.invalidateQueries({ queryKey: ['tender-sub', id] }),
      qc.invalidateQueries({ queryKey: ['tenders'] }),
    ]);
}
