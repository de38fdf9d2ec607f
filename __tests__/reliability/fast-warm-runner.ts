/**
 * A stand-in for the `@/lib/warm` module in route-handler tests: the real WarmJobRunner, plan,
 * runWarmPlan and BacktestCacheServer (writing real files into `dir`),
 * but with a constant backtest result instead of the engine, so a job of thousands of
 * combinations started by a fuzzed request finishes in moments and never competes with the
 * execute route's real backtests. Use: `vi.mock('@/lib/warm', () => fastWarmModule(dir))`.
 */
import { BacktestCacheServer } from '@/lib/backtest-cache-server';
import { FileCacheStore } from '@/lib/cache/file-store';
import type { WarmJobs } from '@/lib/warm';
import { WarmJobRunner } from '@/lib/warm/warm-job';
import { fakeResult } from '../cache/helpers';

/** The module object `@/lib/warm` is replaced with: `{ warmJobRunner }` on a cache in `dir`. */
export function fastWarmModule(dir: string): { warmJobRunner: WarmJobRunner } {
  const server = new BacktestCacheServer({
    store: new FileCacheStore(dir, { fsync: false }),
    compute: async (params) => ({ result: fakeResult(params, Date.now()), dataVersion: 'fast-warm' }),
    seriesFacts: async () => ({ dataVersion: 'fast-warm', lastCloseTime: Date.parse('2026-01-01T00:00:00Z') }),
    logger: { info: () => undefined, warn: (line) => console.warn(line) },
  });
  return { warmJobRunner: new WarmJobRunner(server) };
}

/** Resolves once `runner` has no job running (call before removing the folder its jobs write to). */
export async function warmJobsSettled(runner: WarmJobs): Promise<void> {
  while ((await runner.status())?.status === 'running') await new Promise((resolve) => setTimeout(resolve, 10));
}
