/**
 * Who may clear the cache and start warm-up jobs: with CACHE_ADMIN_TOKEN set only a request
 * carrying exactly `Authorization: Bearer <token>` gets through, compared in constant time (the
 * comparison always sees two SHA-256 digests of equal length, whatever was sent); production
 * without a token refuses clear (403); no refusal echoes the token, and refused requests change
 * nothing and are refused before their body is read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as clearRoute } from '@/app/api/backtest/cache/clear/route';
import { POST as executeRoute } from '@/app/api/backtest/execute/route';
import { GET as warmStatusRoute, POST as warmRoute } from '@/app/api/backtest/warm-cache/route';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import { warmJobRunner } from '@/lib/warm';
import { warmJobsSettled } from './fast-warm-runner';

const { timingSafeEqual } = vi.hoisted(() => ({ timingSafeEqual: vi.fn() }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  timingSafeEqual.mockImplementation(crypto.timingSafeEqual);
  return { ...crypto, default: { ...crypto, timingSafeEqual }, timingSafeEqual };
});

const dirs = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const parent = mkdtempSync(join(tmpdir(), 'splitsea-access-'));
  process.env.CACHE_DIR = join(parent, 'cache');
  return { parent, cache: join(parent, 'cache'), warm: join(parent, 'warm') };
});
vi.mock('@/lib/warm', async () => (await import('./fast-warm-runner')).fastWarmModule(dirs.warm));

const TOKEN = 's3cret-Token_with.punctuation~';

const request = (url: string, authorization: string | undefined, body: string) =>
  new Request(`http://localhost${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined && { authorization }) },
    body,
  });

const temporaryFiles = () => fs.readdirSync(path.join(dirs.cache, 'temporary'));

beforeAll(async () => {
  const params = { asset: 'ETH', timeframe: '4h', leverage: 3, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian' };
  expect((await executeRoute(request('/api/backtest/execute', undefined, JSON.stringify({ params })))).status).toBe(200);
});

afterEach(() => {
  vi.unstubAllEnvs();
  timingSafeEqual.mockClear();
});

afterAll(async () => {
  await warmJobsSettled(warmJobRunner);
  await backtestCacheServer.flush();
  fs.rmSync(dirs.parent, { recursive: true, force: true });
});

const WRONG = [
  undefined,
  '',
  'Bearer',
  'Bearer ',
  TOKEN,
  `Basic ${TOKEN}`,
  `Bearer ${TOKEN.slice(0, -1)}`,
  `Bearer ${TOKEN}x`,
  `Bearer ${TOKEN.toUpperCase()}`,
  `Bearer x${TOKEN}`,
  `Bearer ${TOKEN} ${TOKEN}`,
  `Bearer ${TOKEN},Bearer ${TOKEN}`,
  `Bearer ${'a'.repeat(10_000)}`,
  `Bearer ${TOKEN}\u0000`,
  'Bearer undefined',
  'Bearer null',
];

describe.each([
  ['clear', '/api/backtest/cache/clear', JSON.stringify({ scope: 'all' }), clearRoute],
  ['warm-cache', '/api/backtest/warm-cache', JSON.stringify({ preset: 'grid', lowMin: 20, lowMax: 20, highMin: 70, highMax: 70 }), warmRoute],
] as const)('%s with CACHE_ADMIN_TOKEN set', (_, url, body, route) => {
  it('refuses every near miss with 401, without echoing the token, and changes nothing', async () => {
    vi.stubEnv('CACHE_ADMIN_TOKEN', TOKEN);
    const before = temporaryFiles();
    for (const authorization of WRONG) {
      let response: Response;
      try {
        response = await route(request(url, authorization, body));
      } catch (error) {
        // Header values with NUL are rejected by the Request constructor itself, never reaching a route.
        expect(authorization).toContain('\u0000');
        expect(String(error)).toMatch(/header/i);
        continue;
      }
      const text = await response.text();
      expect(response.status, String(authorization).slice(0, 40)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(text).not.toContain(TOKEN);
      expect(text.toLowerCase()).not.toContain(TOKEN.toLowerCase().slice(0, 6));
    }
    expect(temporaryFiles()).toEqual(before);
    expect((await (await warmStatusRoute()).json()).status).toBe('idle'); // no job was started
  });

  it('compares in constant time: two 32-byte digests, whatever the length sent', async () => {
    vi.stubEnv('CACHE_ADMIN_TOKEN', TOKEN);
    for (const sent of ['x', TOKEN.slice(0, -1), TOKEN, 'y'.repeat(5000)]) {
      timingSafeEqual.mockClear();
      await route(request(url, `Bearer ${sent}`, '{"scope":"temporary"'));
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
      const [a, b] = timingSafeEqual.mock.calls[0] as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
    }
  });

  it('checks the token before reading the body: an oversized body without the token is a 401, not a 413', async () => {
    vi.stubEnv('CACHE_ADMIN_TOKEN', TOKEN);
    const response = await route(request(url, undefined, `{"pad":"${'x'.repeat(200_000)}"}`));
    expect(response.status).toBe(401);
  });
});

describe('without CACHE_ADMIN_TOKEN', () => {
  it('refuses clear in production (403) whatever is sent, and leaves the entries', async () => {
    vi.stubEnv('CACHE_ADMIN_TOKEN', '');
    vi.stubEnv('NODE_ENV', 'production');
    const before = temporaryFiles();
    for (const authorization of [undefined, 'Bearer ', 'Bearer anything']) {
      const response = await clearRoute(request('/api/backtest/cache/clear', authorization, '{"scope":"all"}'));
      expect(response.status).toBe(403);
      expect((await response.json()).error).toMatch(/CACHE_ADMIN_TOKEN/);
    }
    expect(temporaryFiles()).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });

  it('answers 403 in production to an anonymous warm-cache body that chooses a plan, and starts nothing', async () => {
    vi.stubEnv('CACHE_ADMIN_TOKEN', '');
    vi.stubEnv('NODE_ENV', 'production');
    const before = temporaryFiles();
    for (const body of [
      '{"preset":"grid","lowMin":1,"lowMax":99,"highMin":2,"highMax":100}',
      '{"permanent":true}',
      '{"assets":["BTC"]}',
    ]) {
      const response = await warmRoute(request('/api/backtest/warm-cache', undefined, body));
      expect(response.status).toBe(403);
      expect((await response.json()).error).toMatch(/only the default preset can be warmed.*CACHE_ADMIN_TOKEN/);
    }
    expect(temporaryFiles()).toEqual(before);
  });

  it('lets the default warm-cache preset (empty body) run in production, custom plans in development, and clear in development', async () => {
    vi.stubEnv('CACHE_ADMIN_TOKEN', '');
    vi.stubEnv('NODE_ENV', 'production');
    expect([202, 409]).toContain((await warmRoute(request('/api/backtest/warm-cache', undefined, ''))).status);
    vi.stubEnv('NODE_ENV', 'development');
    const custom = await warmRoute(request('/api/backtest/warm-cache', undefined, '{"preset":"grid","lowMin":20,"lowMax":20,"highMin":70,"highMax":70}'));
    expect([202, 409]).toContain(custom.status);
    expect((await clearRoute(request('/api/backtest/cache/clear', undefined, '{"scope":"temporary"}'))).status).toBe(200);
  });
});
