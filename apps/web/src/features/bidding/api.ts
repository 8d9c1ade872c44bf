import type { BidReceipt } from '@yiwang/sdk/bid-receipt';
// Types mirroring the tendering, bidding and award presenters (apps/server/src/modules/{tendering,bidding,award}),
// and the calls the bidder's pages make. Money arrives as integer 分; times as ISO instants shown in Beijing time.
import { useQuery } from '@tanstack/react-query';
import { api, getCsrfToken } from '../../lib/api';
import { ApiError, toProblem } from '../../lib/problem';

export interface TenderLot {
  lotNo: number;
  name: string;
  estimateFen?: number;
  depositFen: number;
  bidDeadline: string;
  openingAt: string;
  status: string;
}
export interface TenderDoc {
  seq?: number;
  name: string;
  sha256: string;
  size: number;
  fileId?: string | null;
}
export interface Tender {
  id: string;
  title: string;
  procedureType: string;
  procedureName: { zh: string; en: string };
  status: string;
  publishedAt: string | null;
  noticeId: string | null;
  lots: TenderLot[];
  documents: TenderDoc[];
  escrow?: { k: number; custodians: { accountId: string; kind: string; displayName: string }[] };
  obtainedByMe?: { obtainedAt: string } | null;
}
export interface TenderRow {
  id: string;
  title: string;
  procedureType: string;
  status: string;
  publishedAt: string | null;
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
  deadlineChanges: { lotNo: number; from: string; to: string }[];
}
export interface TenderObjection {
  id: string;
  lotNo: number | null;
  text: string;
  raisedAt: string;
  answerDueAt: string;
  status: string;
  answer: string | null;
  mine: boolean;
}
export interface Sealing {
  tenderId: string;
  lots: { lotNo: number; lotId: string; bidDeadline: string; status: string }[];
  escrow: { k: number; custodians: { kind: string; accountId: string; label: string; algorithm: string | null; publicKey: string | null }[] };
}
/** The platform-signed receipt: the SDK's type, so what the browser verifies is what the server signs. */
export type Receipt = BidReceipt;
export interface MyBid {
  bidId: string;
  status: string;
  receivedAt: string;
  endedAt: string | null;
  sha256: string;
  size: number;
  deposit: { kind: string | null; ref: string | null };
  decryption: string;
}
export interface RoomBid {
  bidId: string;
  bidder: { orgId: string; name: string };
  receivedAt: string;
  sha256: string;
  size: number;
  mine: boolean;
  decryption: string;
  failedAttempts: number;
  priceFen: number | null;
  durationDays: number | null;
  quality: string | null;
}
export interface Room {
  tenderId: string;
  lotId: string;
  lotNo: number;
  lotName: string;
  lotStatus: string;
  status: string;
  version: number;
  openedAt: string | null;
  windowEndsAt: string | null;
  recoveryEndsAt: string | null;
  minBidders: number | null;
  incident: { at: string; reason: string } | null;
  bids: RoomBid[];
  record: unknown;
  recordAnnouncementId: string | null;
  objectionsUntil: string | null;
  failedReason: string | null;
  objections: { id: string; mine: boolean; objector: string; text: string; raisedAt: string; answer: string | null; answeredAt: string | null }[];
}
export interface AwardLot {
  lotId: string;
  tenderId: string;
  lotNo: number;
  lotName: string;
  status: string;
  result: { candidates: { rank: number; bidderOrgId: string; name: string; priceFen: number; score: string | null }[] } | null;
  publicity: { noticeId: string; startsAt: string; endsAt: string } | null;
  objectionWindow: { kind: string; opensAt: string; closesAt: string; basis: string } | null;
  objections: { id: string; kind: string; mine: boolean; text: string; status: string; answer: string | null }[];
  award: { winnerOrgId: string; winnerName: string; priceFen: number; resultNoticeId: string | null; noticeNo: string | null; noticeSha256: string | null } | null;
}

const T = '/api/tendering/tenders';
export const tenderKey = (id: string) => ['bid-tender', id];

export const useBidTenders = () => useQuery({ queryKey: ['bid-tenders'], queryFn: () => api.get<TenderRow[]>(T, { limit: 100 }) });
export const useTender = (id: string) => useQuery({ queryKey: tenderKey(id), queryFn: () => api.get<Tender>(`${T}/${id}`) });
export const usePublicTender = (id: string) =>
  useQuery({ queryKey: ['public-tender', id], queryFn: () => api.get<Tender>(`/api/tendering/public/tenders/${id}`) });
export const useQuestions = (id: string, enabled: boolean) =>
  useQuery({ queryKey: ['bid-questions', id], enabled, queryFn: () => api.get<Question[]>(`${T}/${id}/questions`) });
export const useClarifications = (id: string, enabled: boolean) =>
  useQuery({ queryKey: ['bid-clar', id], enabled, queryFn: () => api.get<Clarification[]>(`${T}/${id}/clarifications`) });
export const useTenderObjections = (id: string, enabled: boolean) =>
  useQuery({ queryKey: ['bid-objections', id], enabled, queryFn: () => api.get<TenderObjection[]>(`${T}/${id}/objections`) });
export const useSealing = (id: string, enabled = true) =>
  useQuery({ queryKey: ['bid-sealing', id], enabled, queryFn: () => api.get<Sealing>(`/api/bidding/tenders/${id}/sealing`) });

const lotPath = (tenderId: string, lotNo: number) => `/api/bidding/tenders/${tenderId}/lots/${lotNo}`;
export const useMyBid = (tenderId: string, lotNo: number, enabled = true) =>
  useQuery({ queryKey: ['my-bid', tenderId, lotNo], enabled, queryFn: () => api.get<{ current: MyBid | null; history: MyBid[] }>(`${lotPath(tenderId, lotNo)}/bid`) });
export const useAwardLot = (tenderId: string, lotNo: number) =>
  useQuery({ queryKey: ['award-lot', tenderId, lotNo], queryFn: () => api.get<AwardLot>(`/api/award/tenders/${tenderId}/lots/${lotNo}`), refetchInterval: 15_000 });

export const roomPath = (tenderId: string, lotNo: number) => `${lotPath(tenderId, lotNo)}/opening`;
export const decrypt = (tenderId: string, lotNo: number, contentKey: string) =>
  api.post<{ bidId: string; decryption: string; priceFen: number }>(`${roomPath(tenderId, lotNo)}/decrypt`, { contentKey });
export const withdraw = (tenderId: string, lotNo: number) => api.del<{ bidId: string; withdrawnAt: string }>(`${lotPath(tenderId, lotNo)}/bid`);

/**
 * PUT the sealed envelope as the raw body (the server verifies it while it streams), with upload progress — fetch
 * has none for request bodies, so XMLHttpRequest.
 */
export function uploadSealedBid(
  tenderId: string,
  lotNo: number,
  blob: Blob,
  query: { digest: string; depositKind?: 'guarantee' | 'cash'; depositRef?: string },
  onProgress: (fraction: number) => void,
): Promise<Receipt> {
  const params = new URLSearchParams({ digest: query.digest });
  if (query.depositKind && query.depositRef) {
    params.set('depositKind', query.depositKind);
    params.set('depositRef', query.depositRef);
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `${lotPath(tenderId, lotNo)}/bid?${params}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(toProblem(0, undefined)));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = xhr.responseText;
      }
      if (xhr.status === 201) resolve(body as Receipt);
      else reject(new ApiError(toProblem(xhr.status, body)));
    };
    xhr.send(blob);
  });
}

/** Fetch a file with the session cookie and hand it to the browser as a download. */
export async function downloadUrl(url: string, name: string): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    throw new ApiError(toProblem(res.status, body));
  }
  saveBlob(await res.blob(), name);
}

export function saveBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * The header of each sealed envelope this browser made, kept so the bidder can decrypt in the opening room without
 * re-loading the envelope (the header holds the content key wrapped to the bidder's key; nothing secret without it).
 */
const headerKey = (tenderId: string, lotNo: number) => `yw.bidHeader.${tenderId}.${lotNo}`;
export function rememberHeader(tenderId: string, lotNo: number, digest: string, header: unknown): void {
  try {
    localStorage.setItem(headerKey(tenderId, lotNo), JSON.stringify({ digest, header }));
  } catch {
    /* storage full or disabled: the bidder loads the envelope backup instead */
  }
}
export function recalledHeader(tenderId: string, lotNo: number): { digest: string; header: unknown } | null {
  try {
    const s = localStorage.getItem(headerKey(tenderId, lotNo));
    return s ? (JSON.parse(s) as { digest: string; header: unknown }) : null;
  } catch {
    return null;
  }
}
