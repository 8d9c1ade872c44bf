import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActorView, Role } from '@yiwang/contracts';
import { api, setCsrfToken } from '../api';
import { ApiError } from '../problem';

/** The server's view of the second factor of this session (apps/server/src/platform/auth/totp.ts). */
export type SecondFactor = 'ok' | 'verify_required' | 'enrolment_required' | 'not_required';

export interface Session {
  actor: ActorView;
  csrfToken: string;
  secondFactor?: SecondFactor;
}

export function secondFactorPending(s: Pick<Session, 'secondFactor'> | null | undefined): 'verify' | 'enrol' | null {
  if (s?.secondFactor === 'verify_required') return 'verify';
  if (s?.secondFactor === 'enrolment_required') return 'enrol';
  return null;
}

interface Auth {
  /** The signed-in account, once any second factor is done. */
  actor: ActorView | null;
  /** Signed in with a password but the second factor is still owed. */
  pending: 'verify' | 'enrol' | null;
  roles: Role[];
  loading: boolean;
  /** Record a session that a login or second-factor call returned. */
  signedIn: (session: Session) => void;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const Ctx = createContext<Auth | null>(null);
export const ME_KEY = ['auth', 'me'] as const;

async function fetchMe(): Promise<Session | null> {
  try {
    return await api.get<Session>('/api/auth/me', undefined, { quiet401: true });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return null;
    throw e;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
  const session = me.data ?? null;
  useEffect(() => setCsrfToken(session?.csrfToken ?? null), [session?.csrfToken]);

  const signedIn = useCallback(
    (s: Session) => {
      setCsrfToken(s.csrfToken);
      qc.setQueryData(ME_KEY, s);
    },
    [qc],
  );
  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout', undefined, { quiet401: true });
    } finally {
      setCsrfToken(null);
      qc.setQueryData(ME_KEY, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' && q.queryKey[0] !== 'portal' });
    }
  }, [qc]);
  const refresh = useCallback(async () => {
    await qc.invalidateQueries({ queryKey: ME_KEY });
  }, [qc]);

  const pending = secondFactorPending(session);
  const value = useMemo<Auth>(
    () => ({
      actor: pending ? null : (session?.actor ?? null),
      pending,
      roles: pending ? [] : (session?.actor.roles ?? []).map((r) => r.role),
      loading: me.isPending,
      signedIn,
      logout,
      refresh,
    }),
    [session, pending, me.isPending, signedIn, logout, refresh],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
