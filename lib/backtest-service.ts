/**
 * One backtest as the API and the scripts serve it: load the shared series, run the engine, and
 * add the run's bookkeeping (SPEC §4). On the request thread (a 90-day run takes tens of µs), or
 * in the worker pool at `low` priority inside the background lane (warm-up items, see
 * lib/worker-pool/background-lane.ts). Server side (reads market data); no `server-only` import
 * so scripts can use it.
 */
import { runBacktest, type BacktestDetail, type BacktestResult } from './engine';
import { loadSeries } from './market-data';
import type { BacktestParams } from './schemas';
import { isInBackgroundLane, runInPool, sharedSeries } from './worker-pool';

/** A computed result with the chart detail when asked and the version of the data it came from. */
export interface ComputedBacktest {
  result: BacktestResult;
  detail?: BacktestDetail;
  /** MarketSeries.dataVersion of the series the result was computed from. */
  dataVersion: string;
}

/**
 * Computes the backtest for validated `params`. `result.params` is `params` exactly as given,
 * `executionTime` the engine's wall time in ms (performance.now, series already in memory; in
 * the background lane it includes the wait for a worker), `timestamp` the Unix ms when computed.
 * @throws NoDataInRangeError (422) when no bar with an FGI value lies in the window.
 * @throws MarketDataError (503) when the market data cannot be loaded.
 */
export async function computeBacktest(
  params: BacktestParams,
  options: { detail?: boolean } = {},
): Promise<ComputedBacktest> {
  const series = await loadSeries(params.asset, params.timeframe);
  const started = performance.now();
  const { metrics, detail } = isInBackgroundLane()
    ? await runInPool('backtest', { series: sharedSeries(series), params, detail: options.detail }, { priority: 'low' })
    : runBacktest(series, params, { detail: options.detail });
  const executionTime = performance.now() - started;
  const result: BacktestResult = { ...metrics, executionTime, timestamp: Date.now(), params };
  const { dataVersion } = series;
  return detail ? { result, detail, dataVersion } : { result, dataVersion };
}
