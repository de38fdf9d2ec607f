/**
 * The warm-up job in Redis mode (lib/warm/shared-warm-job.ts) across two `next start` instances
 * sharing one Redis (build first: `npx next build`): a job started on one is reported by the
 * other, a second POST on the other gets 409, both instances compute its items, and when one
 * instance is killed with SIGKILL mid-job the other takes over its unfinished batches (bullmq
 * stalled-job handling) and the job ends with every item cached, each counted once.
 */
import fs from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '@/lib/cache/key';
import { warmOptionsSchema } from '@/lib/schemas';
import { buildWarmPlan } from '@/lib/warm/plan';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let redis: RedisServer;
let client: Redis;
let servers: NextServer[] = [];
const PREFIX = `warm${process.pid}:`;
// A custom plan needs the admin token in production (SPEC §6).
const TOKEN = 'warm-shared-test-token';

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
  const env = { CACHE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: PREFIX, WORKERS: '1', CACHE_ADMIN_TOKEN: TOKEN };
  servers = await Promise.all([startNextServer(env), startNextServer(env)]);
});

afterAll(async () => {
  // The instance killed by the test has exited already (stop() would wait for an exit it missed).
  await Promise.all(servers.filter((server) => server.process.signalCode === null).map((server) => server.stop()));
  for (const server of servers) fs.rmSync(server.cacheDir, { recursive: true, force: true });
  client?.disconnect();
  await redis?.stop();
});

const warm = (server: NextServer, body?: unknown) =>
  fetch(`${server.url}/api/backtest/warm-cache`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const status = async (server: NextServer) => (await fetch(`${server.url}/api/backtest/warm-cache`)).json();
const computedBy = (server: NextServer) => server.output().split('\n').filter((l) => l.startsWith('[BACKTEST EXEC]')).length;

async function until(server: NextServer, done: (s: Record<string, unknown>) => boolean, timeoutMs = 150_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(server);
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`warm job did not get there in time: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Keys of `plan` missing from the shared cache (either tier). */
async function missingKeys(keys: string[]): Promise<string[]> {
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.exists(`${PREFIX}temporary:${key}`, `${PREFIX}permanent:${key}`);
  const found = await pipeline.exec();
  return keys.filter((_, i) => found![i][1] === 0);
}

describe('a warm-up job shared by two instances (CACHE_STORE=redis)', () => {
  it('is reported by both, refused with 409 on the other while it runs, and computed by both', async () => {
    const [a, b] = servers;
    const body = { preset: 'grid', assets: ['SOL'], leverages: [2], lowMin: 10, lowMax: 40, highMin: 50, highMax: 90 };
    const started = await warm(a, body);
    expect(started.status).toBe(202);
    const { jobId, total } = await started.json();
    const onB = await status(b);
    expect(onB).toMatchObject({ jobId, total, status: 'running' });
    const refused = await warm(b, body);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toContain(jobId);
    expect((await warm(a)).status).toBe(409);

    const finished = await until(b, (s) => s.status !== 'running');
    expect(finished).toMatchObject({ jobId, status: 'done', done: total, total, computed: total, hits: 0, failed: 0 });
    expect(await status(a)).toMatchObject({ jobId, status: 'done', done: total });
    expect(computedBy(a)).toBeGreaterThan(0);
    expect(computedBy(b)).toBeGreaterThan(0);
    expect(computedBy(a) + computedBy(b)).toBe(total);
    const plan = buildWarmPlan(warmOptionsSchema.parse(body));
    expect(await missingKeys(plan.map(cacheKey))).toEqual([]);
  });

  it('loses no item when an instance is killed with SIGKILL mid-job', async () => {
    const [a, b] = servers;
    const body = { preset: 'grid', assets: ['ETH'], timeframes: ['1h'], leverages: [5], strategies: ['momentum'], lowMin: 1, lowMax: 50, highMin: 51, highMax: 80 };
    const started = await warm(a, body);
    expect(started.status).toBe(202);
    const { jobId, total } = await started.json();
    expect(total).toBe(1500);
    await until(b, (s) => (s.done as number) >= total * 0.2);
    const exited = new Promise((resolve) => a.process.once('exit', resolve));
    a.process.kill('SIGKILL');
    await exited;
    const atKill = await status(b);
    expect(atKill.status).toBe('running');

    const finished = await until(b, (s) => s.status !== 'running', 170_000);
    expect(finished).toMatchObject({ jobId, status: 'done', done: total, failed: 0 });
    expect((finished.computed as number) + (finished.hits as number)).toBe(total);
    const plan = buildWarmPlan(warmOptionsSchema.parse(body));
    expect(await missingKeys(plan.map(cacheKey))).toEqual([]);
  }, 200_000);
});
