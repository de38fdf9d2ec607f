/**
 * What a golden file holds for one case: the engine and data versions, the params, the full
 * metrics and the first trades. Shared by update-golden.ts (writes) and golden.test.ts (compares).
 */
import { ENGINE_VERSION, runBacktest, type BacktestMetrics, type Trade } from '../../lib/engine';
import { loadSeries } from '../../lib/market-data';
import type { BacktestParams } from '../../lib/schemas';

export interface GoldenResult {
  engineVersion: string;
  dataVersion: string;
  params: BacktestParams;
  metrics: BacktestMetrics;
  firstTrades: Trade[];
}

/** Runs `params` on the real data with the current engine. */
export async function goldenResult(params: BacktestParams): Promise<GoldenResult> {
  const series = await loadSeries(params.asset, params.timeframe);
  const { metrics, detail } = runBacktest(series, params, { detail: true });
  return {
    engineVersion: ENGINE_VERSION,
    dataVersion: series.dataVersion,
    params,
    metrics,
    firstTrades: detail!.trades.slice(0, 3),
  };
}
