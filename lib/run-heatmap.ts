/**
 * The threshold heatmap as POST /api/backtest/heatmap serves it: load the shared series, compute
 * the grid, time it. Server side (reads market data); no `server-only` import so scripts can use it.
 */
import { computeHeatmap, type Heatmap } from './engine';
import { loadSeries } from './market-data';
import type { HeatmapRequest } from './schemas';

/** The grid plus the engine's wall time for the whole grid, ms. */
export interface HeatmapResult extends Heatmap {
  executionTime: number;
}

/**
 * Computes the heatmap for a validated request body (metric defaults to `returns`).
 * @throws NoDataInRangeError (422) when no bar with an FGI value lies in the window.
 * @throws MarketDataError (503) when the market data cannot be loaded.
 */
export async function computeThresholdHeatmap(request: HeatmapRequest): Promise<HeatmapResult> {
  const series = await loadSeries(request.asset, request.timeframe);
  const started = performance.now();
  const heatmap = computeHeatmap(series, request);
  return { ...heatmap, executionTime: performance.now() - started };
}
