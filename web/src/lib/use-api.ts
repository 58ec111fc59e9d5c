import { useCallback, useEffect, useState } from 'react';
import { ApiError, get } from '../api/client';

/** GET a resource; `reload` fetches it again (after a change, or on a server-sent event). */
export function useApi<T>(path: string | null): {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
} {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const reload = useCallback(async () => {
    if (path === null) return;
    try {
      setData(await get<T>(path));
      setError(undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }));
    } finally {
      setLoading(false);
    }
  }, [path]);
  useEffect(() => {
    setLoading(path !== null);
    void reload();
  }, [reload, path]);
  return { data, error, loading, reload };
}
