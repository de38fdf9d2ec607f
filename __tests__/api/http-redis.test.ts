/**
 * Two `next start` instances sharing one Redis (CACHE_STORE=redis, same REDIS_URL), as behind a
 * load balancer: results computed through one are hits through the other, concurrent cold
 * requests split over both compute once, and stopping Redis mid-stream costs no request (the
 * instances compute until it is back, then use it again). Build first, e.g.
 * `NEXT_DIST_DIR=.next-redis npx next build`, and run with the same NEXT_DIST_DIR.
 * Engine runs are counted from both servers' `[BACKTEST EXEC]` log lines.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { VALID_PARAMS } from './bad-execute-bodies';

let redis: RedisServer;
let servers: NextServer[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const env = { CACHE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: `http${process.pid}:` };
  servers = await Promise.all([startNextServer(env), startNextServer(env)]);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  for (const server of servers) fs.rmSync(server.cacheDir, { recursive: true, force: true });
  await redis?.stop();
});

async function execute(server: NextServer, params: BacktestParams) {
  const response = await fetch(`${server.url}/api/backtest/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ params }),
  });
  return { status: response.status, body: await response.json() };
}

const execLines = (key: string) =>
  servers.flatMap((server) => server.output().split('\n')).filter((line) => line.startsWith(`[BACKTEST EXEC] ${key}:`));

describe('two instances sharing one Redis', () => {
  it('serves a result computed through one instance as a hit through the other', async () => {
    const params = { ...VALID_PARAMS, leverage: 2 };
    const [a, b] = servers;
    const miss = await execute(a, params);
    expect(miss).toMatchObject({ status: 200, body: { cached: false } });
    const hit = await execute(b, params);
    expect(hit).toMatchObject({ status: 200, body: { cached: true, cacheTier: 'temporary', result: miss.body.result } });
    expect(execLines(cacheKey(params))).toHaveLength(1);
    const info = await (await fetch(`${b.url}/api/backtest/cache`)).json();
    expect(info).toMatchObject({ store: { kind: 'redis', prefix: `http${process.pid}:` }, tiers: { temporary: { entries: 1 } } });
    expect(fs.existsSync(`${a.cacheDir}/temporary`) || fs.existsSync(`${b.cacheDir}/temporary`)).toBe(false);
  });

  it('computes once for 50 concurrent identical cold requests split across both', async () => {
    const params = { ...VALID_PARAMS, leverage: 4 };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => execute(servers[i % 2], params)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.result))).size).toBe(1);
    expect(execLines(cacheKey(params))).toHaveLength(1);
  });

  it('answers every request while Redis is stopped mid-stream, and serves hits again once it is back', async () => {
    const stream = (i: number) => ({ ...VALID_PARAMS, leverage: 6, lowThreshold: 10 + (i % 30) });
    const before = [];
    for (let i = 0; i < 10; i++) before.push(await execute(servers[i % 2], stream(i)));
    await redis.stop();
    const during = [];
    for (let i = 10; i < 40; i++) during.push(await execute(servers[i % 2], stream(i)));
    expect([...before, ...during].map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(during.every((a) => a.body.cached === false)).toBe(true);
    // Logged once a minute per kind (connection, read, lock, write, …), not per request.
    for (const server of servers) {
      const errors = server.output().split('\n').filter((l) => l.startsWith('[CACHE ERROR]'));
      expect(errors).toContain('[CACHE ERROR] Cache read failed: REDIS_UNAVAILABLE; continuing without the cache');
      expect(errors.length).toBeLessThanOrEqual(6);
    }

    await redis.restart(); // empty: nothing is persisted
    const params = { ...VALID_PARAMS, leverage: 8 };
    const deadline = Date.now() + 15_000;
    let hit;
    do {
      await execute(servers[0], params);
      hit = await execute(servers[1], params);
      if (!hit.body.cached) await new Promise((r) => setTimeout(r, 200));
    } while (!hit.body.cached && Date.now() < deadline);
    expect(hit).toMatchObject({ status: 200, body: { cached: true } });
    expect(servers.some((s) => /\[BACKTEST FLOW\] Redis at .* reachable again/.test(s.output()))).toBe(true);
  });
});
