/**
 * The threshold heatmap as POST /api/backtest/heatmap serves it: load the shared series, compute
 * the grid one row at a time, yielding the event loop between rows so execute requests are never
 * held up behind it, and keep the most recent grids in memory (identical requests share one
 * computation). Server side (reads market data); no `server-only` import so scripts can use it.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { HEATMAP_LOWS, planHeatmap, type Heatmap } from './engine';
import { loadSeries } from './market-data';
import type { HeatmapRequest } from './schemas';

/** The grid, the wall time of its computation (ms) and whether it came from memory. */
export interface HeatmapResult extends Heatmap {
  executionTime: number;
  cached: boolean;
}

/** Grids kept in memory: 99 × 99 numbers each (~80 KB of JSON), keyed by data version and request. */
const MAX_KEPT_HEATMAPS = 64;
const recent = new LRUCache<string, Promise<Omit<HeatmapResult, 'cached'>>>({ max: MAX_KEPT_HEATMAPS });

/**
 * Computes (or returns the kept) heatmap for a validated request body (metric defaults to `returns`).
 * @throws NoDataInRangeError (422) when no bar with an FGI value lies in the window.
 * @throws MarketDataError (503) when the market data cannot be loaded.
 */
export async function computeThresholdHeatmap(request: HeatmapRequest): Promise<HeatmapResult> {
  const series = await loadSeries(request.asset, request.timeframe);
  const { asset, timeframe, leverage, strategy, extremeLowThreshold, extremeHighThreshold, dateRange, metric = 'returns' } = request;
  const key = JSON.stringify([
    series.dataVersion, asset, timeframe, leverage, strategy,
    extremeLowThreshold ?? null, extremeHighThreshold ?? null, dateRange ?? null, metric,
  ]);
  const kept = recent.get(key);
  if (kept) return { ...(await kept), cached: true };
  const computing = (async () => {
    const started = performance.now();
    const { row, cell: _cell, ...plan } = planHeatmap(series, request);
    const values: Heatmap['values'] = [];
    for (const low of HEATMAP_LOWS) {
      values.push(row(low));
      await nextTurn();
    }
    return { ...plan, values, executionTime: performance.now() - started };
  })();
  recent.set(key, computing);
  computing.catch(() => recent.delete(key));
  return { ...(await computing), cached: false };
}
