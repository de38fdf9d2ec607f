/**
 * Engine figures: one backtest over a 90-day 4h window and over the longest 15m window, and
 * 90-day 4h backtests per second on one core (the event loop's thread). Real data.
 */
import { runBacktest } from '../lib/engine';
import { loadSeries } from '../lib/market-data';
import type { BacktestParams } from '../lib/schemas';
import { timeRepeatedSync, type Summary } from './measure';

export interface EngineFigures {
  engine_90d_4h_us: number;
  engine_90d_4h_p99_us: number;
  engine_1y_15m_us: number;
  engine_1y_15m_p99_us: number;
  engine_1y_15m_bars: number;
  engine_backtests_per_s: number;
  runs: Record<string, Summary>;
}

/** Measures the engine on ETH; `quick` shortens the runs. */
export async function benchEngine(quick: boolean): Promise<EngineFigures> {
  const eth4h = await loadSeries('ETH', '4h');
  const eth15m = await loadSeries('ETH', '15m');
  // Vary the thresholds so the branch predictor sees a realistic mix, as the heatmap does.
  const params4h = (i: number): BacktestParams => ({
    asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian',
    lowThreshold: 20 + (i % 20), highThreshold: 60 + (i % 30),
  });
  const first = new Date(eth15m.openTime[0]).toISOString().slice(0, 10);
  const last = new Date(eth15m.openTime[eth15m.openTime.length - 1]).toISOString().slice(0, 10);
  const params15m = (i: number): BacktestParams => ({
    ...params4h(i), timeframe: '15m', dateRange: { start: first, end: last },
  });

  const runs4h = quick ? 200 : 1_000;
  const short = timeRepeatedSync((i) => runBacktest(eth4h, params4h(i)), { warmup: 2_000, runs: runs4h, batch: 20 });
  const long = timeRepeatedSync((i) => runBacktest(eth15m, params15m(i)), { warmup: 50, runs: quick ? 50 : 200 });
  const { metrics } = runBacktest(eth15m, params15m(0));

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
    engine_backtests_per_s: Math.round(perSecond),
    runs: { engine_90d_4h: short, engine_1y_15m: long },
  };
}
