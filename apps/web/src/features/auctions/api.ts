// Online auctions (apps/server/src/modules/auctions, ADR 0018): presenter shapes mirrored here, and the calls.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type PolicyCode = 'auction' | 'listing' | 'online' | 'state_equity';
export const POLICY_CODES: PolicyCode[] = ['auction', 'listing', 'online', 'state_equity'];

export interface AuctionResult {
  outcome: string; // sold | failed | preemption
  reason: string | null; // no_bids | below_reserve
  winnerNo: number | null;
  finalPriceFen: number | null;
  closedAt: string | null;
  preemptionEndsAt: string | null;
}

export interface Auction {
  id: string;
  title: string;
  policy: PolicyCode;
  policyLabel: { zh: string; en: string };
  status: string; // open | preemption | sold | failed
  phase: string; // listing | free | timed
  startPriceFen: number;
  incrementFen: number;
  depositFen: number;
  hasReserve: boolean;
  reserveFen: number | null;
  registrationEndsAt: string;
  startsAt: string;
  endsAt: string;
  maxEndsAt: string;
  countdownSeconds: number;
  currentPriceFen: number | null;
  leaderNo: number | null;
  bidCount: number;
  lastSeq: number;
  serverTime: string;
  result: AuctionResult | null;
  me: { applicationId: string; status: string; biddingNo: number | null } | null;
  /** 出让/挂牌公告 and 成交公示/流拍公告 on the portal. */
  notices?: { listing: string | null; result: string | null };
  /** The verifiable draw of the bidding numbers, run at the registration deadline. */
  numbers?: { drawId: string | null; drawAt: string; drawnAt: string | null };
  /** 成交确认书 PDF exists (the organiser and the buyer may download it). */
  hasConfirmation?: boolean;
}

export interface AuctionItem {
  id: string;
  title: string;
  policy: PolicyCode;
  policyLabel: { zh: string; en: string };
  status: string;
  phase: string;
  registrationEndsAt: string;
  startsAt: string;
  endsAt: string;
  currentPriceFen: number | null;
  startPriceFen: number;
  bidCount: number;
  me: { status: string; biddingNo: number | null } | null;
}

export interface Application {
  applicationId: string;
  orgId: string;
  status: string; // applied | approved | rejected
  biddingNo: number | null;
  materialFileIds: string[];
  appliedAt: string;
}

/** One message of the room: the stream's event with the state after it. */
export interface RoomEvent {
  seq: number;
  price: number | null;
  leaderNo: number | null;
  endsAt: string;
  at: string;
  event: { kind: string; [k: string]: unknown };
}

export interface CreateAuction {
  title: string;
  policy: PolicyCode;
  industry: string;
  regionCode: string;
  startPriceFen: number;
  incrementFen: number;
  reserveFen: number | null;
  depositFen: number;
  registrationEndsAt: string;
  startsAt: string;
  firstPhaseEndsAt: string;
  countdownSeconds: number;
  maxExtensionSeconds?: number;
}

export interface BidAccepted {
  auctionId: string;
  bidSeq: number;
  eventSeq: number;
  biddingNo: number;
  amountFen: number;
  placedAt: string;
  endsAt: string;
  replayed: boolean;
}

export const base = (id: string) => `/api/auctions/${id}`;

export const auctionApi = {
  get: (id: string) => api.get<Auction>(base(id)),
  list: (mine?: 'organiser' | 'bidder') => api.get<{ items: AuctionItem[] }>('/api/auctions', { mine }),
  events: (id: string, after: number) => api.get<{ serverTime: string; events: RoomEvent[] }>(`${base(id)}/events`, { after }),
  create: (body: CreateAuction) => api.post<{ id: string }>('/api/auctions', body),
  apply: (id: string, materialFileIds: string[]) => api.post<{ applicationId: string; status: string }>(`${base(id)}/applications`, { materialFileIds }),
  applications: (id: string) => api.get<Application[]>(`${base(id)}/applications`),
  decide: (id: string, applicationId: string, approve: boolean, reason?: string) =>
    api.post<{ applicationId: string; status: string; biddingNo: number | null }>(`${base(id)}/applications/${applicationId}/decision`, { approve, ...(reason ? { reason } : {}) }),
  claimNumber: (id: string) => api.post<{ biddingNo: number }>(`${base(id)}/number`),
  bid: (id: string, body: { amountFen: number; clientBidId: string; clientTime: string }) => api.post<BidAccepted>(`${base(id)}/bids`, body),
};

export const auctionKey = (id: string) => ['auction', id] as const;

export function useAuction(id: string) {
  return useQuery({ queryKey: auctionKey(id), queryFn: () => auctionApi.get(id), staleTime: 0 });
}

export function useAuctionList(mine?: 'organiser' | 'bidder') {
  return useQuery({ queryKey: ['auctions', mine ?? 'all'], queryFn: () => auctionApi.list(mine), staleTime: 5_000 });
}

export function useApplications(id: string, enabled = true) {
  return useQuery({ queryKey: ['auction', id, 'applications'], queryFn: () => auctionApi.applications(id), enabled, staleTime: 0 });
}
