import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, post, setCsrfToken, setUnauthenticatedHandler } from '../api/client';
import type { Me, Role } from '../api/types';

interface SessionValue {
  me: Me | null;
  /** False until the first /auth/me answered. */
  ready: boolean;
  /** Logs in, or answers the TOTP challenge to send back with a code (accounts with two-factor login). */
  login(email: string, password: string): Promise<{ challenge: string } | null>;
  loginWithTotp(challenge: string, code: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** The logged-in user (or none), from the session cookie; the CSRF token comes with it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const current = await get<Me>('/auth/me');
      setCsrfToken(current.csrfToken);
      setMe(current);
    } catch {
      setCsrfToken(null);
      setMe(null);
    } finally {
      setReady(true);
    }
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setMe(null);
    });
    void refresh();
    return () => setUnauthenticatedHandler(null);
  }, [refresh]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      ready,
      login: async (email, password) => {
        const res = await post<{ csrfToken: string } | { totpRequired: true; challenge: string }>(
          '/auth/login',
          {
            email,
            password,
          },
        );
        if ('totpRequired' in res) return { challenge: res.challenge };
        setCsrfToken(res.csrfToken);
        await refresh();
        return null;
      },
      loginWithTotp: async (challenge, code) => {
        const res = await post<{ csrfToken: string }>('/auth/login/totp', { challenge, code });
        setCsrfToken(res.csrfToken);
        await refresh();
      },
      logout: async () => {
        try {
          await post('/auth/logout', undefined);
        } finally {
          setCsrfToken(null);
          setMe(null);
        }
      },
    }),
    [me, ready, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The logged-in user on a page that is only reachable logged in. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}

export const STAFF: readonly Role[] = ['admin', 'manager', 'engineer', 'billing'];
export const RESPONDERS: readonly Role[] = ['admin', 'manager', 'engineer'];
export const PLANNERS: readonly Role[] = ['admin', 'manager'];

/** Where each role starts. */
export function homeOf(role: Role): string {
  if (role === 'customer') return '/portal';
  if (role === 'engineer') return '/my';
  if (role === 'billing') return '/reports';
  return '/board';
}
