/**
 * Invariants of the engine over the real market data (all assets × timeframes, both strategies,
 * several leverages and thresholds, the default window and calendar-year windows, and random
 * params drawn by fast-check): accounting, equity ≥ 0, every number finite, no look-ahead in the
 * FGI or in funding.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONFIG,
  resolveWindow,
  runBacktest,
  simulate,
  type BacktestMetrics,
  type Trade,
} from '../../lib/engine';
import { loadFgi, loadSeries, type FgiSeries, type MarketSeries } from '../../lib/market-data';
import { ASSETS, STRATEGIES, TIMEFRAMES, type BacktestParams, type DateRange } from '../../lib/schemas';
import { randomCase } from './random-params';

const { capital } = DEFAULT_ENGINE_CONFIG;
const LEVERAGES = [1, 3, 10];
const THRESHOLDS = [
  [25, 75],
  [45, 55],
  [10, 90],
] as const;
/** Calendar-year windows per timeframe (15m data covers about one year, 2024-12 to 2025-11). */
const YEARS: Record<string, DateRange[]> = {
  '15m': [{ start: '2025-01-01', end: '2025-12-31' }],
  '1h': ['2021', '2022', '2024'].map((y) => ({ start: `${y}-01-01`, end: `${y}-12-31` })),
  '4h': ['2021', '2023', '2025'].map((y) => ({ start: `${y}-01-01`, end: `${y}-12-31` })),
};

const seriesBy = new Map<string, MarketSeries>();
let fgi: FgiSeries;

beforeAll(async () => {
  for (const asset of ASSETS) {
    for (const timeframe of TIMEFRAMES) seriesBy.set(`${asset} ${timeframe}`, await loadSeries(asset, timeframe));
  }
  fgi = await loadFgi();
});

function eachCase(): { series: MarketSeries; params: BacktestParams }[] {
  const cases: { series: MarketSeries; params: BacktestParams }[] = [];
  for (const series of seriesBy.values()) {
    for (const dateRange of [undefined, ...YEARS[series.timeframe]]) {
      for (const strategy of STRATEGIES) {
        for (const leverage of LEVERAGES) {
          for (const [lowThreshold, highThreshold] of THRESHOLDS) {
            const params: BacktestParams = {
              asset: series.asset,
              timeframe: series.timeframe,
              leverage,
              lowThreshold,
              highThreshold,
              strategy,
              ...(dateRange ? { dateRange } : {}),
            };
            cases.push({ series, params });
            if (strategy === 'contrarian' && lowThreshold === 25) {
              cases.push({ series, params: { ...params, extremeLowThreshold: 12, extremeHighThreshold: 85 } });
            }
          }
        }
      }
    }
  }
  return cases;
}

const sum = (trades: Trade[], pick: (t: Trade) => number) => trades.reduce((a, t) => a + pick(t), 0);

describe('accounting over the real data', () => {
  it('final equity = capital + Σ trade PnL; fees ≥ 0; rates within 0–100 %', () => {
    const cases = eachCase();
    expect(cases.length).toBeGreaterThan(500);
    for (const { series, params } of cases) {
      const label = JSON.stringify(params);
      const { metrics, detail } = runBacktest(series, params, { detail: true });
      const trades = detail!.trades;
      expect(metrics.finalEquity, label).toBeCloseTo(capital + sum(trades, (t) => t.pnl), 6);
      expect(metrics.fees, label).toBeCloseTo(sum(trades, (t) => t.fees), 6);
      expect(metrics.funding, label).toBeCloseTo(sum(trades, (t) => t.funding), 6);
      expect(metrics.trades, label).toBe(trades.length);
      expect(metrics.liquidations, label).toBe(trades.filter((t) => t.exitReason === 'liquidation').length);
      expect(trades.every((t) => t.fees > 0 && t.margin > 0 && t.quantity > 0), label).toBe(true);
      expect(metrics.fees, label).toBeGreaterThanOrEqual(0);
      for (const key of ['winRate', 'exposure'] as const) {
        expect(metrics[key], `${label} ${key}`).toBeGreaterThanOrEqual(0);
        expect(metrics[key], `${label} ${key}`).toBeLessThanOrEqual(100);
      }
      expect(metrics.maxDrawdown, label).toBeGreaterThanOrEqual(0);
      expect(metrics.returns, label).toBeGreaterThanOrEqual(-100);
      expect(metrics.fundingCoverage, label).toBeGreaterThanOrEqual(0);
      expect(metrics.fundingCoverage, label).toBeLessThanOrEqual(100);
      expect(allFinite(metrics), label).toBe(true);
      expect(detail!.points.length, label).toBeLessThanOrEqual(DEFAULT_ENGINE_CONFIG.maxDetailPoints);
    }
  });

  it('calendar-year windows start at the first bar of the year', () => {
    const series = seriesBy.get('ETH 4h')!;
    const { metrics } = runBacktest(series, {
      asset: 'ETH',
      timeframe: '4h',
      leverage: 2,
      lowThreshold: 25,
      highThreshold: 75,
      strategy: 'contrarian',
      dateRange: { start: '2023-01-01', end: '2023-12-31' },
    });
    expect(metrics.period).toEqual({ start: '2023-01-01T00:00:00.000Z', end: '2024-01-01T00:00:00.000Z' });
    // 365 days × 6 bars, less any missing bars of 2023.
    const missing = series.gaps
      .filter((g) => g.from >= Date.UTC(2023, 0, 1) && g.to < Date.UTC(2024, 0, 1))
      .reduce((a, g) => a + g.bars, 0);
    expect(metrics.bars).toBe(365 * 6 - missing);
  });
});

function allFinite(metrics: BacktestMetrics): boolean {
  return Object.values(metrics).every((v) => typeof v !== 'number' || Number.isFinite(v));
}

/** The series with a made-up funding history: rate(i) per bar, NaN where it returns NaN. */
function withFunding(series: MarketSeries, rate: (i: number) => number): MarketSeries {
  return { ...series, fundingRate: Float64Array.from(series.fundingRate, (_, i) => rate(i)) };
}

describe('equity never below 0, every number finite', () => {
  it('over random params on every series, with fixed and with violent made-up funding', () => {
    // Made-up funding: ±0.5 % per bar in 40-bar waves with holes (NaN → fixed rate): far worse
    // than any real history, so wallets drain and funding liquidations happen.
    const wave = (i: number) => (i % 97 < 7 ? Number.NaN : 0.005 * Math.sin(i / 40));
    const all = [...seriesBy.values()];
    const variants = all.flatMap((series) => [series, withFunding(series, wave)]);
    fc.assert(
      fc.property(randomCase(all), fc.boolean(), ({ series, params }, violent) => {
        const used = violent ? variants[all.indexOf(series) * 2 + 1] : series;
        const window = resolveWindow(used, params.dateRange);
        const record = simulate(used, window, params, DEFAULT_ENGINE_CONFIG, { recordEquity: true, recordTrades: true });
        const { metrics } = runBacktest(used, params);
        const label = JSON.stringify({ ...params, violent });
        expect(record.equity!.every((e) => e >= 0), label).toBe(true);
        expect(metrics.returns, label).toBeGreaterThanOrEqual(-100);
        expect(metrics.finalEquity, label).toBeGreaterThanOrEqual(0);
        expect(allFinite(metrics), label).toBe(true);
        expect(metrics.finalEquity, label).toBeCloseTo(capital + sum(record.trades!, (t) => t.pnl), 6);
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe('point-in-time funding', () => {
  it('no equity depends on a funding rate settled after its bar closed', () => {
    // fundingRate[i] is settled within bar i (open < T ≤ close). Replacing every rate after bar
    // k (by another rate, or NaN = the fixed rate) cannot change the equity at closes 0..k.
    const series = withFunding(seriesBy.get('SOL 4h')!, (i) => 0.0001 * (1 + (i % 5)));
    for (const params of [
      { leverage: 10, lowThreshold: 40, highThreshold: 60, strategy: 'contrarian' },
      { leverage: 3, lowThreshold: 30, highThreshold: 70, strategy: 'momentum' },
    ] as const) {
      const window = resolveWindow(series, { start: '2022-01-01', end: '2022-12-31' });
      const base = simulate(series, window, params, DEFAULT_ENGINE_CONFIG, { recordEquity: true }).equity!;
      for (const k of [window.from + 10, window.from + 700, window.to - 5]) {
        for (const future of [0.02, -0.02, Number.NaN]) {
          const changed = withFunding(series, (i) => (i > k ? future : series.fundingRate[i]));
          const equity = simulate(changed, window, params, DEFAULT_ENGINE_CONFIG, { recordEquity: true }).equity!;
          const kept = k + 1 - window.from;
          expect(Array.from(equity.subarray(0, kept))).toEqual(Array.from(base.subarray(0, kept)));
          // …and the changed rates do change the later equity (the test can fail).
          if (future !== 0.02 || k !== window.from + 10) continue;
          expect(Array.from(equity.subarray(kept))).not.toEqual(Array.from(base.subarray(kept)));
        }
      }
    }
  });
});

describe('point-in-time FGI', () => {
  it('each bar carries the FGI of the latest day that began at or before its close', () => {
    for (const series of seriesBy.values()) {
      const { from, to } = resolveWindow(series);
      for (let i = from; i < to; i++) {
        const closeTime = series.openTime[i] + series.intervalMs;
        let d = fgi.day.length - 1;
        while (d >= 0 && fgi.day[d] > closeTime) d--;
        expect(series.fgi[i], `${series.asset} ${series.timeframe} bar ${i}`).toBe(fgi.value[d]);
      }
    }
  });

  it('no decision uses an FGI value published after its bar closed', () => {
    // Replacing every FGI value after bar k cannot change the equity at the closes of bars
    // 0..k + 1: the position during bar k + 1 was decided at bar k's close from fgi[≤ k].
    const series = seriesBy.get('BTC 4h')!;
    const window = resolveWindow(series);
    const params = { leverage: 3, lowThreshold: 40, highThreshold: 60, strategy: 'contrarian' } as const;
    const base = simulate(series, window, params, DEFAULT_ENGINE_CONFIG, { recordEquity: true }).equity!;
    for (const k of [window.from + 10, window.from + 200, window.to - 5]) {
      const future = Float64Array.from(series.fgi, (v, i) => (i > k ? 100 - v : v));
      const changed = simulate({ ...series, fgi: future }, window, params, DEFAULT_ENGINE_CONFIG, { recordEquity: true }).equity!;
      const kept = k + 2 - window.from;
      expect(Array.from(changed.subarray(0, kept))).toEqual(Array.from(base.subarray(0, kept)));
    }
  });
});

describe('a leverage-1 long held for the whole window', () => {
  it('earns margin × (last close / entry − 1) minus its fees and funding, to the cent', () => {
    // Contrarian 99/100: FGI ≤ 99 on every bar → always LONG, filled at the window's second bar.
    for (const series of seriesBy.values()) {
      for (const dateRange of [undefined, ...YEARS[series.timeframe]]) {
        const params: BacktestParams = {
          asset: series.asset,
          timeframe: series.timeframe,
          leverage: 1,
          lowThreshold: 99,
          highThreshold: 100,
          strategy: 'contrarian',
          ...(dateRange ? { dateRange } : {}),
        };
        const label = JSON.stringify(params);
        const { from, to } = resolveWindow(series, dateRange);
        expect(Number.isNaN(series.fgi[from]), label).toBe(false);
        const { metrics, detail } = runBacktest(series, params, { detail: true });
        const [trade] = detail!.trades;
        expect(detail!.trades, label).toHaveLength(1);
        const entry = series.open[from + 1];
        const last = series.close[to - 1];
        const margin = 0.95 * capital;
        const quantity = margin / entry;
        // Fees 0.05 % of notional at entry (= margin) and at the last close.
        const fees = 0.0005 * margin + 0.0005 * quantity * last;
        // Funding rate × Q × close at every held bar close (bars from + 1 .. to − 1): the bar's
        // historical fundingRate where known, else 0.01 % per 8 h × bar hours / 8 (SPEC §3).
        let funding = 0;
        for (let i = from + 1; i < to; i++) {
          const known = series.fundingRate[i];
          const rate = Number.isNaN(known) ? (0.0001 * series.intervalMs) / 28_800_000 : known;
          funding += rate * quantity * series.close[i];
        }
        const pnl = margin * (last / entry - 1) - fees - funding;
        expect(trade.entryPrice, label).toBe(entry);
        expect(trade.exitReason, label).toBe('end');
        expect(trade.fees, label).toBeCloseTo(fees, 2);
        expect(trade.funding, label).toBeCloseTo(funding, 2);
        expect(trade.pnl, label).toBeCloseTo(pnl, 2);
        expect(metrics.finalEquity, label).toBeCloseTo(capital + pnl, 2);
        expect(metrics.exposure, label).toBeCloseTo(((to - from - 1) / (to - from)) * 100, 9);
      }
    }
  });
});
