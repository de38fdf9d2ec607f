/**
 * Shapes the result cache returns to routes, scripts and the page. Client-safe (types only).
 */
import type { BacktestDetail, BacktestResult } from '../engine/types';
import type { CacheTier } from './entry';
import type { RequestStats } from './stats';
import type { StoreDescription } from './store';

/**
 * Outcome of `runAndCache` and the 200 body of `POST /api/backtest/execute`.
 * `cacheAge` (ms since the entry was computed, ≥ 1) and `cacheTier` are set when `cached`.
 */
export interface RunOutcome {
  result: BacktestResult;
  cached: boolean;
  cacheAge?: number;
  cacheTier?: CacheTier;
  /** Chart series (≤ 600 points) and trades, when requested. Never stored in the cache. */
  detail?: BacktestDetail;
}

/** Body of `GET /api/backtest/cache/stats`: storage now plus this process's request statistics. */
export interface CacheStats extends RequestStats {
  /** Entries in both tiers. */
  totalEntries: number;
  permanentEntries: number;
  temporaryEntries: number;
  /** Bytes of all entries in both tiers (integer). */
  cacheSize: number;
}

/** Entries and bytes of one tier; `stale` counts entries a lookup would not serve. */
export interface TierInfo {
  entries: number;
  bytes: number;
  stale: number;
}

/** Body of `GET /api/backtest/cache`. Times are Unix ms; sizes in bytes. */
export interface CacheInfo {
  tiers: Record<CacheTier, TierInfo>;
  totalEntries: number;
  totalBytes: number;
  staleEntries: number;
  /** Backtest entry counts per market, keyed `{asset}-{timeframe}` (e.g. `ETH-4h`). */
  byMarket: Record<string, { permanent: number; temporary: number }>;
  /** Document entries (`WF-…` keys: walk-forward results), apart from the markets. */
  walkForward: { permanent: number; temporary: number };
  /** Oldest and newest `computedAt` over readable entries; null when there are none. */
  oldestComputedAt: number | null;
  newestComputedAt: number | null;
  /** Operators' `archive/` folder, as of the last scan: counted separately, never read by lookups, links not followed. */
  archive: { files: number; bytes: number };
  engineVersion: string;
  /** Age at which temporary entries go stale, ms. */
  temporaryTtlMs: number;
  /** Bound on both tiers together (CACHE_MAX_MB), bytes; null = unlimited. */
  maxBytes: number | null;
  /**
   * End of the last complete inventory scan, Unix ms (null before the first). The figures above
   * come from the inventory: this process's writes and removals at once, other changes (an
   * operator's `rm`, another process's writes) after the next scan (≤ 60 s).
   */
  scannedAt: number | null;
  /** The store behind the cache (`file` or `redis`) and, for Redis, the memory it uses. */
  store: StoreDescription;
}

/** Body of `POST /api/backtest/cache/clear`: files removed and the bytes they held. */
export interface ClearResult {
  removed: number;
  freedBytes: number;
}
