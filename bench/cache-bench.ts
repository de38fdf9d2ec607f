/**
 * In-process cache figures: `runAndCache` on a hit and on a miss (90-day 4h), on a fresh
 * temporary cache folder; and `info()` / `stats()` with 100,000 entry files created directly on
 * disk, after the inventory's first scan (SPEC §5: milliseconds at a million entries).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BacktestCacheServer } from '../lib/backtest-cache-server';
import { ENGINE_VERSION } from '../lib/engine';
import type { BacktestResult } from '../lib/engine/types';
import { ENTRY_FORMAT_VERSION, serializeEntry } from '../lib/cache/entry';
import { cacheKey } from '../lib/cache/key';
import { ASSETS, STRATEGIES, type BacktestParams } from '../lib/schemas';
import { timeRepeated, type Summary } from './measure';

export interface CacheFigures {
  cache_info_100k_ms: number;
  cache_stats_100k_ms: number;
  cache_scan_100k_ms: number;
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
  server.close();
  const inventory = await benchInventory(path.join(cacheDir, 'inventory-100k'), quick);
  return {
    ...inventory.figures,
    cache_hit_inprocess_us: hit.median * 1000,
    cache_hit_inprocess_p99_us: hit.p99 * 1000,
    cache_miss_inprocess_us: miss.median * 1000,
    cache_miss_inprocess_p99_us: miss.p99 * 1000,
    runs: { cache_hit_inprocess: hit, cache_miss_inprocess: miss, ...inventory.runs },
  };
}

/** Entry files written directly into the temporary tier of `dir`: `count` distinct 4h keys. */
function plantEntries(dir: string, count: number): void {
  const folder = path.join(dir, 'temporary');
  fs.mkdirSync(folder, { recursive: true });
  const now = Date.now();
  let written = 0;
  for (const asset of ASSETS)
    for (const strategy of STRATEGIES)
      for (let leverage = 1; leverage <= 12; leverage++)
        for (let low = 1; low <= 49; low++)
          for (let high = 51; high <= 100; high++) {
            if (written === count) return;
            const params: BacktestParams = { asset, timeframe: '4h', leverage, lowThreshold: low, highThreshold: high, strategy };
            const key = cacheKey(params);
            const result: BacktestResult = {
              returns: 1, maxDrawdown: 2, sharpeRatio: 0.5, sortinoRatio: 0.6, calmarRatio: 1, trades: 3, winRate: 50,
              profitFactor: 1.2, avgWin: 1, avgLoss: -1, fees: 1, funding: 0, fundingCoverage: 100, liquidated: false, liquidations: 0,
              exposure: 40, buyAndHoldReturn: 3, overrides: 0, bars: 540, finalEquity: 10_100,
              period: { start: '2025-07-01T00:00:00.000Z', end: '2025-09-29T00:00:00.000Z' },
              executionTime: 0.1, timestamp: now, params,
            } as BacktestResult;
            const text = serializeEntry({
              key, version: ENTRY_FORMAT_VERSION, computedAt: now, accessCount: 0, lastAccessed: now,
              isPermanent: false, engineVersion: ENGINE_VERSION, dataVersion: 'bench', result,
            });
            fs.writeFileSync(path.join(folder, `${key}.json`), text);
            written += 1;
          }
}

/**
 * `info()` and `stats()` over 100,000 entries (20,000 with `quick`) created on disk, timed after
 * the first inventory scan (which is timed too, once). The data version is fixed ('bench'), so
 * the figures measure the inventory, not market-data loading.
 */
async function benchInventory(dir: string, quick: boolean) {
  const count = quick ? 20_000 : 100_000;
  plantEntries(dir, count);
  const server = new BacktestCacheServer({
    cacheDir: dir,
    seriesFacts: async () => ({ dataVersion: 'bench', lastCloseTime: Date.now() }),
    logger: { info: () => undefined, warn: () => undefined },
  });
  const scanStarted = performance.now();
  const first = await server.stats();
  const scanMs = performance.now() - scanStarted;
  if (first.totalEntries !== count) throw new Error(`inventory holds ${first.totalEntries} entries, ${count} planted`);
  const info = await timeRepeated(() => server.info(), { warmup: 3, runs: quick ? 20 : 50 });
  const stats = await timeRepeated(() => server.stats(), { warmup: 3, runs: quick ? 20 : 50 });
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    figures: { cache_info_100k_ms: info.median, cache_stats_100k_ms: stats.median, cache_scan_100k_ms: scanMs },
    runs: { cache_info_100k: info, cache_stats_100k: stats },
  };
}
