import type { Asset, ClearScope } from '../schemas';
import { postJson } from './api';
import type { ClearResponse } from './api-types';

/** Route of SPEC §6 that removes cache entries. */
export const CACHE_CLEAR_URL = '/api/backtest/cache/clear';

/**
 * Clears the cache `scope` (optionally one asset only) with the admin token.
 * @throws ApiError with the server's message (401 without a valid token, 403 in production
 * without a configured token, 400 for a bad scope).
 */
export function clearCache(scope: ClearScope, asset: Asset | undefined, token: string): Promise<ClearResponse> {
  return postJson<ClearResponse>(CACHE_CLEAR_URL, asset ? { scope, asset } : { scope }, { token });
}
