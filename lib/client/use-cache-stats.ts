import useSWR from 'swr';
import { getJson, type ApiError } from './api';
import type { CacheInfo, CacheStats } from './api-types';

/** Route of SPEC §6 with the measured cache statistics. */
export const CACHE_STATS_URL = '/api/backtest/cache/stats';
/** Route of SPEC §6 with the cache contents (reads every entry: polled less often). */
export const CACHE_INFO_URL = '/api/backtest/cache';
/** How often the cache panel refreshes its statistics, ms. */
export const CACHE_STATS_POLL_MS = 5_000;
/** How often the cache panel refreshes the contents (stale count), ms. */
export const CACHE_INFO_POLL_MS = 30_000;

/** Cache statistics (`GET /api/backtest/cache/stats`), polled every 5 s with swr. */
export function useCacheStats() {
  return useSWR<CacheStats, ApiError>(CACHE_STATS_URL, getJson, { refreshInterval: CACHE_STATS_POLL_MS });
}

/** Cache contents (`GET /api/backtest/cache`), polled every 30 s with swr. */
export function useCacheInfo() {
  return useSWR<CacheInfo, ApiError>(CACHE_INFO_URL, getJson, { refreshInterval: CACHE_INFO_POLL_MS });
}
