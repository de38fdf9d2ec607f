/**
 * GET /api/backtest/cache, GET /api/backtest/cache/stats and POST /api/backtest/cache/clear over
 * HTTP against a real `next start` with CACHE_ADMIN_TOKEN set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import type { BacktestParams } from '@/lib/schemas';
import { VALID_PARAMS } from './bad-execute-bodies';

const TOKEN = 'http-test-token-7f3a';
const FINALIZED = { start: '2024-01-01', end: '2024-03-31' };
let server: NextServer;

beforeAll(async () => {
  // Files changed by hand show in info, stats and scoped clears after the next inventory scan.
  server = await startNextServer({ CACHE_ADMIN_TOKEN: TOKEN, CACHE_SCAN_INTERVAL_MS: '100' });
});

afterAll(() => server?.stop());

const execute = async (params: BacktestParams) => {
  const response = await fetch(`${server.url}/api/backtest/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ params }),
  });
  expect(response.status).toBe(200);
  return response.json();
};
const clear = (body: unknown, token: string | null = TOKEN) =>
  fetch(`${server.url}/api/backtest/cache/clear`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== null && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
const getJson = async (route: string) => {
  const response = await fetch(`${server.url}${route}`);
  expect(response.status).toBe(200);
  return response.json();
};
const files = (tier: string) => {
  const dir = path.join(server.cacheDir, tier);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};
const bytes = (tier: string) => files(tier).reduce((s, n) => s + fs.statSync(path.join(server.cacheDir, tier, n)).size, 0);

async function populate() {
  expect((await clear({ scope: 'all' })).status).toBe(200);
  await execute(VALID_PARAMS);
  await execute({ ...VALID_PARAMS, asset: 'BTC' });
  await execute({ ...VALID_PARAMS, dateRange: FINALIZED });
  await execute({ ...VALID_PARAMS, asset: 'BTC', dateRange: FINALIZED });
}

describe('cache routes over HTTP', () => {
  it('GET /api/backtest/cache reports tiers, markets and the archive', async () => {
    await populate();
    fs.mkdirSync(path.join(server.cacheDir, 'archive'), { recursive: true });
    fs.writeFileSync(path.join(server.cacheDir, 'archive', 'ETH-4h-3x-25-75-contrarian.json'), '{}');
    const info = await vi.waitFor(async () => {
      const answer = await getJson('/api/backtest/cache');
      expect(answer.archive.files).toBe(1);
      return answer;
    }, { timeout: 10_000, interval: 100 });
    expect(info).toMatchObject({
      tiers: {
        permanent: { entries: 2, bytes: bytes('permanent'), stale: 0 },
        temporary: { entries: 2, bytes: bytes('temporary'), stale: 0 },
      },
      totalEntries: 4,
      staleEntries: 0,
      byMarket: { 'ETH-4h': { permanent: 1, temporary: 1 }, 'BTC-4h': { permanent: 1, temporary: 1 } },
      archive: { files: 1, bytes: 2 },
    });
    expect(info.newestComputedAt).toBeGreaterThanOrEqual(info.oldestComputedAt);
  });

  it('GET /api/backtest/cache/stats reports measured figures', async () => {
    await populate();
    const before = await getJson('/api/backtest/cache/stats');
    await execute(VALID_PARAMS);
    await execute(VALID_PARAMS);
    await execute({ ...VALID_PARAMS, leverage: 10 });
    const stats = await getJson('/api/backtest/cache/stats');
    expect(stats.hits - before.hits).toBe(2);
    expect(stats.misses - before.misses).toBe(1);
    expect(stats).toMatchObject({
      totalEntries: 5,
      permanentEntries: 2,
      cacheSize: bytes('permanent') + bytes('temporary'),
      hitRate: (stats.hits / (stats.hits + stats.misses)) * 100,
    });
    expect(stats.avgExecutionTime).toBeGreaterThan(0);
    expect(stats.avgCacheResponseTime).toBeGreaterThan(0);
  });

  it('POST /api/backtest/cache/clear clears by scope and asset', async () => {
    await populate();
    expect(await (await clear({ scope: 'temporary', asset: 'BTC' })).json()).toMatchObject({ removed: 1 });
    expect(files('temporary')).toEqual(['ETH-4h-3x-25-75-contrarian.json']);
    expect(await (await clear({ scope: 'permanent', asset: 'ETH' })).json()).toMatchObject({ removed: 1 });
    expect(files('permanent')).toEqual([expect.stringMatching(/^BTC-/)]);
    const stale = path.join(server.cacheDir, 'temporary', 'ETH-4h-3x-25-75-contrarian.json');
    fs.writeFileSync(stale, fs.readFileSync(stale, 'utf8').replace(/"dataVersion": "[^"]+"/, '"dataVersion": "old"'));
    await vi.waitFor(async () => expect((await getJson('/api/backtest/cache')).staleEntries).toBe(1), { timeout: 10_000, interval: 100 });
    expect(await (await clear({ scope: 'stale' })).json()).toMatchObject({ removed: 1 });
    const rest = bytes('permanent');
    expect(await (await clear({ scope: 'all' })).json()).toEqual({ removed: 1, freedBytes: rest });
    expect([...files('temporary'), ...files('permanent')]).toEqual([]);
  });

  it('POST /api/backtest/cache/clear answers 401 without or with a wrong token and changes nothing', async () => {
    await populate();
    for (const token of [null, 'wrong', `${TOKEN}x`]) {
      const response = await clear({ scope: 'all' }, token);
      expect(response.status).toBe(401);
      expect(typeof (await response.json()).error).toBe('string');
    }
    expect(files('temporary')).toHaveLength(2);
    expect(files('permanent')).toHaveLength(2);
  });

  it('POST /api/backtest/cache/clear answers 400 naming the field', async () => {
    const response = await clear({ scope: 'some' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain('scope');
  });
});
