/**
 * The threshold heatmap: every valid cell equals runBacktest's metric for those thresholds;
 * cells with low ≥ high are null. And POST /api/backtest/heatmap via a direct import.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { POST } from '../../app/api/backtest/heatmap/route';
import { computeHeatmap, planHeatmap, runBacktest } from '../../lib/engine';
import { loadSeries, type MarketSeries } from '../../lib/market-data';
import { HEATMAP_METRICS, type BacktestParams } from '../../lib/schemas';
import { syntheticSeries } from '../helpers/synthetic-series';

const SAMPLES = [
  [1, 2],
  [20, 80],
  [25, 75],
  [44, 56],
  [49, 50],
  [70, 71],
  [98, 100],
] as const;

let series: MarketSeries;
beforeAll(async () => {
  series = await loadSeries('SOL', '4h');
});

describe('cells that share a backtest (thresholds with the same FGI values on either side)', () => {
  it('every cell of a 30-day grid, with and without extreme thresholds, equals runBacktest', () => {
    // 30 days of 4h: the FGI takes a few dozen values, so most cells reuse another cell's backtest.
    const dateRange = { start: '2024-03-01', end: '2024-03-30' };
    for (const extremes of [{}, { extremeLowThreshold: 10, extremeHighThreshold: 85 }]) {
      const plan = planHeatmap(series, { leverage: 6, strategy: 'contrarian', dateRange, ...extremes });
      for (let low = 1; low <= 99; low++) {
        for (let high = low + 1; high <= 100; high++) {
          const cell = plan.cell(low, high);
          const outside = 'extremeLowThreshold' in extremes && (low < 10 || high > 85);
          if (outside) {
            expect(cell).toBeNull();
            continue;
          }
          const { metrics } = runBacktest(series, {
            asset: 'SOL', timeframe: '4h', leverage: 6, lowThreshold: low, highThreshold: high, strategy: 'contrarian', dateRange, ...extremes,
          });
          const expected = { returns: metrics.returns, sharpeRatio: metrics.sharpeRatio, maxDrawdown: metrics.maxDrawdown, calmarRatio: metrics.calmarRatio, trades: metrics.trades };
          expect({ ...cell }, `${low}/${high}`).toEqual(expected);
        }
      }
    }
  });

  it('tells apart thresholds that a non-integer FGI value lies between', () => {
    // FGI 20.5 on every bar: low 20 stays flat, low 21 buys; high 21 sells, high 20 too.
    const n = 40;
    const close = Array.from({ length: n }, (_, i) => 100 + i);
    const fgiSeries = syntheticSeries({ open: [100, ...close.slice(0, -1)], close, fgi: new Array(n).fill(20.5) });
    const plan = planHeatmap(fgiSeries, { leverage: 2, strategy: 'contrarian', dateRange: undefined });
    const run = (low: number, high: number) =>
      runBacktest(fgiSeries, { asset: fgiSeries.asset, timeframe: fgiSeries.timeframe, leverage: 2, lowThreshold: low, highThreshold: high, strategy: 'contrarian' }).metrics;
    for (const [low, high] of [[20, 30], [21, 30], [10, 21], [10, 20], [1, 100]] as const) {
      expect(plan.cell(low, high)!.returns, `${low}/${high}`).toBe(run(low, high).returns);
    }
    expect(plan.cell(20, 30)!.trades).toBe(0);
    expect(plan.cell(21, 30)!.trades).toBe(1);
  });
});

describe('computeHeatmap', () => {
  for (const metric of HEATMAP_METRICS) {
    it(`${metric}: sampled cells equal runBacktest`, () => {
      const dateRange = { start: '2024-01-01', end: '2024-06-30' };
      const heatmap = computeHeatmap(series, { leverage: 4, strategy: 'momentum', dateRange, metric });
      expect(heatmap.metric).toBe(metric);
      for (const [low, high] of SAMPLES) {
        const params: BacktestParams = {
          asset: 'SOL',
          timeframe: '4h',
          leverage: 4,
          lowThreshold: low,
          highThreshold: high,
          strategy: 'momentum',
          dateRange,
        };
        const { metrics } = runBacktest(series, params);
        const cell = heatmap.values[heatmap.lows.indexOf(low)][heatmap.highs.indexOf(high)];
        expect(cell, `${low}/${high}`).toBe(metrics[metric]);
        expect(heatmap.bars).toBe(metrics.bars);
        expect(heatmap.period).toEqual(metrics.period);
      }
    });
  }

  it('with extreme thresholds: cells equal runBacktest with them, null where they would be invalid', () => {
    const extremes = { extremeLowThreshold: 15, extremeHighThreshold: 85 };
    const heatmap = computeHeatmap(series, { leverage: 3, strategy: 'contrarian', ...extremes });
    const cell = (low: number, high: number) => heatmap.values[heatmap.lows.indexOf(low)][heatmap.highs.indexOf(high)];
    for (const [low, high] of [[20, 80], [15, 85], [40, 60]]) {
      const { metrics } = runBacktest(series, {
        asset: 'SOL', timeframe: '4h', leverage: 3, lowThreshold: low, highThreshold: high, strategy: 'contrarian', ...extremes,
      });
      expect(cell(low, high), `${low}/${high}`).toBe(metrics.returns);
    }
    expect(cell(10, 80)).toBeNull(); // low below extremeLow
    expect(cell(20, 90)).toBeNull(); // high above extremeHigh
    // 15..84 lows × their highs up to 85: Σ_{low=15}^{84} (85 − low) = 70·71/2 = 2485 cells
    expect(heatmap.values.flat().filter((v) => v !== null)).toHaveLength(2485);
  });

  it('covers low 1..99 × high 2..100 with null exactly where low ≥ high', () => {
    const { lows, highs, values, metric } = computeHeatmap(series, { leverage: 2, strategy: 'contrarian' });
    expect(metric).toBe('returns');
    expect(lows).toEqual(Array.from({ length: 99 }, (_, k) => k + 1));
    expect(highs).toEqual(Array.from({ length: 99 }, (_, k) => k + 2));
    let cells = 0;
    values.forEach((row, a) =>
      row.forEach((value, b) => {
        if (lows[a] >= highs[b]) expect(value).toBeNull();
        else {
          expect(Number.isFinite(value)).toBe(true);
          cells++;
        }
      }),
    );
    expect(cells).toBe(4950);
  });
});

describe('POST /api/backtest/heatmap', () => {
  const post = (body: unknown) =>
    POST(
      new Request('http://localhost/api/backtest/heatmap', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );

  it('returns the grid for a valid body', async () => {
    const response = await post({ asset: 'SOL', timeframe: '4h', leverage: 3, strategy: 'contrarian', metric: 'sharpeRatio' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['bars', 'cached', 'executionTime', 'highs', 'lows', 'metric', 'period', 'values']);
    expect(body.metric).toBe('sharpeRatio');
    expect(body.cached).toBe(false);
    expect(body.bars).toBe(540);
    expect(body.executionTime).toBeGreaterThan(0);
    const { metrics } = runBacktest(series, {
      asset: 'SOL',
      timeframe: '4h',
      leverage: 3,
      lowThreshold: 30,
      highThreshold: 70,
      strategy: 'contrarian',
    });
    expect(body.values[body.lows.indexOf(30)][body.highs.indexOf(70)]).toBe(metrics.sharpeRatio);
    expect(body.values[body.lows.indexOf(70)][body.highs.indexOf(30)]).toBeNull();
  });

  it('keeps the grid: an identical request is answered from memory with the same values', async () => {
    const body = { asset: 'ETH', timeframe: '4h', leverage: 2, strategy: 'momentum' };
    const first = await (await post(body)).json();
    const second = await (await post(body)).json();
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.values).toEqual(first.values);
    expect(second.executionTime).toBe(first.executionTime);
    // Another metric is another grid.
    expect((await (await post({ ...body, metric: 'maxDrawdown' })).json()).cached).toBe(false);
  });

  it('computes row by row, leaving the event loop free between rows', async () => {
    await loadSeries('BTC', '1h'); // loaded beforehand: only the computation runs below
    // Another task that wants a turn of the event loop again and again while the grid computes.
    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const response = await post({ asset: 'BTC', timeframe: '1h', leverage: 5, strategy: 'contrarian' });
    running = false;
    expect(response.status).toBe(200);
    // 99 rows with a turn after each; a one-pass computation would give it none.
    expect(turns).toBeGreaterThanOrEqual(90);
  });

  it('rejects extreme thresholds on momentum and alone, naming the field', async () => {
    const base = { asset: 'SOL', timeframe: '4h', leverage: 3 };
    const momentum = await post({ ...base, strategy: 'momentum', extremeLowThreshold: 10, extremeHighThreshold: 90 });
    expect(momentum.status).toBe(400);
    expect((await momentum.json()).error).toMatch(/^strategy: extreme thresholds apply to the contrarian strategy only/);
    const alone = await post({ ...base, strategy: 'contrarian', extremeLowThreshold: 10 });
    expect((await alone.json()).error).toMatch(/^extremeHighThreshold: /);
  });

  it('answers 400 naming the field for an invalid body', async () => {
    const response = await post({ asset: 'SOL', timeframe: '4h', leverage: 30, strategy: 'contrarian' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/^leverage: /);
  });

  it('answers 422 saying what exists when no data covers the range', async () => {
    const response = await post({
      asset: 'SOL',
      timeframe: '4h',
      leverage: 3,
      strategy: 'contrarian',
      dateRange: { start: '2015-01-01', end: '2015-12-31' },
    });
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatch(/Available: bars opening 2020-08-11/);
  });
});
