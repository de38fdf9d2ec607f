/**
 * One backtest as the API and the scripts serve it: load the shared series, run the engine, and
 * add the run's bookkeeping (SPEC §4). On the request thread (a 90-day run takes tens of µs);
 * inside the background lane (warm-up items, see lib/worker-pool/background-lane.ts) a run of
 * POOL_MIN_BARS bars or more goes to the worker pool at `low` priority instead. Server side
 * (reads market data); no `server-only` import so scripts can use it.
 */
import { resolveWindow, runBacktest, type BacktestDetail, type BacktestResult } from './engine';
import type { MarketSeries } from './market-data/types';
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
 * Fewest bars a background-lane run must cover to be computed in the worker pool. A shorter one
 * runs on the calling thread: at ≈ 25 ns a bar it costs less than the hand-off to a worker and
 * back (≈ 100 µs of the calling thread's time and a wait behind the pool's queue). A 90-day run
 * is 540 bars on 4h (~15 µs), 2,160 on 1h; 8,640 on 15m, or a long dateRange, go to the pool.
 */
export const POOL_MIN_BARS = 4_000;

/** True when the run of `params` on `series` goes to the worker pool (see POOL_MIN_BARS). */
function runsInPool(series: MarketSeries, params: BacktestParams): boolean {
  if (!isInBackgroundLane()) return false;
  const { from, to } = resolveWindow(series, params.dateRange);
  return to - from >= POOL_MIN_BARS;
}

/**
 * Computes the backtest for validated `params`. `result.params` is `params` exactly as given,
 * `executionTime` the engine's wall time in ms (performance.now, series already in memory; for a
 * run in the worker pool it includes the wait for a worker), `timestamp` the Unix ms when computed.
 * @throws NoDataInRangeError (422) when no bar with an FGI value lies in the window.
 * @throws MarketDataError (503) when the market data cannot be loaded.
 */
export async function computeBacktest(
  params: BacktestParams,
  options: { detail?: boolean } = {},
): Promise<ComputedBacktest> {
  const series = await loadSeries(params.asset, params.timeframe);
  const started = performance.now();
  const { metrics, detail } = runsInPool(series, params)
    ? await runInPool('backtest', { series: sharedSeries(series), params, detail: options.detail }, { priority: 'low' })
    : runBacktest(series, params, { detail: options.detail });
  const executionTime = performance.now() - started;
  const result: BacktestResult = { ...metrics, executionTime, timestamp: Date.now(), params };
  const { dataVersion } = series;
  return detail ? { result, detail, dataVersion } : { result, dataVersion };
}
