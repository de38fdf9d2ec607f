/**
 * Request statistics of the result cache, measured in this process (never estimated): counts of
 * hits and misses and the wall time of each, timed with performance.now().
 */

/** Counters of one process, as returned by CacheStatsRecorder.snapshot(). Times in ms. */
export interface RequestStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses) × 100, %; 0 before the first request. */
  hitRate: number;
  /** Mean wall time of the computations run for misses, ms (0 before the first). */
  avgExecutionTime: number;
  /** Mean wall time from lookup start to a served hit, ms (0 before the first). */
  avgCacheResponseTime: number;
}

/** Accumulates hit and miss timings; `snapshot()` turns them into means. */
export class CacheStatsRecorder {
  private hits = 0;
  private misses = 0;
  private hitMs = 0;
  private computations = 0;
  private computeMs = 0;

  /** A request answered from the cache in `ms` milliseconds. */
  recordHit(ms: number): void {
    this.hits += 1;
    this.hitMs += ms;
  }

  /** A request that was not answered from the cache (it computed or joined a computation). */
  recordMiss(): void {
    this.misses += 1;
  }

  /** One backtest computation for a miss that took `ms` milliseconds. */
  recordComputation(ms: number): void {
    this.computations += 1;
    this.computeMs += ms;
  }

  /** Current counters and means. */
  snapshot(): RequestStats {
    const requests = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      hitRate: requests === 0 ? 0 : (this.hits / requests) * 100,
      avgExecutionTime: this.computations === 0 ? 0 : this.computeMs / this.computations,
      avgCacheResponseTime: this.hits === 0 ? 0 : this.hitMs / this.hits,
    };
  }
}
