/**
 * GET /api/backtest/cache, GET /api/backtest/cache/stats and POST /api/backtest/cache/clear called
 * as route handlers, with the process-wide cache server on a temporary CACHE_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as clearRoute } from '@/app/api/backtest/cache/clear/route';
import { GET as infoRoute } from '@/app/api/backtest/cache/route';
import { GET as statsRoute } from '@/app/api/backtest/cache/stats/route';
import { POST as executeRoute } from '@/app/api/backtest/execute/route';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import type { BacktestParams } from '@/lib/schemas';
import { ETH_4H_PARAMS } from '../helpers/params';

const { CACHE_DIR } = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.CACHE_DIR = mkdtempSync(join(tmpdir(), 'splitsea-cache-routes-'));
  return { CACHE_DIR: process.env.CACHE_DIR };
});

const PARAMS = ETH_4H_PARAMS;
const FINALIZED = { start: '2024-01-01', end: '2024-03-31' };

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function execute(params: BacktestParams) {
  const response = await executeRoute(post('/api/backtest/execute', { params }));
  expect(response.status).toBe(200);
  return response.json();
}

const clear = (body: unknown, headers?: Record<string, string>) => clearRoute(post('/api/backtest/cache/clear', body, headers));
const files = (tier: string) => (fs.existsSync(path.join(CACHE_DIR, tier)) ? fs.readdirSync(path.join(CACHE_DIR, tier)).sort() : []);
const bytes = (tier: string) => files(tier).reduce((sum, n) => sum + fs.statSync(path.join(CACHE_DIR, tier, n)).size, 0);

/** ETH and BTC entries in both tiers (finalized date ranges go to the permanent tier). */
async function populate() {
  await clear({ scope: 'all' });
  await execute(PARAMS);
  await execute({ ...PARAMS, asset: 'BTC' });
  await execute({ ...PARAMS, dateRange: FINALIZED });
  await execute({ ...PARAMS, asset: 'BTC', dateRange: FINALIZED });
  await execute({ ...PARAMS, asset: 'SOL', timeframe: '1h' });
}

beforeAll(() => {
  expect((backtestCacheServer.store as { root?: string }).root).toBe(CACHE_DIR);
});

afterAll(async () => {
  await backtestCacheServer.flush();
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('GET /api/backtest/cache', () => {
  it('reports entries by tier, stale count, bytes, markets, oldest/newest and the archive', async () => {
    await populate();
    fs.mkdirSync(path.join(CACHE_DIR, 'archive', 'temporary'), { recursive: true });
    fs.copyFileSync(path.join(CACHE_DIR, 'temporary', files('temporary')[0]), path.join(CACHE_DIR, 'archive', 'temporary', 'a.json'));
    const archived = fs.statSync(path.join(CACHE_DIR, 'archive', 'temporary', 'a.json')).size;
    await backtestCacheServer.rescan(); // files made by hand show after the inventory's next scan
    const response = await infoRoute();
    expect(response.status).toBe(200);
    const info = await response.json();
    expect(info).toMatchObject({
      tiers: {
        permanent: { entries: 2, bytes: bytes('permanent'), stale: 0 },
        temporary: { entries: 3, bytes: bytes('temporary'), stale: 0 },
      },
      totalEntries: 5,
      totalBytes: bytes('permanent') + bytes('temporary'),
      staleEntries: 0,
      byMarket: {
        'ETH-4h': { permanent: 1, temporary: 1 },
        'BTC-4h': { permanent: 1, temporary: 1 },
        'SOL-1h': { permanent: 0, temporary: 1 },
      },
      archive: { files: 1, bytes: archived },
    });
    expect(info.oldestComputedAt).toBeLessThanOrEqual(info.newestComputedAt);
    expect(Date.now() - info.oldestComputedAt).toBeLessThan(60_000);
  });

  it('counts a corrupt entry as stale', async () => {
    await populate();
    fs.writeFileSync(path.join(CACHE_DIR, 'temporary', files('temporary')[0]), '{"truncated": ');
    await backtestCacheServer.rescan();
    const info = await (await infoRoute()).json();
    expect(info.staleEntries).toBe(1);
    expect(info.tiers.temporary.stale).toBe(1);
  });
});

describe('GET /api/backtest/cache/stats', () => {
  it('reports measured hits, misses, times and storage', async () => {
    await populate();
    const before = await (await statsRoute()).json();
    const params = { ...PARAMS, leverage: 9 };
    await execute(params);
    for (let i = 0; i < 3; i++) await execute(params);
    const response = await statsRoute();
    expect(response.status).toBe(200);
    const stats = await response.json();
    expect(stats.hits - before.hits).toBe(3);
    expect(stats.misses - before.misses).toBe(1);
    expect(stats.hitRate).toBeCloseTo((stats.hits / (stats.hits + stats.misses)) * 100, 10);
    expect(stats).toMatchObject({
      totalEntries: files('temporary').length + files('permanent').length,
      permanentEntries: files('permanent').length,
      cacheSize: bytes('temporary') + bytes('permanent'),
    });
    expect(Number.isInteger(stats.cacheSize)).toBe(true);
    expect(stats.avgExecutionTime).toBeGreaterThan(0);
    expect(stats.avgCacheResponseTime).toBeGreaterThan(0);
  });
});

describe('POST /api/backtest/cache/clear', () => {
  it('clears the temporary tier of one asset', async () => {
    await populate();
    const before = bytes('temporary');
    const response = await clear({ scope: 'temporary', asset: 'ETH' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ removed: 1, freedBytes: before - bytes('temporary') });
    expect(files('temporary').some((n) => n.startsWith('ETH-'))).toBe(false);
    expect(files('temporary')).toHaveLength(2);
    expect(files('permanent')).toHaveLength(2);
  });

  it('clears the permanent tier of one asset', async () => {
    await populate();
    expect(await (await clear({ scope: 'permanent', asset: 'BTC' })).json()).toMatchObject({ removed: 1 });
    expect(files('permanent')).toEqual([expect.stringMatching(/^ETH-/)]);
  });

  it('clears everything of one asset, then everything', async () => {
    await populate();
    expect(await (await clear({ scope: 'all', asset: 'SOL' })).json()).toMatchObject({ removed: 1 });
    expect([...files('temporary'), ...files('permanent')].some((n) => n.startsWith('SOL-'))).toBe(false);
    const total = bytes('temporary') + bytes('permanent');
    expect(await (await clear({ scope: 'all' })).json()).toEqual({ removed: 4, freedBytes: total });
    expect([...files('temporary'), ...files('permanent')]).toEqual([]);
  });

  it('clears stale entries only, optionally for one asset', async () => {
    await populate();
    const [eth] = files('temporary').filter((n) => n.startsWith('ETH-'));
    const [btc] = files('temporary').filter((n) => n.startsWith('BTC-'));
    for (const name of [eth, btc]) {
      const file = path.join(CACHE_DIR, 'temporary', name);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"engineVersion": "[^"]+"/, '"engineVersion": "0.0.1"'));
    }
    await backtestCacheServer.rescan();
    expect(await (await clear({ scope: 'stale', asset: 'BTC' })).json()).toMatchObject({ removed: 1 });
    expect(files('temporary')).toContain(eth);
    expect(await (await clear({ scope: 'stale' })).json()).toMatchObject({ removed: 1 });
    expect(files('temporary')).toHaveLength(1);
    expect(files('permanent')).toHaveLength(2);
  });

  it.each([
    ['an unknown scope', { scope: 'everything' }, 'scope'],
    ['an unknown asset', { scope: 'all', asset: 'DOGE' }, 'asset'],
    ['an unknown field', { scope: 'all', olderThan: 3 }, 'olderThan'],
    ['a missing scope', {}, 'scope'],
  ])('answers 400 to %s, naming the field', async (_, body, field) => {
    const response = await clear(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain(field);
  });

  it('answers 400 to malformed JSON and 413 to a body over 64 KB', async () => {
    expect((await clear('{"scope":')).status).toBe(400);
    expect((await clear({ scope: 'all', pad: 'x'.repeat(65 * 1024) })).status).toBe(413);
  });

  describe('with CACHE_ADMIN_TOKEN set', () => {
    it('answers 401 without a token or with a wrong one, and clears with the right one', async () => {
      vi.stubEnv('CACHE_ADMIN_TOKEN', 's3cret-token');
      await populate().catch(() => undefined); // populate's own clear is refused now
      const count = files('temporary').length + files('permanent').length;
      const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer s3cret-token-and-more' }, { authorization: 's3cret-token' }, { authorization: 'Basic s3cret-token' }];
      for (const headers of attempts) {
        const response = await clear({ scope: 'all' }, headers);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect((await response.json()).error).toMatch(/token/);
      }
      expect(files('temporary').length + files('permanent').length).toBe(count);
      const ok = await clear({ scope: 'all' }, { authorization: 'Bearer s3cret-token' });
      expect(ok.status).toBe(200);
      expect((await ok.json()).removed).toBe(count);
    });

    it('checks the token before the body', async () => {
      vi.stubEnv('CACHE_ADMIN_TOKEN', 's3cret-token');
      expect((await clear('not json')).status).toBe(401);
    });
  });

  it('answers 403 in production without a configured token, and is open in development', async () => {
    vi.stubEnv('CACHE_ADMIN_TOKEN', '');
    vi.stubEnv('NODE_ENV', 'production');
    const refused = await clear({ scope: 'all' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/CACHE_ADMIN_TOKEN/);
    vi.stubEnv('NODE_ENV', 'development');
    expect((await clear({ scope: 'all' })).status).toBe(200);
  });
});
