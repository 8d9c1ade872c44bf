// Announcement workbench API (apps/server/src/modules/announcements/announcements.routes.ts).
import { useQuery } from '@tanstack/react-query';
import type { DraftInput, WorkbenchAnnouncement } from '@yiwang/contracts';
import { api } from '../../lib/api';

export type { WorkbenchAnnouncement };

export type { DraftInput };

type One = { announcement: WorkbenchAnnouncement };

export function useWorkbenchAnnouncements(scope: 'mine' | 'review', status?: string) {
  return useQuery({
    queryKey: ['announcements', scope, status],
    queryFn: () => api.get<{ items: WorkbenchAnnouncement[]; nextCursor: string | null }>('/api/announcements', { scope, status, limit: 100 }),
  });
}

export function useWorkbenchAnnouncement(id: string | undefined) {
  return useQuery({
    queryKey: ['announcement', id],
    enabled: !!id,
    queryFn: async () => (await api.get<One>(`/api/announcements/${encodeURIComponent(id!)}`)).announcement,
  });
}

const path = (id: string, action = '') => `/api/announcements/${encodeURIComponent(id)}${action}`;

export const announcementsApi = {
  create: async (input: DraftInput) => (await api.post<One>('/api/announcements', input)).announcement,
  update: async (id: string, input: DraftInput) => (await api.put<One>(path(id), input)).announcement,
  submit: async (id: string) => (await api.post<One>(path(id, '/submit'))).announcement,
  approve: async (id: string) => (await api.post<One>(path(id, '/approve'))).announcement,
  reject: async (id: string, reason: string) => (await api.post<One>(path(id, '/reject'), { reason })).announcement,
};
