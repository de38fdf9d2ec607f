/**
 * Route handlers under hostile input (fast-check): every route gets valid, mutated, arbitrary,
 * raw, truncated, deeply nested and oversized bodies. Each answer must be a 4xx with an `error`
 * string that leaks no path or stack, or a valid 2xx; never a 5xx. Afterwards the cache folders
 * may hold only valid entries named by keys of requests that passed validation (or
 * temporary files of interrupted writes), and nothing named after the input may exist anywhere else.
 *
 * The execute, clear, heatmap and GET routes run on the real engine, market data and process-wide
 * cache server (a temporary CACHE_DIR). Warm-cache jobs run on the real route, job runner, plan
 * and cache server, but on their own folder with a constant backtest result, so a fuzzed job
 * finishes in a moment instead of computing thousands of real backtests in this process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as clearRoute } from '@/app/api/backtest/cache/clear/route';
import { GET as infoRoute } from '@/app/api/backtest/cache/route';
import { GET as statsRoute } from '@/app/api/backtest/cache/stats/route';
import { POST as executeRoute } from '@/app/api/backtest/execute/route';
import { POST as heatmapRoute } from '@/app/api/backtest/heatmap/route';
import { GET as warmStatusRoute, POST as warmRoute } from '@/app/api/backtest/warm-cache/route';
import { GET as marketDataRoute } from '@/app/api/market-data/route';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import { ENTRY_FORMAT_VERSION, validateEntry } from '@/lib/cache/entry';
import { cacheKey } from '@/lib/cache/key';
import { clearRequestSchema, executeRequestSchema, heatmapRequestSchema, warmOptionsSchema } from '@/lib/schemas';
import { warmJobRunner } from '@/lib/warm';
import type { z } from 'zod';
import { auditCacheDir, findLeaks, findNamed, topLevelNames } from './cache-audit';
import { warmJobsSettled } from './fast-warm-runner';
import { recordFigures } from './figures';
import {
  BODY_LIMIT,
  FUZZ_MARKER,
  hostileBodies,
  validClearBody,
  validExecuteBody,
  validHeatmapBody,
  validWarmBody,
  type FuzzBody,
} from './hostile-input';

const dirs = await vi.hoisted(async () => {
  const { mkdirSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const parent = mkdtempSync(join(tmpdir(), 'splitsea-fuzz-'));
  const cache = join(parent, 'cache');
  const warm = join(parent, 'warm');
  mkdirSync(cache);
  process.env.CACHE_DIR = cache;
  return { parent, cache, warm };
});

vi.mock('@/lib/warm', async () => (await import('./fast-warm-runner')).fastWarmModule(dirs.warm));

const TOKEN = 'fuzz-admin-token';
const ROOT = path.resolve(__dirname, '../..');
const projectBefore = topLevelNames(ROOT);
/** Keys of execute requests that passed validation and were answered 200. */
const answeredKeys = new Set<string>();
const counts: Record<string, Record<number, number>> = {};

type Auth = 'good' | 'none' | 'wrong' | 'malformed';
const AUTH_HEADER: Record<Auth, string | undefined> = {
  good: `Bearer ${TOKEN}`,
  none: undefined,
  wrong: 'Bearer not-the-token',
  malformed: `Basic ${TOKEN}`,
};
const auth = fc.constantFrom<Auth>('good', 'good', 'good', 'good', 'none', 'wrong', 'malformed');

function request(route: string, body: FuzzBody, authorization?: string): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  return new Request(`http://localhost${route}`, { method: 'POST', headers, body: body.text });
}

/** What the schema makes of a body text: too large, not JSON, invalid, or the parsed value. */
function oracle<S extends z.ZodType>(schema: S, body: FuzzBody, emptyValue?: unknown) {
  if (Buffer.byteLength(body.text) > BODY_LIMIT) return { expect: 413 as const };
  let value: unknown;
  if (body.text.trim() === '' && emptyValue !== undefined) value = emptyValue;
  else {
    try {
      value = JSON.parse(body.text);
    } catch {
      return { expect: 400 as const };
    }
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { expect: 'ok' as const, data: parsed.data as z.infer<S> } : { expect: 400 as const };
}

/** Reads a response: JSON always; a 4xx has a non-empty `error` that leaks nothing; never a 5xx. */
async function answer(route: string, response: Response, requestText = ''): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = await response.text();
  (counts[route] ??= {})[response.status] = ((counts[route] ??= {})[response.status] ?? 0) + 1;
  const context = `${route} → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  expect(response.headers.get('content-type'), context).toMatch(/^application\/json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  if (response.status >= 400) {
    expect(typeof body.error, context).toBe('string');
    expect((body.error as string).length, context).toBeGreaterThan(0);
    expect(findLeaks(text, requestText), context).toEqual([]);
  }
  return { status: response.status, body };
}

/** The GET routes answer 200 (warm status: 404 before the first job) at any point of the fuzzing. */
async function checkGetRoutes(): Promise<void> {
  const info = await answer('GET cache', await infoRoute());
  expect(info.status).toBe(200);
  expect(info.body.totalEntries).toEqual(expect.any(Number));
  const stats = await answer('GET stats', await statsRoute());
  expect(stats.status).toBe(200);
  expect(Number.isInteger(stats.body.cacheSize)).toBe(true);
  const warm = await answer('GET warm-cache', await warmStatusRoute());
  expect([200, 404]).toContain(warm.status);
}

/** The cache folder holds only valid entries, each of a request that passed validation. */
function auditExecuteCache() {
  const audit = auditCacheDir(dirs.cache);
  expect(audit.problems).toEqual([]);
  for (const rel of audit.entries) expect(answeredKeys).toContain(path.basename(rel, '.json'));
  return audit;
}

/** Files in the cache folder after the execute fuzzing (before clear fuzzing empties it). */
let filesAfterExecute = 0;
let cases = 0;
async function everyTenth(): Promise<void> {
  if (++cases % 10 === 0) await checkGetRoutes();
}

beforeAll(() => {
  process.env.CACHE_ADMIN_TOKEN = TOKEN;
  expect((backtestCacheServer.store as { root?: string }).root).toBe(dirs.cache);
});

afterAll(async () => {
  delete process.env.CACHE_ADMIN_TOKEN;
  await warmJobsSettled(warmJobRunner);
  await backtestCacheServer.flush();
  fs.rmSync(dirs.parent, { recursive: true, force: true });
});

describe('route handlers under hostile input', () => {
  it('POST /api/backtest/execute: 200/422 for valid bodies, 400/413 otherwise, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBodies(validExecuteBody), async (body) => {
        const expected = oracle(executeRequestSchema, body);
        const { status, body: json } = await answer('execute', await executeRoute(request('/api/backtest/execute', body)), body.text);
        if (expected.expect !== 'ok') {
          expect(status, `${body.kind}: ${body.text.slice(0, 200)}`).toBe(expected.expect);
        } else {
          const { params, includeDetail } = expected.data;
          // Without a dateRange the trailing 90 days always have data; a dateRange may miss it (422).
          expect(params.dateRange ? [200, 422] : [200], JSON.stringify(json).slice(0, 300)).toContain(status);
          if (status === 200) {
            const key = cacheKey(params);
            answeredKeys.add(key);
            expect(json.result).toMatchObject({ params });
            expect((json.result as { params: unknown }).params).toEqual(params);
            // Every 200 result is storable: finite metrics, the full result shape (lib/cache/entry.ts).
            validateEntry(
              { key, result: json.result, computedAt: 1, accessCount: 0, lastAccessed: 1, isPermanent: false, version: ENTRY_FORMAT_VERSION, engineVersion: 'e', dataVersion: 'd' },
              key,
            );
            expect(typeof json.cached).toBe('boolean');
            if (json.cached) expect(['permanent', 'temporary']).toContain(json.cacheTier);
            if (includeDetail) expect((json.detail as { points: unknown[] }).points.length).toBeLessThanOrEqual(600);
            else expect(json.detail).toBeUndefined();
          }
        }
        await everyTenth();
      }),
      { numRuns: 800 },
    );
    await backtestCacheServer.flush();
    const audit = auditExecuteCache();
    expect(audit.entries.length).toBeGreaterThan(0);
    filesAfterExecute = audit.entries.length + audit.tempFiles.length;
  }, 120_000);

  it('POST /api/backtest/cache/clear: 401 without the token, else 200 for valid bodies and 400/413 otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBodies(validClearBody), auth, async (body, who) => {
        const expected = oracle(clearRequestSchema, body);
        const { status, body: json } = await answer('clear', await clearRoute(request('/api/backtest/cache/clear', body, AUTH_HEADER[who])), body.text);
        if (who !== 'good') expect(status).toBe(401);
        else if (expected.expect !== 'ok') expect(status, `${body.kind}: ${body.text.slice(0, 200)}`).toBe(expected.expect);
        else {
          expect(status).toBe(200);
          expect(json).toEqual({ removed: expect.any(Number), freedBytes: expect.any(Number) });
        }
        await everyTenth();
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('POST /api/backtest/heatmap: 200 for valid bodies, 400/413 otherwise, never a 5xx', async () => {
    let validRuns = 0;
    await fc.assert(
      fc.asyncProperty(hostileBodies(validHeatmapBody), async (body) => {
        const expected = oracle(heatmapRequestSchema, body);
        // A valid heatmap is 4,950 real backtests: a few suffice to prove the 200 path.
        if (expected.expect === 'ok' && (expected.data.timeframe !== '4h' || ++validRuns > 4)) return;
        const { status, body: json } = await answer('heatmap', await heatmapRoute(request('/api/backtest/heatmap', body)), body.text);
        if (expected.expect !== 'ok') expect(status, `${body.kind}: ${body.text.slice(0, 200)}`).toBe(expected.expect);
        else {
          expect(expected.data.dateRange ? [200, 422] : [200]).toContain(status);
          if (status === 200) expect((json.values as unknown[]).length).toBe(99);
        }
        await everyTenth();
      }),
      { numRuns: 300 },
    );
    expect(validRuns).toBeGreaterThan(0);
  }, 60_000);

  it('POST /api/backtest/warm-cache: 401 without the token, else 202/409 for valid bodies and 400/413 otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBodies(validWarmBody), auth, async (body, who) => {
        const expected = oracle(warmOptionsSchema, body, {});
        const { status, body: json } = await answer('warm-cache', await warmRoute(request('/api/backtest/warm-cache', body, AUTH_HEADER[who])), body.text);
        if (who !== 'good') expect(status).toBe(401);
        else if (expected.expect !== 'ok') expect(status, `${body.kind}: ${body.text.slice(0, 200)}`).toBe(expected.expect);
        else if (status === 400) expect(json.error).toMatch(/no valid combination|combinations/);
        else {
          expect([202, 409], JSON.stringify(json)).toContain(status);
          if (status === 202) expect(json).toEqual({ jobId: expect.any(String), total: expect.any(Number) });
        }
        await everyTenth();
      }),
      { numRuns: 300 },
    );
    // Let the last job finish so its files can be audited.
    await warmJobsSettled(warmJobRunner);
  }, 120_000);

  it('GET /api/market-data answers 200 after the fuzzing', async () => {
    const { status, body } = await answer('GET market-data', await marketDataRoute());
    expect(status).toBe(200);
    expect((body.coverage as unknown[]).length).toBe(10);
    await checkGetRoutes();
  }, 60_000);

  it('left only valid entries of validated requests in the cache folders, and nothing anywhere else', async () => {
    await backtestCacheServer.flush();
    const cache = auditExecuteCache();
    const warm = auditCacheDir(dirs.warm);
    expect(warm.problems).toEqual([]);
    expect(fs.readdirSync(dirs.parent).filter((n) => n !== 'cache' && n !== 'warm')).toEqual([]);
    expect(findNamed(dirs.parent, FUZZ_MARKER)).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.includes(FUZZ_MARKER))).toEqual([]);
    expect(findNamed(ROOT, FUZZ_MARKER)).toEqual([]);
    // New top-level entries of the project: only other build folders (`.next-*`) may appear meanwhile.
    expect([...topLevelNames(ROOT)].filter((n) => !projectBefore.has(n) && !n.startsWith('.next'))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const requests = Object.values(counts).reduce((sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
    recordFigures('fuzz-routes', { requests, statusesByRoute: counts, filesChecked: { afterExecute: filesAfterExecute, atEnd: cache.entries.length + cache.tempFiles.length, warm: warm.entries.length + warm.tempFiles.length }, problems: 0 });
  });
});
