/**
 * The key order of computed metrics is part of their shape: cached results are compared as JSON
 * text (HTTP single-flight tests), and the cache re-keys what it reads in the order of its
 * schema (lib/cache/entry.ts `resultShape`; lib/walk-forward/result-schema.ts). So a computed
 * backtest result, the trade statistics of one kernel (tradeMetrics) placed by computeMetrics
 * and by the walk-forward chain, and a walk-forward result read back must keep the order of
 * those schemas exactly.
 */
import { describe, expect, it } from 'vitest';
import { computeBacktest } from '@/lib/backtest-service';
import { newEntry, validateEntry } from '@/lib/cache/entry';
import { cacheKey } from '@/lib/cache/key';
import { ENGINE_VERSION, runBacktest, type BacktestResult } from '@/lib/engine';
import { tradeMetrics } from '@/lib/engine/metrics';
import { loadSeries } from '@/lib/market-data';
import { walkForwardRequestSchema, type BacktestParams } from '@/lib/schemas';
import { walkForwardInput } from '@/lib/walk-forward/plan';
import { walkForwardResultSchema } from '@/lib/walk-forward/result-schema';
import { computeWalkForward } from '@/lib/walk-forward/run';

/** The fields of resultShape (lib/cache/entry.ts) in its order, as a stored BacktestResult holds them. */
const RESULT_SHAPE_ORDER = [
  'returns', 'maxDrawdown', 'sharpeRatio', 'sortinoRatio', 'calmarRatio', 'trades', 'winRate', 'profitFactor',
  'avgWin', 'avgLoss', 'fees', 'funding', 'fundingCoverage', 'liquidated', 'liquidations', 'exposure',
  'buyAndHoldReturn', 'overrides', 'bars', 'finalEquity', 'period', 'executionTime', 'timestamp', 'params',
];
const METRICS_ORDER = RESULT_SHAPE_ORDER.slice(0, RESULT_SHAPE_ORDER.indexOf('executionTime'));

// 10× over 2021–2022 liquidates, so every trade statistic (liquidations included) is non-trivial.
const PARAMS: BacktestParams = {
  asset: 'ETH', timeframe: '4h', leverage: 10, lowThreshold: 30, highThreshold: 70, strategy: 'momentum',
  dateRange: { start: '2021-01-01', end: '2022-12-31' },
};

/** What a cache read serves for `result`: its stored entry's JSON text, validated (zod re-keys it in resultShape's order). */
function readBack(result: BacktestResult): unknown {
  const key = cacheKey(result.params);
  const entry = newEntry({ key, result, tier: 'temporary', now: 1, engineVersion: ENGINE_VERSION, dataVersion: 'synthetic' });
  return validateEntry(JSON.parse(JSON.stringify(entry)), key).result;
}

describe('key order of computed metrics', () => {
  it('a computed backtest result has resultShape’s order and reads back from the cache as the same JSON text', async () => {
    const { result } = await computeBacktest(PARAMS);
    expect(result.liquidations).toBeGreaterThan(0);
    expect(result.profitFactor).not.toBeNull();
    expect(Object.keys(result)).toEqual(RESULT_SHAPE_ORDER);
    expect(JSON.stringify(readBack(result))).toBe(JSON.stringify(result));
  });

  it('tradeMetrics gives computeMetrics’ trade statistics; the callers place them in BacktestMetrics’ order', async () => {
    const series = await loadSeries('ETH', '4h');
    const { metrics } = runBacktest(series, PARAMS);
    expect(Object.keys(metrics)).toEqual(METRICS_ORDER);
    const tally = {
      count: 4, wins: 1, losses: 2, grossProfit: 30, grossLoss: -10, winReturnSum: 12, lossReturnSum: -8, fees: 1.5, funding: -0.25, liquidations: 1,
    };
    expect(tradeMetrics(tally)).toEqual({
      trades: 4, winRate: 25, profitFactor: 3, avgWin: 12, avgLoss: -4, fees: 1.5, funding: -0.25, liquidated: true, liquidations: 1,
    });
    expect(tradeMetrics({ ...tally, count: 0, wins: 0, losses: 0, liquidations: 0 })).toMatchObject({
      winRate: 0, profitFactor: null, avgWin: 0, avgLoss: 0, liquidated: false,
    });
  });

  it('a walk-forward result keeps the metrics order everywhere and reads back from its schema as the same JSON text', async () => {
    const series = await loadSeries('ETH', '4h');
    const input = walkForwardInput(
      walkForwardRequestSchema.parse({
        asset: 'ETH', timeframe: '4h', leverage: 10, strategy: 'momentum', trainDays: 90, testDays: 90,
        dateRange: { start: '2021-01-01', end: '2021-12-31' },
      }),
    );
    const result = await computeWalkForward(series, input);
    expect(Object.keys(result.metrics)).toEqual(METRICS_ORDER);
    expect(result.metrics.trades).toBeGreaterThan(0);
    for (const step of result.steps) if (step.testMetrics) expect(Object.keys(step.testMetrics)).toEqual(METRICS_ORDER);
    expect(Object.keys(result.hindsight!.metrics)).toEqual(METRICS_ORDER);
    const text = JSON.stringify(result);
    expect(JSON.stringify(walkForwardResultSchema.parse(JSON.parse(text)))).toBe(text);
  }, 60_000);
});

