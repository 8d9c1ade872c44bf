// Negotiation rounds, final offers and the single-source agreement (ADR 0017). Shapes mirror
// apps/server/src/modules/negotiation/negotiation.presenter.ts; one view for the agency and the supplier, filled
// according to who asks (a supplier never receives another supplier's name, minutes or offer).
import { useQuery } from '@tanstack/react-query';
import { api, getCsrfToken } from '../../lib/api';
import { ApiError, toProblem } from '../../lib/problem';

export interface NegRound {
  id: string;
  roundNo: number;
  bidderOrgId: string;
  bidderName: string;
  heldAt: string;
  minutesText: string | null;
  minutesFileId: string | null;
  recordedAt: string;
}

export interface NegChange {
  id: string;
  seq: number;
  text: string;
  fileId: string | null;
  issuedAt: string;
  acknowledgedAt: string | null;
  recipients: { orgId: string; name: string; acknowledgedAt: string | null }[];
}

export interface NegParticipant {
  orgId: string;
  name: string;
  status: string;
  statusReason: string | null;
  statusAt: string | null;
  firstPriceFen: number;
  finalPriceFen: number | null;
  rounds: number;
}

export interface NegFinalOffer {
  orgId: string;
  name: string;
  receivedAt: string;
  sha256: string;
  decryption: string;
  priceFen: number | null;
  status: string;
  rank: number | null;
  priceScore: number | null;
}

export interface Sealing {
  tenderId: string;
  lotId: string;
  k: number;
  custodians: { kind: string; accountId: string; label: string; algorithm: string | null; publicKey: string | null }[];
}

export interface Negotiation {
  tenderId: string;
  tenderTitle: string;
  lotId: string;
  lotNo: number;
  lotName: string;
  lotStatus: string;
  procedureType: string;
  kind: 'negotiation' | 'consultation' | 'single_source';
  stage: string;
  version: number;
  viewer: 'party' | 'overseer' | 'supplier';
  operator: boolean;
  startedAt: string;
  budgetFen: number | null;
  minFinalOffers: { value: number; basis: string };
  minimumException: { kind: string; note: string; zh: string; basis: string } | null;
  priceWeightPercent: number | null;
  finalCall: { calledAt: string; deadline: string; decryptionEndsAt: string | null } | null;
  finalOffersSealed: boolean;
  participants: NegParticipant[];
  rounds: NegRound[];
  changes: NegChange[];
  finalOffers: NegFinalOffer[];
  me: {
    orgId: string;
    status: string;
    statusReason: string | null;
    finalPriceFen: number | null;
    finalOffer: { finalOfferId: string; receivedAt: string; sha256: string; size: number; sealedDigest: string; decryption: string; priceFen: number | null; header: unknown; ledger: { seq: number; entryHash: string }; superseded: number } | null;
  } | null;
  sealing: Sealing | null;
  agreement: { priceFen: number; terms: string; recordFileId: string | null; proposedAt: string; confirmedAt: string | null } | null;
  concludedAt: string | null;
  failedReason: string | null;
}

export interface FinalOfferReceipt {
  format: 'yiwang-final-offer-receipt/1';
  finalOfferId: string;
  envelopeSha256: string;
  envelopeSize: number;
  sealedDigest: string;
  receivedAt: string;
  supersedes: string | null;
  ledger: { seq: number; entryHash: string };
}

export interface SsObjection {
  id: string;
  objector: string | null;
  mine: boolean;
  text: string;
  raisedAt: string;
  status: string;
  answer: string | null;
  answeredAt: string | null;
}

const enc = encodeURIComponent;
export const negPath = (tenderId: string, lotNo: number) => `/api/negotiation/tenders/${enc(tenderId)}/lots/${lotNo}`;
export const NEGOTIATING_PROCEDURES = new Set(['competitive_negotiation', 'competitive_consultation', 'single_source']);

export const negKey = (tenderId: string, lotNo: number) => ['negotiation', tenderId, lotNo];
export const useNegotiation = (tenderId: string, lotNo: number, enabled = true) =>
  useQuery({ queryKey: negKey(tenderId, lotNo), queryFn: () => api.get<Negotiation>(negPath(tenderId, lotNo)), enabled, retry: false, refetchInterval: 15_000 });
export const useObjections = (tenderId: string, enabled = true) =>
  useQuery({ queryKey: ['ss-objections', tenderId], queryFn: () => api.get<{ items: SsObjection[] }>(`/api/negotiation/tenders/${enc(tenderId)}/single-source-objections`), enabled, retry: false });

export const negApi = {
  post: <R = Negotiation>(tenderId: string, lotNo: number, step: string, body: unknown = {}) => api.post<R>(`${negPath(tenderId, lotNo)}/${step}`, body),
  finalOffers: (tenderId: string, lotNo: number) => api.get<{ items: NegFinalOffer[]; count: number }>(`${negPath(tenderId, lotNo)}/final-offers`),
  answerObjection: (id: string, decision: 'upheld' | 'rejected', text: string) => api.post<{ status: string }>(`/api/negotiation/single-source-objections/${enc(id)}/answer`, { decision, text }),
  raiseObjection: (tenderId: string, text: string) => api.post<{ id: string }>(`/api/negotiation/tenders/${enc(tenderId)}/single-source-objections`, { text }),
};

/** The sealed final offer as the raw body (the server verifies it with the SDK before storing it). */
export async function uploadFinalOffer(tenderId: string, lotNo: number, envelope: Blob, digest: string): Promise<FinalOfferReceipt> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', accept: 'application/json, application/problem+json' };
  const csrf = getCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(`${negPath(tenderId, lotNo)}/final-offer?digest=${digest}`, { method: 'PUT', headers, body: envelope, credentials: 'same-origin' });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(toProblem(res.status, json));
  return json as FinalOfferReceipt;
}
