/**
 * The warm-up job's status shapes (what `GET /api/backtest/warm-cache` returns) and the interface
 * both job runners implement: the in-process one (warm-job.ts, file store) and the one shared by
 * every instance through Redis (shared-warm-job.ts).
 */
import type { WarmOptions } from '../schemas';
import type { WarmProgress } from './run-warm-plan';

/** State of the current or last job, as `GET /api/backtest/warm-cache` returns it. */
export interface WarmJobStatus extends WarmProgress {
  jobId: string;
  /** `running`, `done` (finished; `failed` counts items that failed), or `error` (the job itself broke). */
  status: 'running' | 'done' | 'error';
  preset: WarmOptions['preset'];
  /** Unix ms. */
  startedAt: number;
  /** Unix ms, once finished. */
  finishedAt?: number;
  /** First item failures. */
  failures: { key: string; error: string }[];
}

/** What `GET /api/backtest/warm-cache` reports before the first job. */
export interface WarmIdleStatus {
  status: 'idle';
  done: 0;
  total: 0;
  computed: 0;
  hits: 0;
  failed: 0;
}

/** The idle status. */
export const IDLE_STATUS: WarmIdleStatus = { status: 'idle', done: 0, total: 0, computed: 0, hits: 0, failed: 0 };

/** Starts jobs (one at a time) and reports the current or last one. */
export interface WarmJobs {
  /**
   * Plans and starts a job in the background.
   * @throws RequestError 409 while a job runs; 400 when the options plan nothing or too much.
   */
  start(options: WarmOptions): { jobId: string; total: number } | Promise<{ jobId: string; total: number }>;
  /** The current or last job, or the idle status when there was none. */
  status(): WarmJobStatus | WarmIdleStatus | Promise<WarmJobStatus | WarmIdleStatus>;
}
