/**
 * Response shapes of the HTTP API (SPEC §6) as the page reads them. Client-safe (types only).
 */
import type { CacheInfo, CacheStats, ClearResult, RunOutcome } from '../cache/types';
import type { CoverageEntry, UnavailableSeries } from '../market-data/types';

/** Where a result came from: a cache tier, or computed for this request. */
export type ResultSource = 'permanent' | 'temporary' | 'computed';

/** 200 of `POST /api/backtest/execute` (`cacheAge`: ms since the entry was computed). */
export type ExecuteResponse = RunOutcome;

/** 200 of `GET /api/backtest/cache/stats` (bytes, hit rate 0–100 %, times in ms) and of `GET /api/backtest/cache`. */
export type { CacheInfo, CacheStats };

/** Funding history of one perpetual as `GET /api/market-data` lists it (times ISO UTC). */
export interface FundingCoverage {
  /** e.g. `ETHUSDT`. */
  symbol: string;
  interval: 'funding';
  /** First and last settlement. */
  first: string;
  last: string;
  settlements: number;
  gaps: unknown[];
  conflicts: unknown;
}

/** 200 of `GET /api/market-data`; `funding` only from servers that read funding history. */
export interface MarketDataResponse {
  coverage: CoverageEntry[];
  /** Series the server cannot read, with the reason. */
  unavailable: UnavailableSeries[];
  funding?: FundingCoverage[];
}

/**
 * 200 of `POST /api/backtest/heatmap`: `values[i][j]` is the metric for lows[i] × highs[j]
 * (null where low ≥ high); `executionTime` in ms; `period` as in the result (ISO UTC).
 */
export type { HeatmapResult as HeatmapResponse } from '../heatmap-service';

/** 202 of `POST /api/backtest/warm-cache`. */
export interface WarmStartResponse {
  jobId: string;
  total: number;
}

/**
 * 200 of `GET /api/backtest/warm-cache` once a job has run: its progress (`failed` counts failed
 * combinations; status `error` = the job itself broke). Times are Unix ms.
 */
export type { WarmJobStatus as WarmStatus } from '../warm/warm-job';

/** 200 of `POST /api/backtest/cache/clear`. */
export type ClearResponse = ClearResult;

/** The source of an execute response as the page's badge names it. */
export function resultSource(response: Pick<ExecuteResponse, 'cached' | 'cacheTier'>): ResultSource {
  return response.cached && response.cacheTier ? response.cacheTier : 'computed';
}
