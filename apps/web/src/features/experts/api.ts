// Expert registry (评标专家库) API: apps/server/src/modules/experts (presenter shapes mirrored here).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { ApiError } from '../../lib/problem';

export type ExpertStatus = 'submitted' | 'returned' | 'rejected' | 'active' | 'suspended' | 'exited' | 'removed';
export type TitleLevel = 'full_senior' | 'senior' | 'intermediate' | 'none';
export type EvaluationKind = 'works' | 'government_procurement' | 'other';
export type ConflictKind = 'employment' | 'director' | 'shareholder' | 'relative' | 'other';
export type MaterialCode = 'id_card' | 'title_certificate' | 'equivalence_proof' | 'employment_proof' | 'other';

export interface Specialty {
  code: string;
  parentCode: string | null;
  level: number;
  nameZh: string;
  nameEn: string;
  industry: string;
}

export interface ExpertSummary {
  id: string;
  code: string;
  name: string;
  status: ExpertStatus;
  titleLevel: TitleLevel;
  titleName: string | null;
  experienceYears: number;
  employerName: string | null;
  homeRegion: string;
  industries: string[];
  specialties: string[];
  submitCount: number;
  submittedAt: string;
  decidedAt: string | null;
  activatedAt: string | null;
}

export interface Conflict {
  id: string;
  kind: ConflictKind;
  orgUscc: string;
  orgName: string;
  relation: string | null;
  startedOn: string | null;
  endedOn: string | null;
  avoidUntil: string | null;
  active: boolean;
  declaredAt: string;
}

export interface ExpertDetail extends ExpertSummary {
  phone: string | null;
  equivalentLevel: boolean;
  employer: { name: string; uscc: string } | null;
  specialtyDetails: { code: string; nameZh: string; nameEn: string }[];
  regions: string[];
  kinds: EvaluationKind[];
  suspendedReason: string | null;
  endedAt: string | null;
  endReason: string | null;
  conflicts: Conflict[];
  materials: { code: MaterialCode; fileId: string; name: string; suppliedAt: string }[];
  reviews: { round: number; decision: 'approve' | 'return' | 'reject'; reasons: { field: string; note: string }[]; comment: string | null; decidedAt: string }[];
  leaves: { id: string; startsAt: string; endsAt: string; reason: string; cancelledAt: string | null; current: boolean }[];
  annualReviews: { year: number; result: 'pass' | 'fail'; comment: string | null; decidedAt: string }[];
  annualReviewDue: { year: number; dueAt: string; done: boolean } | null;
  performance: { count: number; average: number | null; entries: { id: string; evaluationRef: string; rating: number; comment: string | null; createdAt: string }[] };
  incentives: { points: number; entries: { id: string; kind: 'incentive' | 'penalty'; points: number; reason: string; createdAt: string }[] };
  blacklist: { id: string; reason: string; basis: string | null; startsAt: string; endsAt: string | null; liftedAt: string | null; liftReason: string | null; inForce: boolean }[];
  availability: { onLeaveNow: boolean; blacklistedNow: boolean; eligibleNow: boolean };
}

export interface ConflictInput {
  kind: ConflictKind;
  orgName: string;
  orgUscc: string;
  relation?: string | null;
  startedOn?: string | null;
  endedOn?: string | null;
}

export interface ApplicationInput {
  name: string;
  idNumber: string;
  phone?: string | null;
  titleLevel: TitleLevel;
  titleName?: string | null;
  equivalentLevel?: boolean;
  experienceYears: number;
  employer?: { name: string; uscc: string } | null;
  homeRegion: string;
  specialties: string[];
  regions: string[];
  kinds: EvaluationKind[];
  conflicts?: ConflictInput[];
  materials: { code: MaterialCode; fileId: string }[];
}

export const RETURN_FIELDS = [
  'name',
  'idNumber',
  'phone',
  'titleLevel',
  'titleName',
  'equivalentLevel',
  'experienceYears',
  'employer',
  'homeRegion',
  'specialties',
  'regions',
  'kinds',
  'conflicts',
  'materials',
  'other',
] as const;

export function useSpecialties() {
  return useQuery({
    queryKey: ['experts', 'specialties'],
    queryFn: () => api.get<{ items: Specialty[]; maxSpecialties: number }>('/api/experts/specialties'),
    staleTime: 10 * 60_000,
  });
}

/** The signed-in account's own record; `null` when it has not applied (404 EXPERT_NOT_APPLIED). */
export function useMyExpert() {
  return useQuery({
    queryKey: ['experts', 'me'],
    queryFn: async () => {
      try {
        return await api.get<ExpertDetail>('/api/experts/me');
      } catch (e) {
        if (e instanceof ApiError && e.code === 'EXPERT_NOT_APPLIED') return null;
        throw e;
      }
    },
  });
}

export function useExpertQueue(status: string) {
  return useQuery({
    queryKey: ['experts', 'list', status],
    queryFn: () => api.get<{ items: ExpertSummary[]; nextCursor: string | null }>('/api/experts', { status: status === 'all' ? undefined : status, limit: 100 }),
  });
}

export function useExpert(id: string | undefined) {
  return useQuery({ queryKey: ['experts', 'one', id], queryFn: () => api.get<ExpertDetail>(`/api/experts/${id}`), enabled: !!id });
}

export const expertsApi = {
  apply: (input: ApplicationInput) => api.post<ExpertDetail>('/api/experts/me/application', input),
  declareLeave: (input: { startsAt: string; endsAt: string; reason: string }) => api.post<ExpertDetail>('/api/experts/me/leaves', input),
  withdrawLeave: (id: string) => api.del<ExpertDetail>(`/api/experts/me/leaves/${id}`),
  declareConflict: (input: ConflictInput) => api.post<ExpertDetail>('/api/experts/me/conflicts', input),
  endConflict: (id: string, endedOn: string) => api.post<ExpertDetail>(`/api/experts/me/conflicts/${id}/end`, { endedOn }),
  exit: (reason: string) => api.post<ExpertDetail>('/api/experts/me/exit', { reason }),
  approve: (id: string, comment: string | null) => api.post<ExpertDetail>(`/api/experts/${id}/approve`, { comment }),
  returnApplication: (id: string, reasons: { field: string; note: string }[]) => api.post<ExpertDetail>(`/api/experts/${id}/return`, { reasons }),
  reject: (id: string, reason: string) => api.post<ExpertDetail>(`/api/experts/${id}/reject`, { reason }),
  remove: (id: string, reason: string) => api.post<ExpertDetail>(`/api/experts/${id}/remove`, { reason }),
  annualReview: (id: string, input: { year: number; result: 'pass' | 'fail'; comment?: string | null }) => api.post<ExpertDetail>(`/api/experts/${id}/annual-reviews`, input),
  blacklist: (id: string, input: { reason: string; basis?: string | null; endsAt?: string | null }) => api.post<ExpertDetail>(`/api/experts/${id}/blacklist`, input),
  liftBlacklist: (id: string, entryId: string, reason: string) => api.post<ExpertDetail>(`/api/experts/${id}/blacklist/${entryId}/lift`, { reason }),
  incentive: (id: string, input: { kind: 'incentive' | 'penalty'; points: number; reason: string }) => api.post<ExpertDetail>(`/api/experts/${id}/incentives`, input),
};
