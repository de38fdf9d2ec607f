/**
 * computeBacktest (lib/backtest-service.ts) inside the background lane: a window shorter than
 * POOL_MIN_BARS runs on the calling thread (the hand-off to a worker would cost more than the
 * run), a longer one in the process-wide worker pool; both give the engine's metrics.
 */
import { describe, expect, it } from 'vitest';
import { computeBacktest, POOL_MIN_BARS } from '@/lib/backtest-service';
import { resolveWindow, runBacktest } from '@/lib/engine';
import { loadSeries } from '@/lib/market-data';
import type { BacktestParams } from '@/lib/schemas';
import { getWorkerPool, inBackgroundLane } from '@/lib/worker-pool';
import { ETH_4H_PARAMS } from '../helpers/params';

/** Bars of the window `params` runs over. */
async function barsOf(params: BacktestParams): Promise<number> {
  const { from, to } = resolveWindow(await loadSeries(params.asset, params.timeframe), params.dateRange);
  return to - from;
}

/** Everything but the run's own bookkeeping (wall time, clock). */
function metricsOf(result: { executionTime: number; timestamp: number; params: BacktestParams }) {
  const { executionTime, timestamp, params, ...metrics } = result;
  void [executionTime, timestamp, params];
  return metrics;
}

describe('computeBacktest in the background lane', () => {
  it('runs a short window on the calling thread and a long one in the worker pool, with the engine’s metrics', async () => {
    const pool = getWorkerPool();
    const long: BacktestParams = { ...ETH_4H_PARAMS, timeframe: '1h', dateRange: { start: '2022-01-01', end: '2023-12-31' } };
    expect(await barsOf(ETH_4H_PARAMS)).toBeLessThan(POOL_MIN_BARS);
    expect(await barsOf(long)).toBeGreaterThanOrEqual(POOL_MIN_BARS);

    const before = pool.stats().completed;
    const short = await inBackgroundLane(() => computeBacktest(ETH_4H_PARAMS));
    expect(pool.stats().completed).toBe(before);
    expect(metricsOf(short.result)).toEqual(runBacktest(await loadSeries('ETH', '4h'), ETH_4H_PARAMS).metrics);

    const pooled = await inBackgroundLane(() => computeBacktest(long));
    expect(pool.stats().completed).toBe(before + 1);
    expect(metricsOf(pooled.result)).toEqual(runBacktest(await loadSeries('ETH', '1h'), long).metrics);
  });
});
