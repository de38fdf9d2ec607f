/**
 * Execute hit latency over HTTP through Redis, to compare with the file store's `http_hit_p50_ms`
 * of the same run: a private redis-server on a free loopback port and a `next start` with
 * CACHE_STORE=redis, sequential hits measured exactly like bench/http-bench.ts (one request at a
 * time, wall time per request), then both stopped.
 */
import { startNextServer } from '../__tests__/helpers/next-server';
import { startRedisServer } from '../__tests__/helpers/redis-server';
import { HIT_PARAMS, postJson, sequentialLatency } from './http-bench';
import type { Summary } from './measure';

/** Redis hit figures: median and p99 wall time of one execute hit over HTTP, ms. */
export interface RedisFigures {
  http_hit_redis_p50_ms: number;
  http_hit_redis_p99_ms: number;
  runs: Record<string, Summary>;
}

/** Measures sequential execute hits served from Redis (100 quick, else 500) with CACHE_DIR `cacheDir` (unused by Redis). */
export async function benchRedis(cacheDir: string, quick: boolean): Promise<RedisFigures> {
  const redis = await startRedisServer();
  try {
    const server = await startNextServer({ CACHE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: 'bench:', CACHE_DIR: cacheDir });
    try {
      const execute = `${server.url}/api/backtest/execute`;
      // Load the series, store the entry and warm the code paths (excluded from the figures).
      for (let i = 0; i < 20; i++) await postJson(execute, { params: HIT_PARAMS });
      const hits = await sequentialLatency(quick ? 100 : 500, async () => {
        const answer = await postJson(execute, { params: HIT_PARAMS });
        if (answer.json.cached !== true) throw new Error('a Redis bench request was not a cache hit');
        return answer;
      });
      return { http_hit_redis_p50_ms: hits.median, http_hit_redis_p99_ms: hits.p99, runs: { http_hit_redis: hits } };
    } finally {
      await server.stop();
    }
  } finally {
    await redis.stop();
  }
}
