/**
 * The warm-up job behind `POST/GET /api/backtest/warm-cache` with the file store: one job at a
 * time per server process, run in the background on the in-process cache server, in the
 * background lane (long backtests in the worker pool, lib/backtest-service.ts POOL_MIN_BARS),
 * yielding to interactive requests between items. (With Redis the
 * job is shared by every instance: shared-warm-job.ts.)
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cacheKey } from '../cache/key';
import { RequestError } from '../errors';
import type { BacktestParams, WarmOptions } from '../schemas';
import type { BacktestCacheServer } from '../backtest-cache-server';
import { inBackgroundLane } from '../worker-pool';
import { IDLE_STATUS, type WarmIdleStatus, type WarmJobs, type WarmJobStatus } from './job-status';
import { planWarmJob } from './plan';
import { runWarmPlan } from './run-warm-plan';

export type { WarmIdleStatus, WarmJobStatus } from './job-status';

/** Runs warm-up jobs one at a time against one cache server, in this process. */
export class WarmJobRunner implements WarmJobs {
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
    // Background lane: long backtests in the worker pool (low priority); short ones, lookups and writes here.
    const execute = (params: BacktestParams) =>
      inBackgroundLane(() => this.server.runAndCache(params, { permanent: options.permanent }));
    runWarmPlan(plan, execute, {
      concurrency: options.concurrency,
      // Interactive requests go first; a macrotask turn between items keeps the event loop free.
      beforeEach: async () => {
        await this.server.whenInteractiveQuiet();
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
    return this.job ? { ...this.job } : IDLE_STATUS;
  }
}
