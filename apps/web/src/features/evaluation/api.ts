// Expert draw invitations (apps/server/src/modules/expertdraw, ADR 0019) and the evaluation workspace
// (apps/server/src/modules/evaluation, ADR 0020): presenter shapes mirrored here.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export interface Invitation {
  id: string;
  status: string; // invited | confirmed | declined | expired | voided
  specialty: string;
  evaluationAt: string;
  evaluationEndsAt: string;
  regions: string[];
  respondBy: string;
  respondedAt: string | null;
  checkedInAt: string | null;
  project: { tenderId: string; title: string; lotNo: number; lotId: string } | null;
}

export interface TemplateItem { code: string; name: string; category: 'technical' | 'commercial'; min: string; max: string }
export type Template =
  | { method: 'lowest_price' }
  | { method: 'comprehensive'; items: TemplateItem[]; price: { benchmark: string; max: string }; trimmed: boolean; deviationPercent: number };

export interface Workspace {
  committeeId: string;
  lotId: string;
  tenderId: string;
  stage: string; // review | scoring | flags | report | signed
  me: { seat: number; chair: boolean; kind: string; reviewed: boolean; submitted: boolean; signed: boolean };
  members: { seat: number; kind: string; chair: boolean; reviewed: boolean; submitted: boolean; signed: boolean; feeFen: number; name: string | null }[];
  template: Template | null;
  /** `qualified`: the committee's majority verdict, null while the review is open. */
  bids: { bidId: string; bidderOrgId: string; bidderName: string; priceFen: number | null; qualified: boolean | null }[];
  myReviews: { bidId: string; pass: boolean; reason: string | null }[];
  myScores: { bidId: string; item: string; score: string }[];
  myFlags: { bidId: string; item: string; score: string; mean: string; status: string; note: string | null }[];
  results: { bidId: string; bidderOrgId: string; priceFen: number | null; qualified: boolean; technical: string | null; commercial: string | null; price: string | null; total: string | null; rank: number | null }[];
  report: { fileId: string; sha256: string; producedAt: string } | null;
}

export const useInvitations = () => useQuery({ queryKey: ['expert-draws', 'mine'], queryFn: () => api.get<Invitation[]>('/api/expert-draws/invitations/mine') });
export const useWorkspace = (lotId: string) =>
  useQuery({ queryKey: ['evaluation', lotId], queryFn: () => api.get<Workspace>(`/api/evaluation/lots/${lotId}/workspace`), retry: false });

const inv = (id: string) => `/api/expert-draws/invitations/${id}`;
const lot = (lotId: string) => `/api/evaluation/lots/${lotId}`;
export const evalApi = {
  confirm: (id: string) => api.post<Invitation[]>(`${inv(id)}/confirm`),
  decline: (id: string, reason: string) => api.post<Invitation[]>(`${inv(id)}/decline`, { reason }),
  checkIn: (id: string, conflict: { reason: string } | null) => api.post<{ voided: boolean }>(`${inv(id)}/check-in`, { conflict }),
  review: (lotId: string, bidId: string, pass: boolean, reason: string | null) => api.put<void>(`${lot(lotId)}/reviews/${bidId}`, { pass, reason }),
  submitReview: (lotId: string) => api.post<{ stage: string }>(`${lot(lotId)}/reviews/submit`),
  scores: (lotId: string, scores: { bidId: string; item: string; score: string }[]) => api.put<void>(`${lot(lotId)}/scores`, { scores }),
  submitScores: (lotId: string) => api.post<{ stage: string }>(`${lot(lotId)}/scores/submit`),
  resolveFlag: (lotId: string, b: { bidId: string; item: string; action: 'confirm' | 'correct'; score?: string; note: string }) => api.post<{ stage: string }>(`${lot(lotId)}/flags/resolve`, b),
  sign: (lotId: string, sha256: string) => api.post<{ stage: string; ledgerSeq: number; handedOver: boolean }>(`${lot(lotId)}/report/sign`, { sha256 }),
};

/** Points as the server accepts them (≤ 2 decimals) and inside the item's range; null when fine, else the reason key. */
export function scoreProblem(text: string, item: Pick<TemplateItem, 'min' | 'max'>): 'format' | 'range' | null {
  if (!/^[0-9]{1,7}(\.[0-9]{1,2})?$/.test(text.trim())) return 'format';
  const centi = (s: string) => Math.round(Number(s) * 100);
  const v = centi(text.trim());
  return v < centi(item.min) || v > centi(item.max) ? 'range' : null;
}

/** SHA-256 of downloaded bytes, hex, computed in the browser so the member signs what they read. */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
