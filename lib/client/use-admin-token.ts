import { useCallback, useEffect, useState } from 'react';

/** sessionStorage key of the cache admin token (gone when the tab closes). */
export const ADMIN_TOKEN_KEY = 'split-sea.admin-token';

/**
 * The cache admin token (sent as `Authorization: Bearer` to clear and warm-cache), kept in
 * sessionStorage. Starts empty on the server render and is read after mount.
 */
export function useAdminToken(): [token: string, setToken: (token: string) => void] {
  const [token, setTokenState] = useState('');
  useEffect(() => {
    setTokenState(window.sessionStorage.getItem(ADMIN_TOKEN_KEY) ?? '');
  }, []);
  const setToken = useCallback((next: string) => {
    setTokenState(next);
    if (next) window.sessionStorage.setItem(ADMIN_TOKEN_KEY, next);
    else window.sessionStorage.removeItem(ADMIN_TOKEN_KEY);
  }, []);
  return [token, setToken];
}
