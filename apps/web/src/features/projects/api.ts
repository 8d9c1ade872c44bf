// Project intake (项目入场登记) API: apps/server/src/modules/intake (presenter shapes mirrored here).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type ProjectStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'accepted_green';

export interface ProjectSummary {
  id: string;
  code: string;
  name: string;
  status: ProjectStatus;
  catalogCode: string;
  procedureType: string;
  regionCode: string;
  industry: string;
  estimateFen: number;
  mandatory: boolean;
  ownerOrgId: string;
  agencyOrgId: string | null;
  greenChannelRequested: boolean;
  submittedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
  ownerOrgName?: string;
}

export interface ReturnItem {
  code: string;
  note: string;
}

export interface ProjectDetail extends ProjectSummary {
  subject: 'works' | 'goods' | 'services' | null;
  thresholdFen: number | null;
  catalog: { versionId: string; code: string; nameZh: string; nameEn: string };
  ownerOrgName: string;
  agencyOrgName: string | null;
  greenChannelReason: string | null;
  submitCount: number;
  decidedAt: string | null;
  lots: { seq: number; name: string; estimateFen: number }[];
  materials: { code: string; nameZh: string; nameEn: string; required: boolean; fileId: string | null; suppliedAt: string | null }[];
  returns: { round: number; items: ReturnItem[]; returnedAt: string }[];
  pendingItems: { code: string; dueDate: string; suppliedAt: string | null; fileId: string | null }[];
  pendingOpen: number;
}

export interface RegistrationInput {
  name: string;
  catalogCode: string;
  procedureType: string;
  subject?: 'works' | 'goods' | 'services' | null;
  regionCode: string;
  estimateFen: number;
  lots: { name: string; estimateFen: number }[];
  materials?: { code: string; fileId: string }[];
  greenChannelReason?: string | null;
  tendererOrgId?: string;
}

export interface ProjectPage {
  items: ProjectSummary[];
  nextCursor: string | null;
}

export function useProjects(query: { status?: string; overdue?: boolean; cursor?: string }) {
  return useQuery({
    queryKey: ['projects', query],
    queryFn: () => api.get<ProjectPage>('/api/projects', { ...query, limit: 50 }),
  });
}

export function useProject(id: string | undefined) {
  return useQuery({
    queryKey: ['project', id],
    enabled: !!id,
    queryFn: () => api.get<ProjectDetail>(`/api/projects/${encodeURIComponent(id!)}`),
  });
}

export const projectsApi = {
  create: (input: RegistrationInput) => api.post<{ id: string }>('/api/projects', input),
  update: (id: string, input: RegistrationInput) => api.put<unknown>(`/api/projects/${encodeURIComponent(id)}`, input),
  submit: (id: string) => api.post<unknown>(`/api/projects/${encodeURIComponent(id)}/submit`),
  accept: (id: string) => api.post<unknown>(`/api/projects/${encodeURIComponent(id)}/accept`),
  giveBack: (id: string, items: ReturnItem[]) => api.post<unknown>(`/api/projects/${encodeURIComponent(id)}/return`, { items }),
  supply: (id: string, code: string, fileId: string) => api.post<unknown>(`/api/projects/${encodeURIComponent(id)}/supply`, { code, fileId }),
  acceptGreen: (id: string, pending: { code: string; dueDate: string }[]) => api.post<unknown>(`/api/projects/${encodeURIComponent(id)}/accept-green`, { pending }),
};

/** Fields a return item may name besides material codes (intake.rules.ts FIELD_ITEM_CODES). */
export const FIELD_ITEMS: Record<string, { zh: string; en: string }> = {
  name: { zh: '项目名称', en: 'Project name' },
  catalogCode: { zh: '交易类别', en: 'Category' },
  procedureType: { zh: '交易方式', en: 'Procedure' },
  subject: { zh: '标的类型', en: 'Subject' },
  regionCode: { zh: '项目所在地区', en: 'Region' },
  estimateFen: { zh: '估算金额', en: 'Estimate' },
  lots: { zh: '标段（包）', en: 'Lots' },
  greenChannelReason: { zh: '绿色通道理由', en: 'Green-channel reason' },
};
