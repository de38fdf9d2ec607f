import useSWR from 'swr';
import type { HeatmapRequest } from '../schemas';
import { postJson, type ApiError } from './api';
import type { HeatmapResponse } from './api-types';

/** Route of SPEC §6 that computes the threshold grid. */
export const HEATMAP_URL = '/api/backtest/heatmap';

const fetchHeatmap = ([url, body]: readonly [string, string]) => postJson<HeatmapResponse>(url, JSON.parse(body));

/**
 * The threshold heatmap for `request` (`POST /api/backtest/heatmap`). The previous grid stays
 * while the next one loads (swr keepPreviousData); swr only returns the answer for the current
 * request, so a late answer for an older one never shows. Pass null to fetch nothing.
 */
export function useHeatmap(request: HeatmapRequest | null) {
  const key = request ? ([HEATMAP_URL, JSON.stringify(request)] as const) : null;
  return useSWR<HeatmapResponse, ApiError>(key, fetchHeatmap, {
    keepPreviousData: true,
    revalidateOnFocus: false,
    revalidateIfStale: false,
  });
}
