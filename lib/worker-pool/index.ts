/**
 * The process-wide worker pool (docs/worker-pool.md): `runInPool(kind, input, { signal,
 * priority })` runs a task of tasks.ts in a worker thread. `WORKERS` threads (default
 * os.availableParallelism()), started at the first task; the worker code is bundled at that
 * moment (worker-bundle.ts). Kept on globalThis so every route bundle shares one pool.
 */
import os from 'node:os';
import { getEnv } from '../env';
import { WorkerPool, type PoolRunOptions } from './pool';
import type { TaskInput, TaskKind, TaskOutput } from './tasks';
import { ensureWorkerBundle } from './worker-bundle';

export { WorkerPool, type PoolPriority, type PoolRunOptions, type PoolStats, type WorkerPoolOptions } from './pool';
export { sharedSeries } from './shared-series';
export { inBackgroundLane, isInBackgroundLane } from './background-lane';
export type { TaskInput, TaskKind, TaskOutput } from './tasks';

const SINGLETON = Symbol.for('split-sea.workerPool');

/** Worker threads the process-wide pool gets: `WORKERS`, else os.availableParallelism(). */
export function poolSizeFromEnv(): number {
  return getEnv().WORKERS ?? os.availableParallelism();
}

/** The process-wide pool (created, not started, on first call). */
export function getWorkerPool(): WorkerPool {
  const slot = globalThis as Record<symbol, WorkerPool | undefined>;
  return (slot[SINGLETON] ??= new WorkerPool({
    size: poolSizeFromEnv(),
    workerFile: () => ensureWorkerBundle(getEnv().projectRoot),
  }));
}

/**
 * Runs task `kind` (tasks.ts) on `input` in the process-wide pool. Series in `input` should be
 * `sharedSeries(series)` so they are shared with the worker, not copied.
 * @throws (rejects) see WorkerPool.run.
 */
export function runInPool<K extends TaskKind>(kind: K, input: TaskInput<K>, options?: PoolRunOptions): Promise<TaskOutput<K>> {
  return getWorkerPool().run(kind, input, options);
}
