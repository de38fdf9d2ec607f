/**
 * SharedWarmJobs (lib/warm/shared-warm-job.ts) on a private redis-server, two runners in one
 * process standing for two instances (each its own cache server over one folder, a constant
 * backtest result instead of the engine so the test is quick): a job started on one is reported
 * by the other, refused with 409 on both while it runs, its items are taken by both, and an item
 * that runs twice (a batch retried after a crash) is counted once.
 */
import fs from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestCacheServer } from '@/lib/backtest-cache-server';
import { FileCacheStore } from '@/lib/cache/file-store';
import { RequestError } from '@/lib/errors';
import { warmOptionsSchema, type BacktestParams } from '@/lib/schemas';
import { buildWarmPlan } from '@/lib/warm/plan';
import { ITEMS_PER_BATCH, SharedWarmJobs } from '@/lib/warm/shared-warm-job';
import { fakeResult, tempDir } from '../cache/helpers';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let redis: RedisServer;
const dir = tempDir('splitsea-shared-warm-');
const computedBy: Record<'a' | 'b', BacktestParams[]> = { a: [], b: [] };
let a: SharedWarmJobs;
let b: SharedWarmJobs;

function instance(name: 'a' | 'b'): SharedWarmJobs {
  const server = new BacktestCacheServer({
    store: new FileCacheStore(dir, { fsync: false }),
    compute: async (params) => {
      computedBy[name].push(params);
      await new Promise((r) => setTimeout(r, 2)); // long enough for both instances to take batches
      return { result: fakeResult(params, Date.now()), dataVersion: 'shared-warm' };
    },
    seriesFacts: async () => ({ dataVersion: 'shared-warm', lastCloseTime: Date.parse('2026-01-01T00:00:00Z') }),
    logger: { info: () => undefined, warn: () => undefined },
  });
  return new SharedWarmJobs({ url: redis.url, prefix: 'sharedtest:', server });
}

beforeAll(async () => {
  redis = await startRedisServer();
  a = instance('a');
  b = instance('b');
  a.startWorker();
  b.startWorker();
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function finished(runner: SharedWarmJobs) {
  for (;;) {
    const status = await runner.status();
    if (status.status !== 'running') return status;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SharedWarmJobs', () => {
  it('reports idle before the first job', async () => {
    expect(await b.status()).toEqual({ status: 'idle', done: 0, total: 0, computed: 0, hits: 0, failed: 0 });
  });

  it('shares one job between two instances: same status on both, 409 on both, items taken by both', async () => {
    const options = warmOptionsSchema.parse({ preset: 'grid', assets: ['SOL'], lowMin: 1, lowMax: 30, highMin: 60, highMax: 69 });
    const { jobId, total } = await a.start(options);
    expect(total).toBe(300);
    expect(await b.status()).toMatchObject({ jobId, status: 'running', total: 300 });
    for (const runner of [a, b]) {
      const refused = await runner.start(options).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RequestError);
      expect(refused).toMatchObject({ status: 409, message: expect.stringContaining(jobId) });
    }
    const status = await finished(b);
    expect(status).toMatchObject({ jobId, status: 'done', done: 300, total: 300, computed: 300, hits: 0, failed: 0, etaMs: 0 });
    expect(status.status === 'done' && status.finishedAt! >= status.startedAt).toBe(true);
    expect(await a.status()).toEqual({ ...status, elapsedMs: expect.any(Number), rate: expect.any(Number) });
    expect(computedBy.a.length).toBeGreaterThan(0);
    expect(computedBy.b.length).toBeGreaterThan(0);
    expect(computedBy.a.length + computedBy.b.length).toBe(300);
  });

  it('counts an item once when its batch runs twice (as after an instance died mid-batch)', async () => {
    const options = warmOptionsSchema.parse({ preset: 'grid', assets: ['BTC'], lowMin: 1, lowMax: 30, highMin: 70, highMax: 79 });
    const computedBefore = computedBy.a.length + computedBy.b.length;
    const { jobId, total } = await a.start(options);
    // The first batch once more, at the head of the queue, as bullmq re-queues a stalled batch.
    const queue = new Queue('warm', { connection: new Redis(redis.url, { maxRetriesPerRequest: null }), prefix: 'sharedtest:bull' });
    try {
      const items = buildWarmPlan(options).slice(0, ITEMS_PER_BATCH);
      await queue.add('batch', { jobId, first: 0, items, permanent: false, concurrency: 4 }, { lifo: true });
      const status = await finished(b);
      expect(status).toMatchObject({ jobId, status: 'done', done: total, total, failed: 0 });
      expect(status.status === 'done' && status.computed + status.hits).toBe(total);
      // Every item ran, the replayed ones twice (as hits or recomputed), each counted once.
      const queued = async () => Object.values(await queue.getJobCounts('active', 'wait')).reduce((s, n) => s + n, 0);
      while ((await queued()) > 0) await new Promise((r) => setTimeout(r, 20));
      expect(computedBy.a.length + computedBy.b.length - computedBefore).toBeGreaterThanOrEqual(total);
      expect(await b.status()).toMatchObject({ done: total });
    } finally {
      await queue.close();
      await queue.disconnect();
    }
  });
});
