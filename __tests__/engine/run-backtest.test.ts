/**
 * computeBacktest (lib/backtest-service.ts): loads the shared series, adds the run's bookkeeping.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../lib/engine';
import { loadSeries } from '../../lib/market-data';
import { computeBacktest } from '../../lib/backtest-service';
import type { BacktestParams } from '../../lib/schemas';

const params: BacktestParams = {
  asset: 'ETH',
  timeframe: '1h',
  leverage: 4,
  lowThreshold: 30,
  highThreshold: 70,
  strategy: 'momentum',
  dateRange: { start: '2024-03-01', end: '2024-05-31' },
};

describe('computeBacktest', () => {
  it('returns the engine metrics plus executionTime, timestamp, the given params and the data version', async () => {
    const before = Date.now();
    const { result, detail, dataVersion } = await computeBacktest(params);
    const series = await loadSeries('ETH', '1h');
    const { metrics } = runBacktest(series, params);
    const { executionTime, timestamp, params: echoed, ...rest } = result;
    expect(rest).toEqual(metrics);
    expect(echoed).toBe(params);
    expect(executionTime).toBeGreaterThan(0);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
    expect(dataVersion).toBe(series.dataVersion);
    expect(detail).toBeUndefined();
  });

  it('adds the chart detail when asked', async () => {
    const { result, detail } = await computeBacktest(params, { detail: true });
    expect(detail!.trades).toHaveLength(result.trades);
    expect(detail!.points.length).toBeLessThanOrEqual(600);
  });
});
