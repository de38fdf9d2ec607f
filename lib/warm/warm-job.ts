/**
 * The warm-up job behind `POST/GET /api/backtest/warm-cache`: one job at a time per server
 * process, run in the background on the in-process cache server, yielding to interactive
 * requests between items.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cacheKey } from '../cache/key';
import { RequestError } from '../errors';
import type { WarmOptions } from '../schemas';
import type { BacktestCacheServer } from '../backtest-cache-server';
import { planWarmJob } from './plan';
import { runWarmPlan, type WarmProgress } from './run-warm-plan';

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

/** What `GET /api/backtest/warm-cache` reports before the first job of this server process. */
export interface WarmIdleStatus {
  status: 'idle';
  done: 0;
  total: 0;
  computed: 0;
  hits: 0;
  failed: 0;
}

const IDLE: WarmIdleStatus = { status: 'idle', done: 0, total: 0, computed: 0, hits: 0, failed: 0 };

/** Runs warm-up jobs one at a time against one cache server. */
export class WarmJobRunner {
  private job: WarmJobStatus | null = null;

  constructor(private readonly server: BacktestCacheServer) {}

  /**
   * Plans and starts a job in the background.
   * @throws RequestError 409 while a job runs; 400 when the options plan nothing or more than
   * MAX_WARM_JOB_COMBINATIONS combinations.
   */
  start(options: WarmOptions): { jobId: string; total: number } {
    if (this.job?.status === 'running') {
      throw new RequestError(`a warm-up job is already running (${this.job.jobId})`, 409);
    }
    const plan = planWarmJob(options);
    const job: WarmJobStatus = {
      jobId: randomUUID(),
      status: 'running',
      preset: options.preset,
      startedAt: Date.now(),
      done: 0,
      total: plan.length,
      computed: 0,
      hits: 0,
      failed: 0,
      elapsedMs: 0,
      rate: 0,
      etaMs: null,
      failures: [],
    };
    this.job = job;
    console.log(`[BACKTEST FLOW] Warm-up job ${job.jobId} started: ${plan.length} combinations (${options.preset})`);
    runWarmPlan(plan, (params) => this.server.runAndCache(params, { permanent: options.permanent }), {
      concurrency: options.concurrency,
      // Interactive requests go first; a macrotask turn between items keeps the event loop free.
      beforeEach: async () => {
        await this.server.whenInteractiveIdle();
        await nextTurn();
      },
      onProgress: (progress) => Object.assign(job, progress),
    })
      .then((summary) => {
        // Not part of the status: `aborted` (a job has no stop signal) and failures' full params.
        const { failures, aborted, ...progress } = summary;
        Object.assign(job, progress, {
          status: 'done',
          finishedAt: Date.now(),
          failures: failures.map((f) => ({ key: cacheKey(f.params), error: f.error })),
        });
        console.log(
          `[BACKTEST FLOW] Warm-up job ${job.jobId} done: ${summary.computed} computed, ${summary.hits} cached, ${summary.failed} failed in ${Math.round(summary.elapsedMs)}ms`,
        );
      })
      .catch((error) => {
        Object.assign(job, { status: 'error', finishedAt: Date.now() });
        console.error(`[BACKTEST FLOW] Warm-up job ${job.jobId} broke:`, error);
      });
    return { jobId: job.jobId, total: plan.length };
  }

  /** The current or last job, or the idle status when none ran since the server started. */
  status(): WarmJobStatus | WarmIdleStatus {
    return this.job ? { ...this.job } : IDLE;
  }
}
