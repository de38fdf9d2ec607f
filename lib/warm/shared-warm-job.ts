/**
 * The warm-up job with CACHE_STORE=redis: one job shared by every instance. Its items are bullmq
 * jobs on one Redis queue (`{REDIS_PREFIX}bull:warm:*`), batches of ITEMS_PER_BATCH params each,
 * which the bullmq worker of every instance takes, computes (in the background lane: long
 * backtests in the worker pool at low priority; after waiting for interactive requests) and
 * stores in the shared cache. The job's status is one Redis hash (`{REDIS_PREFIX}warm:job`), so
 * every instance's GET reports the same progress and every instance's POST answers 409 while it runs.
 *
 * Crash safety: an instance killed mid-batch stops renewing its bullmq lock; after LOCK_MS the
 * other instances' stalled-job check puts the batch back on the queue and one of them runs it.
 * Each item is counted once however often it runs (a Redis set of finished item ids, updated in
 * the same Lua script as the counters); a re-run item finds its result cached already.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { BacktestCacheServer } from '../backtest-cache-server';
import { cacheKey } from '../cache/key';
import { RequestError } from '../errors';
import type { BacktestParams, WarmOptions } from '../schemas';
import { inBackgroundLane } from '../worker-pool';
import { IDLE_STATUS, type WarmIdleStatus, type WarmJobs, type WarmJobStatus } from './job-status';
import { planWarmJob } from './plan';

/** Params per bullmq job: few enough to spread a grid over instances, enough to keep Redis traffic low. */
export const ITEMS_PER_BATCH = 10;
/** bullmq lock of a running batch, ms: a killed instance's batches are taken over after at most this (plus STALLED_CHECK_MS). */
export const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
const MAX_REPORTED_FAILURES = 20;
const QUEUE = 'warm';

/** Data of one bullmq job: a batch of plan items. */
interface BatchData {
  jobId: string;
  /** Index of the batch's first item in the plan. */
  first: number;
  items: BacktestParams[];
  permanent: boolean;
  concurrency: number;
}

/** Starts a job unless one runs: returns '' when started, else the running job's id. */
const CLAIM_LUA = `
if redis.call('HGET', KEYS[1], 'status') == 'running' then return redis.call('HGET', KEYS[1], 'jobId') end
local old = redis.call('HGET', KEYS[1], 'jobId')
if old then redis.call('DEL', KEYS[3] .. old) end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], unpack(ARGV))
return ''`;

/**
 * Counts one finished item once: KEYS hash, failures list, done set; ARGV jobId, item index,
 * field (computed|hits|failed), failure text, now (Unix ms). Ignored when another job is current
 * or the job has finished (a late re-run of a batch whose items were all counted).
 */
const RECORD_LUA = `
if redis.call('HGET', KEYS[1], 'jobId') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
if redis.call('SADD', KEYS[3], ARGV[2]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
if ARGV[3] == 'failed' and redis.call('LLEN', KEYS[2]) < ${MAX_REPORTED_FAILURES} then redis.call('RPUSH', KEYS[2], ARGV[4]) end
local done = redis.call('HINCRBY', KEYS[1], 'done', 1)
if done >= tonumber(redis.call('HGET', KEYS[1], 'total')) then
  redis.call('HSET', KEYS[1], 'status', 'done', 'finishedAt', ARGV[5])
  redis.call('DEL', KEYS[3])
end
return 1`;

interface WarmRedis extends Redis {
  claimWarmJob(hash: string, failures: string, donePrefix: string, ...fields: string[]): Promise<string>;
  recordWarmItem(hash: string, failures: string, done: string, jobId: string, index: string, field: string, failure: string, now: string): Promise<number>;
}

/** Options of a SharedWarmJobs. */
export interface SharedWarmJobsOptions {
  /** REDIS_URL. */
  url: string;
  /** REDIS_PREFIX. */
  prefix: string;
  server: BacktestCacheServer;
}

/** The Redis-shared job runner; `startWorker()` makes this instance take items too. */
export class SharedWarmJobs implements WarmJobs {
  private readonly redis: WarmRedis;
  private readonly queue: Queue<BatchData>;
  private worker: Worker<BatchData> | null = null;
  private readonly keys: { hash: string; failures: string; donePrefix: string };

  constructor(private readonly options: SharedWarmJobsOptions) {
    // bullmq needs commands that wait (no retry limit) on its connections.
    this.redis = new Redis(options.url, { maxRetriesPerRequest: null }) as WarmRedis;
    this.redis.on('error', () => undefined); // the cache store logs connection problems
    this.redis.defineCommand('claimWarmJob', { numberOfKeys: 3, lua: CLAIM_LUA });
    this.redis.defineCommand('recordWarmItem', { numberOfKeys: 3, lua: RECORD_LUA });
    this.queue = new Queue<BatchData>(QUEUE, { connection: this.redis, prefix: `${options.prefix}bull` });
    this.queue.on('error', () => undefined);
    this.keys = { hash: `${options.prefix}warm:job`, failures: `${options.prefix}warm:failures`, donePrefix: `${options.prefix}warm:done:` };
  }

  async start(options: WarmOptions): Promise<{ jobId: string; total: number }> {
    this.startWorker();
    const plan = planWarmJob(options);
    const jobId = randomUUID();
    const { hash, failures, donePrefix } = this.keys;
    const fields = {
      jobId, status: 'running', preset: options.preset, total: plan.length, done: 0, computed: 0, hits: 0, failed: 0,
      startedAt: Date.now(),
    };
    const running = await this.redis.claimWarmJob(hash, failures, donePrefix, ...Object.entries(fields).flat().map(String));
    if (running) throw new RequestError(`a warm-up job is already running (${running})`, 409);
    try {
      for (let first = 0; first < plan.length; first += ITEMS_PER_BATCH * 100) {
        const batches = [];
        for (let b = first; b < Math.min(plan.length, first + ITEMS_PER_BATCH * 100); b += ITEMS_PER_BATCH) {
          const data: BatchData = {
            jobId, first: b, items: plan.slice(b, b + ITEMS_PER_BATCH), permanent: options.permanent === true, concurrency: options.concurrency,
          };
          batches.push({ name: 'batch', data, opts: { jobId: `${jobId}-${b}`, removeOnComplete: true, removeOnFail: 100, attempts: 5, backoff: { type: 'fixed', delay: 1000 } } });
        }
        await this.queue.addBulk(batches);
      }
    } catch (error) {
      await this.redis.hset(hash, 'status', 'error', 'finishedAt', Date.now()).catch(() => undefined);
      throw error;
    }
    console.log(`[BACKTEST FLOW] Shared warm-up job ${jobId} queued: ${plan.length} combinations (${options.preset})`);
    return { jobId, total: plan.length };
  }

  async status(): Promise<WarmJobStatus | WarmIdleStatus> {
    this.startWorker();
    const [hash, failures] = await Promise.all([this.redis.hgetall(this.keys.hash), this.redis.lrange(this.keys.failures, 0, -1)]);
    if (!hash.jobId) return IDLE_STATUS;
    const n = (field: string) => Number(hash[field] ?? 0);
    const startedAt = n('startedAt');
    const finishedAt = hash.finishedAt === undefined ? undefined : n('finishedAt');
    const done = n('done');
    const total = n('total');
    const elapsedMs = (finishedAt ?? Date.now()) - startedAt;
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    return {
      jobId: hash.jobId,
      status: hash.status as WarmJobStatus['status'],
      preset: hash.preset as WarmOptions['preset'],
      startedAt,
      ...(finishedAt !== undefined && { finishedAt }),
      done,
      total,
      computed: n('computed'),
      hits: n('hits'),
      failed: n('failed'),
      elapsedMs,
      rate,
      etaMs: done === total ? 0 : done > 0 && rate > 0 ? ((total - done) / rate) * 1000 : null,
      failures: failures.map((line) => JSON.parse(line) as { key: string; error: string }),
    };
  }

  /** Makes this instance take batches from the shared queue (idempotent). */
  startWorker(): void {
    if (this.worker) return;
    this.worker = new Worker<BatchData>(QUEUE, (job) => this.runBatch(job), {
      connection: this.redis,
      prefix: `${this.options.prefix}bull`,
      concurrency: 4,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: 10,
    });
    this.worker.on('error', (error) => console.warn(`[BACKTEST FLOW] warm queue worker: ${error.message}`));
  }

  /** Stops taking batches (running ones finish) and closes the connections. */
  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.redis.disconnect();
  }

  private async runBatch(job: Job<BatchData>): Promise<void> {
    const { jobId, first, items, permanent, concurrency } = job.data;
    // The job's concurrency is per instance: batches in flight at once here.
    if (this.worker && this.worker.concurrency !== concurrency) this.worker.concurrency = concurrency;
    const { hash, failures, donePrefix } = this.keys;
    for (const [offset, params] of items.entries()) {
      await this.options.server.whenInteractiveQuiet();
      let field: 'computed' | 'hits' | 'failed';
      let failure = '';
      try {
        const { cached } = await inBackgroundLane(() => this.options.server.runAndCache(params, { permanent }));
        field = cached ? 'hits' : 'computed';
      } catch (error) {
        field = 'failed';
        failure = JSON.stringify({ key: cacheKey(params), error: error instanceof Error ? error.message : String(error) });
      }
      // A failure here (Redis down) fails the batch; bullmq retries it and counted items stay counted once.
      await this.redis.recordWarmItem(hash, failures, `${donePrefix}${jobId}`, jobId, String(first + offset), field, failure, String(Date.now()));
    }
  }
}
