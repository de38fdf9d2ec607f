/**
 * What BacktestCacheServer (lib/backtest-cache-server.ts, which re-exports these types) takes: its
 * construction options, every dependency injectable for tests, the options of one `runAndCache`
 * call, and the shapes of its dependencies (computation, series facts, logger). Types only.
 */
import type { BacktestDetail, BacktestResult } from '../engine/types';
import type { Asset, BacktestParams, Timeframe } from '../schemas';
import type { SeriesFacts } from './series-facts';
import type { CacheStore } from './store';

/** Output of one backtest computation (the shape of `computeBacktest` in lib/backtest-service.ts). */
export interface ComputeOutput {
  result: BacktestResult;
  detail?: BacktestDetail;
  /** MarketSeries.dataVersion of the data the result came from. */
  dataVersion: string;
}

/** Computes one backtest; `detail` asks for the chart series and trades as well. */
export type ComputeFn = (params: BacktestParams, options: { detail?: boolean }) => Promise<ComputeOutput>;

/** Receives the cache's log lines (`[CACHE HIT] …`, `[CACHE MISS] …`, `[BACKTEST FLOW] …`, …). */
export interface CacheLogger {
  info(line: string): void;
  warn(line: string): void;
}

/** Construction options of BacktestCacheServer; every dependency is injectable for tests. */
export interface BacktestCacheServerOptions {
  /** Cache folder holding `permanent/` and `temporary/` (used when `store` is not given). */
  cacheDir?: string;
  /** Storage; default a FileCacheStore on `cacheDir`. */
  store?: CacheStore;
  /** Backtest computation; default computeBacktest (lib/backtest-service.ts). */
  compute?: ComputeFn;
  /** Data version and last close of a series; default loadSeriesFacts (lib/cache/series-facts.ts). */
  seriesFacts?: (asset: Asset, timeframe: Timeframe) => Promise<SeriesFacts>;
  /** Version written into and required of entries; default ENGINE_VERSION. */
  engineVersion?: string;
  /** Clock in Unix ms for computedAt, lastAccessed, ages and TTL; default Date.now. */
  now?: () => number;
  /** Bound on the temporary tier in bytes (least recently accessed entries evicted); null = unlimited. */
  maxTemporaryBytes?: number | null;
  logger?: CacheLogger;
  /** Delay before hit bookkeeping is written, ms (default 5000); hits in between are coalesced. */
  bookkeepingDelayMs?: number;
  /**
   * Shared stores only: lifetime of a key's compute lock, ms (default 15000). A holder that dies
   * blocks the key at most this long; instances waiting for it then compute themselves.
   */
  lockTtlMs?: number;
  /** Shared stores only: how often an instance waiting for another's computation looks for the entry, ms (default 20). */
  lockPollMs?: number;
}

/** Options of one `runAndCache` call. */
export interface RunOptions {
  /** Store the result in (or move a cached one to) the permanent tier. */
  permanent?: boolean;
  /** Skip the lookup, recompute and overwrite the stored entry. */
  forceRefresh?: boolean;
  /**
   * `normal` and `high` are interactive requests (the execute route passes one): they never wait
   * for warm-up work, and `whenInteractiveIdle()` waits for them. Left out = background work.
   */
  priority?: 'normal' | 'high';
  /** Also return the chart detail (computed, never stored). */
  detail?: boolean;
}
