/**
 * The shared warm-up job (CACHE_STORE=redis): one 4,950-pair grid (ETH 4h 3x contrarian, as
 * `warm_grid_s`) warmed by one instance, then by two (each with WORKERS=1, so each has its own
 * core on a 2-core machine), against a private redis-server; the job's own start and finish
 * times (server-measured). `warm_grid_2_instances_ratio` compares two instances with the file
 * store's single-instance `warm_grid_s` of the same run.
 */
import { BENCH_ADMIN_TOKEN, WARM_POST_HEADERS } from './measure';
import { startNextServer, type NextServer } from '../__tests__/helpers/next-server';
import { startRedisServer } from '../__tests__/helpers/redis-server';

/** Shared warm-up figures, s. */
export interface WarmSharedFigures {
  warm_grid_redis_1_instance_s: number;
  warm_grid_2_instances_s: number;
}

const GRID = { preset: 'grid', assets: ['ETH'], timeframes: ['4h'], leverages: [3], strategies: ['contrarian'] };

/** Runs the grid job through `servers[0]` and returns its duration in s once any instance reports it done. */
async function warmGrid(servers: NextServer[]): Promise<number> {
  const res = await fetch(`${servers[0].url}/api/backtest/warm-cache`, {
    method: 'POST',
    headers: WARM_POST_HEADERS,
    body: JSON.stringify(GRID),
  });
  if (res.status !== 202) throw new Error(`shared warm job answered ${res.status}: ${await res.text()}`);
  for (;;) {
    const status = await (await fetch(`${servers.at(-1)!.url}/api/backtest/warm-cache`)).json();
    if (status.status !== 'running') {
      if (status.status !== 'done' || status.failed) throw new Error(`shared warm job ended ${status.status} with ${status.failed} failures`);
      return (status.finishedAt - status.startedAt) / 1000;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function withInstances(count: number, redisUrl: string, prefix: string, cacheDir: string): Promise<number> {
  const env = { CACHE_STORE: 'redis', REDIS_URL: redisUrl, REDIS_PREFIX: prefix, CACHE_DIR: cacheDir, WORKERS: '1', CACHE_ADMIN_TOKEN: BENCH_ADMIN_TOKEN };
  const servers = await Promise.all(Array.from({ length: count }, () => startNextServer(env)));
  try {
    return await warmGrid(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** Measures the grid warm-up with one and with two instances on one Redis (fresh key prefixes). */
export async function benchWarmShared(cacheDir: string): Promise<WarmSharedFigures> {
  const redis = await startRedisServer();
  try {
    return {
      warm_grid_redis_1_instance_s: await withInstances(1, redis.url, 'bench1:', cacheDir),
      warm_grid_2_instances_s: await withInstances(2, redis.url, 'bench2:', cacheDir),
    };
  } finally {
    await redis.stop();
  }
}
