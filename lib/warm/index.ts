/**
 * The process-wide warm-up jobs behind `/api/backtest/warm-cache`, on the shared cache server:
 * with CACHE_STORE=redis one job shared by every instance (shared-warm-job.ts), else one job in
 * this process (warm-job.ts). Kept on globalThis so every route bundle sees the same runner.
 */
import { backtestCacheServer } from '../backtest-cache-server';
import { getEnv } from '../env';
import type { WarmJobs } from './job-status';
import { SharedWarmJobs } from './shared-warm-job';
import { WarmJobRunner } from './warm-job';

export type { WarmJobs, WarmJobStatus, WarmIdleStatus } from './job-status';

const SINGLETON = Symbol.for('split-sea.warmJobRunner');

function createRunner(): WarmJobs {
  const env = getEnv();
  if (env.CACHE_STORE === 'redis') {
    const shared = new SharedWarmJobs({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX, server: backtestCacheServer });
    shared.startWorker();
    return shared;
  }
  return new WarmJobRunner(backtestCacheServer);
}

/** The warm-up job runner of this server process (its Redis queue worker runs from the first use on). */
export const warmJobRunner: WarmJobs = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??= createRunner()) as WarmJobs;
