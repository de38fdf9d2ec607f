/**
 * Walk-forward jobs behind `POST/GET /api/backtest/walk-forward` (SPEC §11): one job per distinct
 * input, identical concurrent requests share it, any number of distinct jobs run at once up to a
 * bound; a cached result answers at once. The cache, the series loader, the step runner and the
 * clock are injected (lib/walk-forward/service.ts wires the production ones).
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { isFinalizedRange } from '../cache/policy';
import { BusyError, RequestError } from '../errors';
import type { MarketSeries } from '../market-data/types';
import type { Asset, Timeframe, WalkForwardRequest } from '../schemas';
import type { CacheDocumentOutcome, WalkForwardCache } from './cache';
import { planWalkForward, walkForwardInput, walkForwardKey } from './plan';
import { walkForwardResultSchema } from './result-schema';
import { computeWalkForward, inProcessStepRunner, type StepRunner, type WalkForwardProgress } from './run';
import type { WalkForwardResult, WalkForwardStep } from './types';

/**
 * Version of the walk-forward logic (plan, choice, evaluation). Part of the cache's dataVersion,
 * so a cached result computed by other walk-forward code is stale. Bump when any result could change.
 */
export const WALK_FORWARD_VERSION = '1';

/** A job's state as `GET /api/backtest/walk-forward?jobId=` returns it. Times Unix ms / ms. */
export interface WalkForwardJobStatus {
  jobId: string;
  key: string;
  /** `running`; `done` (result set); `error` (message in `error`). */
  status: 'running' | 'done' | 'error';
  phase: WalkForwardProgress['phase'];
  /** Steps whose training search has finished, of `total`. */
  done: number;
  total: number;
  /** The step being searched, or null (hindsight phase, finished). */
  current: WalkForwardStep | null;
  startedAt: number;
  finishedAt?: number;
  elapsedMs: number;
  /** Estimated ms to finish (work weighted by training days); null before the first step is done. */
  etaMs: number | null;
  result?: WalkForwardResult;
  cached?: boolean;
  cacheTier?: CacheDocumentOutcome<unknown>['cacheTier'];
  cacheAge?: number;
  error?: string;
}

/** What `start` answers: a cached result (200) or a job to follow (202). */
export type WalkForwardStart =
  | { kind: 'result'; outcome: CacheDocumentOutcome<WalkForwardResult> }
  | { kind: 'job'; jobId: string; key: string; total: number };

/** Too many distinct jobs run at once; HTTP 429 with Retry-After. */
export class WalkForwardBusyError extends BusyError {
  constructor(
    readonly running: number,
    retryAfterSeconds: number,
  ) {
    super(`${running} walk-forward jobs are running; try again in ${retryAfterSeconds} s`, retryAfterSeconds);
    this.name = 'WalkForwardBusyError';
  }
}

/** Dependencies and bounds of WalkForwardJobs. */
export interface WalkForwardJobsOptions {
  cache: WalkForwardCache;
  loadSeries: (asset: Asset, timeframe: Timeframe) => Promise<MarketSeries>;
  /** Default: in-process, yielding between searches. */
  runStep?: StepRunner;
  /** Searches in flight per job (a pool's size); default 1. */
  concurrency?: number;
  /** Distinct jobs running at once before 429; default 8. */
  maxRunningJobs?: number;
  /** Finished jobs kept for GET; default 256. */
  keepFinished?: number;
  /** Longest a start waits for a cache lookup before answering 202, ms; default 1,000. */
  lookupWaitMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

interface Job extends WalkForwardJobStatus {
  workDone: number;
  workTotal: number;
}

/** The walk-forward job service. Use the singleton of service.ts outside tests. */
export class WalkForwardJobs {
  private readonly running = new Map<string, Job>();
  private readonly byKey = new Map<string, Job>();
  private readonly finished: LRUCache<string, Job>;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: WalkForwardJobsOptions) {
    this.finished = new LRUCache({ max: options.keepFinished ?? 256 });
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Jobs running now. */
  get runningJobs(): number {
    return this.running.size;
  }

  /**
   * Answers a validated request: a cached result, the running job of the same key, or a new job.
   * @throws NoDataInRangeError (422) when the range is too short; MarketDataError (503) from loading;
   * WalkForwardBusyError (429) when maxRunningJobs distinct jobs run.
   */
  async start(request: WalkForwardRequest): Promise<WalkForwardStart> {
    const input = walkForwardInput(request);
    const key = walkForwardKey(input);
    const shared = this.byKey.get(key);
    if (shared) return { kind: 'job', jobId: shared.jobId, key, total: shared.total };
    const series = await this.options.loadSeries(input.asset, input.timeframe);
    const plan = planWalkForward(series, input);
    const again = this.byKey.get(key);
    if (again) return { kind: 'job', jobId: again.jobId, key, total: again.total };
    const max = this.options.maxRunningJobs ?? 8;
    if (this.running.size >= max) throw new WalkForwardBusyError(this.running.size, 5);

    const lastClose = series.openTime[series.openTime.length - 1] + series.intervalMs;
    const startedAt = this.now();
    const job: Job = {
      jobId: randomUUID(),
      key,
      status: 'running',
      phase: 'training',
      done: 0,
      total: plan.steps.length,
      current: plan.steps[0],
      startedAt,
      elapsedMs: 0,
      etaMs: null,
      workDone: 0,
      workTotal: 0,
    };
    this.running.set(job.jobId, job);
    this.byKey.set(key, job);

    let computeStarted!: () => void;
    const computing = new Promise<'computing'>((resolve) => (computeStarted = () => resolve('computing')));
    const outcome = this.options.cache.runAndCacheDocument({
      key,
      schema: walkForwardResultSchema,
      permanent: input.dateRange !== undefined && isFinalizedRange(input.dateRange, lastClose),
      dataVersion: `${series.dataVersion}+wf${WALK_FORWARD_VERSION}`,
      forceRefresh: request.forceRefresh,
      compute: () => {
        computeStarted();
        this.log(`[BACKTEST FLOW] Walk-forward job ${job.jobId} started for ${key}: ${plan.steps.length} steps`);
        return computeWalkForward(series, input, {
          plan,
          runStep: this.options.runStep ?? inProcessStepRunner,
          concurrency: this.options.concurrency,
          onProgress: (p) => this.progress(job, p, plan.steps),
        });
      },
    });
    outcome.then(
      (o) => this.finish(job, o),
      (error) => this.fail(job, error),
    );

    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waiting'>((resolve) => {
      timer = setTimeout(() => resolve('waiting'), this.options.lookupWaitMs ?? 1_000);
    });
    const first = await Promise.race([outcome.then(() => 'settled' as const, () => 'settled' as const), computing, waited]);
    clearTimeout(timer);
    if (first === 'settled') {
      // Answered without computing: a hit (a failed lookup rejects here and in the job).
      return { kind: 'result', outcome: await outcome };
    }
    return { kind: 'job', jobId: job.jobId, key, total: job.total };
  }

  /**
   * The job's progress, with the result once done.
   * @throws RequestError 404 when no job has that id (unknown, or finished long ago).
   */
  status(jobId: string): WalkForwardJobStatus {
    const job = this.running.get(jobId) ?? this.finished.get(jobId);
    if (!job) throw new RequestError(`no walk-forward job ${jobId} (unknown or expired)`, 404);
    const { workDone: _workDone, workTotal: _workTotal, ...status } = job;
    return { ...status, elapsedMs: (job.finishedAt ?? this.now()) - job.startedAt };
  }

  private progress(job: Job, p: WalkForwardProgress, steps: readonly WalkForwardStep[]): void {
    const elapsed = this.now() - job.startedAt;
    Object.assign(job, {
      phase: p.phase,
      done: p.done,
      total: p.total,
      current: p.current === null ? null : steps[p.current],
      workDone: p.workDone,
      workTotal: p.workTotal,
      elapsedMs: elapsed,
      etaMs: p.workDone > 0 ? (elapsed * (p.workTotal - p.workDone)) / p.workDone : null,
    });
  }

  private finish(job: Job, outcome: CacheDocumentOutcome<WalkForwardResult>): void {
    Object.assign(job, {
      status: 'done',
      phase: 'done',
      done: job.total,
      current: null,
      etaMs: 0,
      finishedAt: this.now(),
      result: outcome.value,
      cached: outcome.cached,
      ...(outcome.cacheTier && { cacheTier: outcome.cacheTier }),
      ...(outcome.cacheAge !== undefined && { cacheAge: outcome.cacheAge }),
    });
    if (!outcome.cached) {
      this.log(`[BACKTEST FLOW] Walk-forward job ${job.jobId} done for ${job.key} in ${Math.round(outcome.value.executionTime)}ms`);
    }
    this.retire(job);
  }

  private fail(job: Job, error: unknown): void {
    Object.assign(job, {
      status: 'error',
      current: null,
      etaMs: null,
      finishedAt: this.now(),
      error: error instanceof Error ? error.message : String(error),
    });
    console.error(`[BACKTEST FLOW] Walk-forward job ${job.jobId} for ${job.key} failed:`, error);
    this.retire(job);
  }

  private retire(job: Job): void {
    this.running.delete(job.jobId);
    if (this.byKey.get(job.key) === job) this.byKey.delete(job.key);
    this.finished.set(job.jobId, job);
  }
}
