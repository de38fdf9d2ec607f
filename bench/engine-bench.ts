/**
 * Engine figures: one backtest over a 90-day 4h window and over the longest 15m window, the
 * engine time per bar of a full-history 1h backtest (metrics only, no chart detail), and 90-day
 * 4h backtests per second on one core (the event loop's thread). Real data.
 */
import { runBacktest } from '../lib/engine';
import { loadSeries, type MarketSeries } from '../lib/market-data';
import type { BacktestParams } from '../lib/schemas';
import { timeRepeatedSync, type Summary } from './measure';

export interface EngineFigures {
  engine_90d_4h_us: number;
  engine_90d_4h_p99_us: number;
  engine_1y_15m_us: number;
  engine_1y_15m_p99_us: number;
  engine_1y_15m_bars: number;
  /** Full-history ETH 1h backtest (metrics only) / its bar count, ns. */
  engine_ns_per_bar_1h: number;
  engine_full_1h_bars: number;
  engine_backtests_per_s: number;
  runs: Record<string, Summary>;
}

/** Measures the engine on ETH; `quick` shortens the runs. */
export async function benchEngine(quick: boolean): Promise<EngineFigures> {
  const eth4h = await loadSeries('ETH', '4h');
  const eth15m = await loadSeries('ETH', '15m');
  const eth1h = await loadSeries('ETH', '1h');
  // Vary the thresholds so the branch predictor sees a realistic mix, as the heatmap does.
  const params4h = (i: number): BacktestParams => ({
    asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian',
    lowThreshold: 20 + (i % 20), highThreshold: 60 + (i % 30),
  });
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const span = (s: MarketSeries) => ({ start: day(s.openTime[0]), end: day(s.openTime[s.openTime.length - 1]) });
  const params15m = (i: number): BacktestParams => ({ ...params4h(i), timeframe: '15m', dateRange: span(eth15m) });
  const params1h = (i: number): BacktestParams => ({ ...params4h(i), timeframe: '1h', dateRange: span(eth1h) });

  const runs4h = quick ? 200 : 1_000;
  const short = timeRepeatedSync((i) => runBacktest(eth4h, params4h(i)), { warmup: 2_000, runs: runs4h, batch: 20 });
  const long = timeRepeatedSync((i) => runBacktest(eth15m, params15m(i)), { warmup: 50, runs: quick ? 50 : 200 });
  const { metrics } = runBacktest(eth15m, params15m(0));
  const full = timeRepeatedSync((i) => runBacktest(eth1h, params1h(i)), { warmup: 20, runs: quick ? 20 : 100 });
  const fullBars = runBacktest(eth1h, params1h(0)).metrics.bars;

  // Throughput: back-to-back 90-day 4h backtests for a fixed wall time.
  const budgetMs = quick ? 1_000 : 3_000;
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    for (let b = 0; b < 100; b++) runBacktest(eth4h, params4h(count++));
  }
  const perSecond = (count * 1000) / (performance.now() - start);

  return {
    engine_90d_4h_us: short.median * 1000,
    engine_90d_4h_p99_us: short.p99 * 1000,
    engine_1y_15m_us: long.median * 1000,
    engine_1y_15m_p99_us: long.p99 * 1000,
    engine_1y_15m_bars: metrics.bars,
    engine_ns_per_bar_1h: (full.median * 1e6) / fullBars,
    engine_full_1h_bars: fullBars,
    engine_backtests_per_s: Math.round(perSecond),
    runs: { engine_90d_4h: short, engine_1y_15m: long, engine_full_1h: full },
  };
}
