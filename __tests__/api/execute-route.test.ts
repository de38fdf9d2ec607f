/**
 * POST /api/backtest/execute called as a route handler with `new Request(...)`, on the real engine
 * and market data, with the process-wide cache server on a temporary CACHE_DIR. computeBacktest is
 * wrapped in a spy so engine runs can be counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheKey } from '@/lib/cache/key';
import * as runBacktest from '@/lib/backtest-service';
import { BAD_EXECUTE_BODIES, VALID_PARAMS } from './bad-execute-bodies';
import { POST } from '@/app/api/backtest/execute/route';
import { backtestCacheServer } from '@/lib/backtest-cache-server';

// Before any import creates the process-wide cache server: point it at a fresh folder.
const { CACHE_DIR } = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.CACHE_DIR = mkdtempSync(join(tmpdir(), 'splitsea-execute-route-'));
  return { CACHE_DIR: process.env.CACHE_DIR };
});

vi.mock('@/lib/backtest-service', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/backtest-service')>();
  return { ...actual, computeBacktest: vi.fn(actual.computeBacktest) };
});

const computeSpy = vi.mocked(runBacktest.computeBacktest);

const PARAMS = VALID_PARAMS;

function execute(body: unknown): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return POST(
    new Request('http://localhost/api/backtest/execute', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    }),
  );
}

beforeAll(() => {
  expect((backtestCacheServer.store as { root?: string }).root).toBe(CACHE_DIR);
});

afterAll(async () => {
  await backtestCacheServer.flush();
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
});

beforeEach(() => {
  computeSpy.mockClear();
});

describe('POST /api/backtest/execute', () => {
  it('computes on a miss and answers the identical result from the cache next time', async () => {
    const params = { ...PARAMS, leverage: 2 };
    const miss = await execute({ params });
    expect(miss.status).toBe(200);
    const first = await miss.json();
    expect(first).toMatchObject({ cached: false, result: { params, bars: expect.any(Number) } });
    expect(first).not.toHaveProperty('cacheAge');
    const hitResponse = await execute({ params });
    const hit = await hitResponse.json();
    expect(hit).toEqual({ result: first.result, cached: true, cacheAge: expect.any(Number), cacheTier: 'temporary' });
    expect(hit.cacheAge).toBeGreaterThan(0);
    expect(hit.result.timestamp).toBe(first.result.timestamp);
    expect(computeSpy).toHaveBeenCalledTimes(1);
    expect(fs.existsSync(path.join(CACHE_DIR, 'temporary', `${cacheKey(params)}.json`))).toBe(true);
  });

  it('echoes the request params exactly', async () => {
    const params = {
      dateRange: { end: '2024-03-31', start: '2024-01-01' },
      strategy: 'contrarian',
      extremeHighThreshold: 90,
      extremeLowThreshold: 10,
      highThreshold: 70,
      lowThreshold: 30,
      leverage: 5,
      timeframe: '4h',
      asset: 'SOL',
    };
    for (const cached of [false, true]) {
      const body = await (await execute({ params })).json();
      expect(body.cached).toBe(cached);
      expect(body.result.params).toStrictEqual(params); // same fields and values, nothing added
    }
  });

  it('stores a finalized dateRange permanently and reports the tier', async () => {
    const params = { ...PARAMS, dateRange: { start: '2024-01-01', end: '2024-03-31' } };
    await execute({ params });
    const hit = await (await execute({ params })).json();
    expect(hit).toMatchObject({ cached: true, cacheTier: 'permanent' });
    expect(fs.existsSync(path.join(CACHE_DIR, 'permanent', `${cacheKey(params)}.json`))).toBe(true);
  });

  it('adds the chart detail (≤ 600 points) and trades, also to cached results', async () => {
    const params = { ...PARAMS, timeframe: '1h' as const, dateRange: { start: '2024-01-01', end: '2024-06-30' } };
    for (const cached of [false, true]) {
      const body = await (await execute({ params, includeDetail: true })).json();
      expect(body.cached).toBe(cached);
      expect(body.detail.points.length).toBeGreaterThan(100);
      expect(body.detail.points.length).toBeLessThanOrEqual(600);
      expect(body.detail.trades).toHaveLength(body.result.trades);
    }
    const stored = fs.readFileSync(path.join(CACHE_DIR, 'permanent', `${cacheKey(params)}.json`), 'utf8');
    expect(stored).not.toContain('"points"');
    expect((await (await execute({ params })).json()).detail).toBeUndefined();
  });

  it('recomputes and overwrites with forceRefresh', async () => {
    const params = { ...PARAMS, leverage: 4 };
    const first = await (await execute({ params })).json();
    await new Promise((r) => setTimeout(r, 5));
    const refreshed = await (await execute({ params, forceRefresh: true, priority: 'high' })).json();
    expect(refreshed.cached).toBe(false);
    expect(refreshed.result.timestamp).toBeGreaterThan(first.result.timestamp);
    const stored = JSON.parse(fs.readFileSync(path.join(CACHE_DIR, 'temporary', `${cacheKey(params)}.json`), 'utf8'));
    expect(stored.result.timestamp).toBe(refreshed.result.timestamp);
    expect(computeSpy).toHaveBeenCalledTimes(2);
  });

  it('runs the engine once for 50 simultaneous identical requests on a cold key', async () => {
    const params = { ...PARAMS, timeframe: '1h' as const, leverage: 7, lowThreshold: 33 };
    const responses = await Promise.all(Array.from({ length: 50 }, () => execute({ params })));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(computeSpy).toHaveBeenCalledTimes(1);
    expect(new Set(bodies.map((b) => JSON.stringify(b.result))).size).toBe(1);
  });

  it('treats a corrupt entry file as a miss and replaces it', async () => {
    const params = { ...PARAMS, leverage: 6 };
    await execute({ params });
    const file = path.join(CACHE_DIR, 'temporary', `${cacheKey(params)}.json`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 120));
    const body = await (await execute({ params })).json();
    expect(body.cached).toBe(false);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).result.timestamp).toBe(body.result.timestamp);
    expect((await (await execute({ params })).json()).cached).toBe(true);
  });

  it('answers every request while an operator deletes the cache folders', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      if (i % 8 === 2) fs.rmSync(path.join(CACHE_DIR, 'temporary'), { recursive: true, force: true });
      if (i % 8 === 6) fs.rmSync(CACHE_DIR, { recursive: true, force: true });
      const batch = await Promise.all(
        [0, 1, 2].map((j) => execute({ params: { ...PARAMS, lowThreshold: 10 + ((i + j) % 5) } })),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(fs.readdirSync(path.join(CACHE_DIR, 'temporary')).length).toBeGreaterThan(0);
  });
});

describe('POST /api/backtest/execute rejects bad input', () => {
  it.each(BAD_EXECUTE_BODIES)('%s → 400 naming the field', async (_, body, field) => {
    const response = await execute(body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(typeof error).toBe('string');
    expect(error).toContain(field);
    expect(computeSpy).not.toHaveBeenCalled();
  });

  it('malformed JSON → 400', async () => {
    const response = await execute('{"params": {"asset": "ETH",');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/JSON/);
  });

  it('a body over 64 KB → 413', async () => {
    const response = await execute({ params: PARAMS, padding: 'x'.repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/64 KB/);
  });

  it('no data in the range → 422 saying what is available', async () => {
    const response = await execute({ params: { ...PARAMS, dateRange: { start: '2010-01-01', end: '2010-03-31' } } });
    expect(response.status).toBe(422);
    const { error } = await response.json();
    expect(error).toMatch(/Available/i);
    expect(error).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(fs.existsSync(path.join(CACHE_DIR, 'permanent', `${cacheKey({ ...PARAMS, dateRange: { start: '2010-01-01', end: '2010-03-31' } })}.json`))).toBe(false);
  });

  it('an unexpected failure → 500 with a plain error and nothing leaked', async () => {
    computeSpy.mockRejectedValueOnce(new Error(`EACCES: permission denied, open '${CACHE_DIR}/secret'`));
    const response = await execute({ params: { ...PARAMS, leverage: 11 } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'Internal server error' });
  });
});
