/**
 * The one-pass metrics (running sums folded into the simulation) against the readable kernels of
 * metrics.ts applied to the recorded equity curve: the same numbers to 1e-9 relative on every
 * golden window and on random params over every real series (with the real series' funding and
 * with made-up funding). And the heatmap's cell() / row() against runBacktest.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONFIG,
  computeMetrics,
  planHeatmap,
  resolveWindow,
  runBacktest,
  simulate,
  type BacktestMetrics,
} from '../../lib/engine';
import { barsPerYear, calmarRatio, maxDrawdown, sharpeRatio, sortinoRatio, totalReturn } from '../../lib/engine/metrics';
import { loadSeries, type MarketSeries } from '../../lib/market-data';
import { ASSETS, TIMEFRAMES, type BacktestParams } from '../../lib/schemas';
import { syntheticSeries } from '../helpers/synthetic-series';
import { GOLDEN_CASES } from './golden-cases';
import { randomCase } from './random-params';

const { capital } = DEFAULT_ENGINE_CONFIG;
const seriesBy = new Map<string, MarketSeries>();

beforeAll(async () => {
  for (const asset of ASSETS) {
    for (const timeframe of TIMEFRAMES) seriesBy.set(`${asset} ${timeframe}`, await loadSeries(asset, timeframe));
  }
});

/** |a − b| ≤ 1e-9 × max(|a|, |b|), or both null. */
function expectRelative(actual: number | null, reference: number | null, label: string): void {
  if (reference === null || actual === null) {
    expect(actual, label).toBe(reference);
    return;
  }
  const scale = Math.max(Math.abs(actual), Math.abs(reference));
  expect(Math.abs(actual - reference), `${label}: ${actual} vs ${reference}`).toBeLessThanOrEqual(1e-9 * scale);
}

/** Runs `params` once, then checks its one-pass equity metrics against the kernels on its equity curve. */
function checkAgainstKernels(series: MarketSeries, params: BacktestParams): BacktestMetrics {
  const window = resolveWindow(series, params.dateRange);
  const record = simulate(series, window, params, DEFAULT_ENGINE_CONFIG, { recordEquity: true });
  const metrics = computeMetrics(record, series, DEFAULT_ENGINE_CONFIG);
  const equity = record.equity!;
  const B = barsPerYear(series.intervalMs);
  const drawdown = maxDrawdown(equity, capital);
  const label = JSON.stringify(params);
  expect(metrics.finalEquity, label).toBe(equity[equity.length - 1]);
  expectRelative(metrics.returns, totalReturn(equity[equity.length - 1], capital), `${label} returns`);
  expectRelative(metrics.maxDrawdown, drawdown, `${label} maxDrawdown`);
  expectRelative(metrics.sharpeRatio, sharpeRatio(equity, capital, B), `${label} sharpeRatio`);
  expectRelative(metrics.sortinoRatio, sortinoRatio(equity, capital, B), `${label} sortinoRatio`);
  expectRelative(
    metrics.calmarRatio,
    calmarRatio(equity[equity.length - 1], capital, equity.length, B, drawdown),
    `${label} calmarRatio`,
  );
  // The run without recording gives the very same metrics.
  expect(runBacktest(series, params).metrics, label).toEqual(metrics);
  return metrics;
}

describe('one-pass metrics equal the kernels', () => {
  it('on every golden window', () => {
    for (const params of GOLDEN_CASES) checkAgainstKernels(seriesBy.get(`${params.asset} ${params.timeframe}`)!, params);
  });

  it('on random params over every series, also with made-up funding', () => {
    const all = [...seriesBy.values()];
    fc.assert(
      fc.property(randomCase(all), fc.integer({ min: 0, max: 2 }), ({ series, params }, funding) => {
        // 0: the series as loaded; 1: ±0.3 % waves; 2: a constant drain (every r nearly equal).
        const rate = [null, (i: number) => 0.003 * Math.sin(i / 25), () => 0.0004][funding];
        const used = rate ? { ...series, fundingRate: Float64Array.from(series.fundingRate, (_, i) => rate(i)) } : series;
        checkAgainstKernels(used, params);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('when every bar return is the same (a long at a constant price paying constant funding)', () => {
    // Price 100 throughout, long 1× from bar1: every held bar loses the same funding, so the
    // r_i are nearly equal and std ≪ |mean|, where the textbook Σr² − (Σr)²/n breaks down.
    const n = 2_000;
    const series = syntheticSeries({
      open: new Array(n).fill(100),
      close: new Array(n).fill(100),
      fgi: new Array(n).fill(20),
      fundingRate: new Array(n).fill(0.0001),
    });
    const metrics = checkAgainstKernels(series, {
      asset: 'ETH', timeframe: '4h', leverage: 1, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian',
    });
    expect(metrics.sharpeRatio).toBeLessThan(-100);
  });
});

describe('heatmap cells equal runBacktest', () => {
  it('cell() and row() give runBacktest’s metrics for the same thresholds', () => {
    const cases = [
      { series: seriesBy.get('ETH 1h')!, leverage: 5, strategy: 'contrarian' as const, dateRange: { start: '2021-01-01', end: '2021-12-31' } },
      { series: seriesBy.get('SOL 4h')!, leverage: 12, strategy: 'momentum' as const, dateRange: undefined },
      { series: seriesBy.get('BTC 15m')!, leverage: 3, strategy: 'contrarian' as const, dateRange: undefined, extremeLowThreshold: 10, extremeHighThreshold: 90 },
    ];
    for (const { series, dateRange, ...fixed } of cases) {
      const extremes = 'extremeLowThreshold' in fixed ? fixed : {};
      const base = { leverage: fixed.leverage, strategy: fixed.strategy, ...(dateRange ? { dateRange } : {}) };
      const plan = planHeatmap(series, { ...base, ...extremes });
      const sharpePlan = planHeatmap(series, { ...base, ...extremes, metric: 'sharpeRatio' });
      const drawdownPlan = planHeatmap(series, { ...base, ...extremes, metric: 'maxDrawdown' });
      for (const low of [12, 25, 44]) {
        const rows = [plan.row(low), sharpePlan.row(low), drawdownPlan.row(low)];
        for (const high of [50, 56, 75, 90]) {
          const params: BacktestParams = {
            asset: series.asset, timeframe: series.timeframe, lowThreshold: low, highThreshold: high, ...base, ...extremes,
          };
          const { metrics } = runBacktest(series, params);
          const cell = plan.cell(low, high);
          const label = JSON.stringify(params);
          expect(cell, label).toEqual({
            returns: metrics.returns,
            sharpeRatio: metrics.sharpeRatio,
            maxDrawdown: metrics.maxDrawdown,
            calmarRatio: metrics.calmarRatio,
            trades: metrics.trades,
          });
          const column = plan.highs.indexOf(high);
          expect(rows.map((row) => row[column]), label).toEqual([metrics.returns, metrics.sharpeRatio, metrics.maxDrawdown]);
        }
      }
      expect(plan.cell(60, 40)).toBeNull();
    }
  });

  it('cell() reuses one object: copy what you keep', () => {
    const plan = planHeatmap(seriesBy.get('ETH 4h')!, { leverage: 2, strategy: 'contrarian' });
    const first = plan.cell(20, 80);
    const kept = { ...first! };
    const second = plan.cell(40, 60);
    expect(second).toBe(first);
    expect(second).not.toEqual(kept);
  });
});
