/**
 * In-process cache figures: `runAndCache` on a hit and on a miss (90-day 4h), on a fresh
 * temporary cache folder.
 */
import { BacktestCacheServer } from '../lib/backtest-cache-server';
import type { BacktestParams } from '../lib/schemas';
import { timeRepeated, type Summary } from './measure';

export interface CacheFigures {
  cache_hit_inprocess_us: number;
  cache_hit_inprocess_p99_us: number;
  cache_miss_inprocess_us: number;
  cache_miss_inprocess_p99_us: number;
  runs: Record<string, Summary>;
}

/** Measures hits on one key and misses on distinct keys in `cacheDir`. */
export async function benchCache(cacheDir: string, quick: boolean): Promise<CacheFigures> {
  const server = new BacktestCacheServer({ cacheDir, logger: { info: () => undefined, warn: () => undefined } });
  const params = (i: number): BacktestParams => ({
    asset: 'ETH', timeframe: '4h', leverage: 2, strategy: 'momentum',
    lowThreshold: 1 + (i % 49), highThreshold: 51 + Math.floor(i / 49),
  });
  const runs = quick ? 200 : 1_000;
  // Misses: distinct keys (warm-up keys are distinct too, so every timed call is a real miss).
  const miss = await timeRepeated((i) => server.runAndCache(params(i)), { warmup: 20, runs });
  const hitParams = params(0);
  const hit = await timeRepeated(() => server.runAndCache(hitParams), { warmup: 50, runs });
  await server.flush();
  return {
    cache_hit_inprocess_us: hit.median * 1000,
    cache_hit_inprocess_p99_us: hit.p99 * 1000,
    cache_miss_inprocess_us: miss.median * 1000,
    cache_miss_inprocess_p99_us: miss.p99 * 1000,
    runs: { cache_hit_inprocess: hit, cache_miss_inprocess: miss },
  };
}
