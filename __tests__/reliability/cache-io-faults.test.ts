/**
 * A cache folder that cannot be written or read: a tier path that is a regular file (what a
 * read-only folder looks like to root, who ignores permission bits), and a store whose writes
 * fail with ENOSPC (full disk), EROFS (read-only mount) or EACCES. Through the route handlers
 * with the process-wide cache server: every answer is still 200 (computed without the cache), the
 * GET routes and clear keep answering, and the failure is logged once per interval (a minute),
 * not per request. Each test loads the routes afresh with a new process-wide cache server, so
 * the log interval starts anew (the reports of later intervals are unit-tested in
 * __tests__/cache with an injected clock).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BacktestCacheServer } from '@/lib/backtest-cache-server';
import type { BacktestParams } from '@/lib/schemas';
import { auditCacheDir } from './cache-audit';

const { CACHE_DIR } = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.CACHE_DIR = mkdtempSync(join(tmpdir(), 'splitsea-io-faults-'));
  return { CACHE_DIR: process.env.CACHE_DIR };
});

const post = (url: string, body: unknown) =>
  new Request(`http://localhost${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const params = (leverage: number, lowThreshold = 25): BacktestParams => ({
  asset: 'ETH', timeframe: '4h', leverage, lowThreshold, highThreshold: 75, strategy: 'contrarian',
});

const SINGLETON = Symbol.for('split-sea.backtestCacheServer');

interface App {
  server: BacktestCacheServer;
  execute: (request: Request) => Promise<Response>;
  adminRoutes: () => Promise<Response>[];
}
let app: App;
let warnings: string[];

beforeEach(async () => {
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args.join(' ')));
  delete (globalThis as Record<symbol, unknown>)[SINGLETON];
  vi.resetModules();
  const [{ backtestCacheServer }, execute, stats, info, clear] = await Promise.all([
    import('@/lib/backtest-cache-server'),
    import('@/app/api/backtest/execute/route'),
    import('@/app/api/backtest/cache/stats/route'),
    import('@/app/api/backtest/cache/route'),
    import('@/app/api/backtest/cache/clear/route'),
  ]);
  app = {
    server: backtestCacheServer,
    execute: execute.POST,
    adminRoutes: () => [stats.GET(), info.GET(), clear.POST(post('/api/backtest/cache/clear', { scope: 'all' }))],
  };
});

afterEach(async () => {
  vi.restoreAllMocks();
  await app.server.flush();
  for (const tier of ['permanent', 'temporary']) fs.rmSync(path.join(CACHE_DIR, tier), { recursive: true, force: true });
});

afterAll(() => {
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
});

const cacheErrors = (kind: string) => warnings.filter((line) => line.startsWith(`[CACHE ERROR] Cache ${kind} failed`));

async function executeMany(n: number, lowThreshold: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const response = await app.execute(post('/api/backtest/execute', { params: params(1 + (i % 12), lowThreshold) }));
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    // The first pass computes each key; repeats cannot hit a cache that cannot be written.
    expect(body.cached).toBe(false);
  }
}

async function expectAdminRoutesAnswer(): Promise<void> {
  for (const response of await Promise.all(app.adminRoutes())) {
    const text = await response.text();
    expect(response.status, text).toBe(200);
  }
}

describe('a tier path that is a regular file (refused as not a folder)', () => {
  it('answers every request (200, uncached), keeps info, stats and clear answering, and logs once per interval', async () => {
    fs.writeFileSync(path.join(CACHE_DIR, 'permanent'), 'not a folder');
    fs.writeFileSync(path.join(CACHE_DIR, 'temporary'), 'not a folder');
    await executeMany(24, 31);
    await expectAdminRoutesAnswer();
    expect(cacheErrors('write')).toHaveLength(1);
    expect(cacheErrors('write')[0]).toContain('CACHE_FOLDER_REFUSED');
    expect(cacheErrors('read')).toHaveLength(1);
    expect(warnings.join('\n')).not.toContain(CACHE_DIR);

    // An operator puts the folders back: caching resumes without a restart.
    fs.rmSync(path.join(CACHE_DIR, 'permanent'));
    fs.rmSync(path.join(CACHE_DIR, 'temporary'));
    await executeMany(1, 32);
    const hit = await (await app.execute(post('/api/backtest/execute', { params: params(1, 32) }))).json();
    expect(hit).toMatchObject({ cached: true, cacheTier: 'temporary' });
  }, 60_000);
});

describe.each([
  ['ENOSPC', 'no space left on device'],
  ['EROFS', 'read-only file system'],
  ['EACCES', 'permission denied'],
])('a store whose writes fail with %s', (code, text) => {
  it('answers every request (200, computed without caching) and logs the failure once per interval', async () => {
    const write = vi
      .spyOn(app.server.store, 'write')
      .mockRejectedValue(Object.assign(new Error(`${code}: ${text}, write '${CACHE_DIR}/temporary/x.json'`), { code }));
    const low = { ENOSPC: 40, EROFS: 41, EACCES: 42 }[code]!;
    await executeMany(24, low);
    expect(write).toHaveBeenCalledTimes(24);
    expect(cacheErrors('write')).toEqual([`[CACHE ERROR] Cache write failed: ${code}; continuing without the cache`]);
    await expectAdminRoutesAnswer();
    expect(auditCacheDir(CACHE_DIR)).toEqual({ entries: [], tempFiles: [], problems: [] });

    // The disk has space again: the next miss is stored, the repeat is a hit.
    write.mockRestore();
    await executeMany(1, low);
    const hit = await (await app.execute(post('/api/backtest/execute', { params: params(1, low) }))).json();
    expect(hit).toMatchObject({ cached: true });
  }, 60_000);
});
