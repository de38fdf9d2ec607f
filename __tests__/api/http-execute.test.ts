/**
 * POST /api/backtest/execute over HTTP against a real `next start` (build first, e.g.
 * `NEXT_DIST_DIR=.next-cache npx next build`, and run with the same NEXT_DIST_DIR).
 * Engine runs are counted from the server's `[BACKTEST EXEC]` log lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { BAD_EXECUTE_BODIES, VALID_PARAMS } from './bad-execute-bodies';

let server: NextServer;

beforeAll(async () => {
  server = await startNextServer();
});

afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.cacheDir, { recursive: true, force: true });
});

function execute(body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/backtest/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const execLines = (key: string) => server.output().split('\n').filter((l) => l.startsWith(`[BACKTEST EXEC] ${key}:`));
const entryFile = (tier: string, params: BacktestParams) => path.join(server.cacheDir, tier, `${cacheKey(params)}.json`);

describe('POST /api/backtest/execute over HTTP', () => {
  it('computes on a miss, then serves the identical result from the cache', async () => {
    const params = { ...VALID_PARAMS, leverage: 2 };
    const first = await execute({ params });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/application\/json/);
    const miss = await first.json();
    expect(miss).toMatchObject({ cached: false, result: { params } });
    const hit = await (await execute({ params })).json();
    expect(hit).toEqual({ result: miss.result, cached: true, cacheAge: expect.any(Number), cacheTier: 'temporary' });
    expect(hit.cacheAge).toBeGreaterThan(0);
    expect(hit.result.timestamp).toBe(miss.result.timestamp);
    expect(execLines(cacheKey(params))).toHaveLength(1);
    expect(server.output()).toMatch(new RegExp(`\\[CACHE HIT\\] Temporary cache hit for ${cacheKey(params)} in [\\d.]+ms`));
  });

  it('stores a finalized dateRange permanently and answers with detail and high priority', async () => {
    const params = { ...VALID_PARAMS, asset: 'SOL' as const, dateRange: { start: '2024-01-01', end: '2024-03-31' } };
    await execute({ params });
    const hit = await (await execute({ params, includeDetail: true, priority: 'high' })).json();
    expect(hit).toMatchObject({ cached: true, cacheTier: 'permanent' });
    expect(hit.detail.points.length).toBeGreaterThan(0);
    expect(hit.detail.points.length).toBeLessThanOrEqual(600);
    expect(fs.existsSync(entryFile('permanent', params))).toBe(true);
  });

  it('reads the permanent tier before the temporary one', async () => {
    const params = { ...VALID_PARAMS, leverage: 12 };
    await execute({ params });
    const entry = JSON.parse(fs.readFileSync(entryFile('temporary', params), 'utf8'));
    fs.mkdirSync(path.join(server.cacheDir, 'permanent'), { recursive: true });
    const marked = { ...entry, isPermanent: true, result: { ...entry.result, returns: 12345.5 } };
    fs.writeFileSync(entryFile('permanent', params), JSON.stringify(marked, null, 2));
    const hit = await (await execute({ params })).json();
    expect(hit).toMatchObject({ cached: true, cacheTier: 'permanent', result: { returns: 12345.5 } });
  });

  it('treats a temporary entry older than 24 h, or of another engine version, as a miss and replaces it', async () => {
    const params = { ...VALID_PARAMS, leverage: 11 };
    await execute({ params });
    const rewrite = (patch: Record<string, unknown>) => {
      const entry = JSON.parse(fs.readFileSync(entryFile('temporary', params), 'utf8'));
      fs.writeFileSync(entryFile('temporary', params), JSON.stringify({ ...entry, ...patch }, null, 2));
    };
    const key = cacheKey(params);
    rewrite({ computedAt: Date.now() - 25 * 3_600_000 });
    expect((await (await execute({ params })).json()).cached).toBe(false);
    expect(server.output()).toMatch(new RegExp(`\\[CACHE MISS\\] Stale cache entry for ${key} \\(temporary: temporary entry is 25\\.0 h old`));
    rewrite({ computedAt: Date.now() - 23 * 3_600_000 });
    expect((await (await execute({ params })).json()).cached).toBe(true);
    rewrite({ engineVersion: '0.0.0-old' });
    expect((await (await execute({ params })).json()).cached).toBe(false);
    expect(server.output()).toContain(`[CACHE MISS] Stale cache entry for ${key} (temporary: engine version 0.0.0-old ≠`);
    expect((await (await execute({ params })).json()).cached).toBe(true);
    expect(execLines(key)).toHaveLength(3);
  });

  it('recomputes and overwrites with forceRefresh', async () => {
    const params = { ...VALID_PARAMS, leverage: 4 };
    const first = await (await execute({ params })).json();
    const refreshed = await (await execute({ params, forceRefresh: true })).json();
    expect(refreshed.cached).toBe(false);
    expect(refreshed.result.timestamp).toBeGreaterThanOrEqual(first.result.timestamp);
    expect(JSON.parse(fs.readFileSync(entryFile('temporary', params), 'utf8')).result.timestamp).toBe(refreshed.result.timestamp);
    expect(execLines(cacheKey(params))).toHaveLength(2);
  });

  it('runs the engine once for 50 simultaneous identical requests on a cold key', async () => {
    const params = { ...VALID_PARAMS, timeframe: '15m' as const, leverage: 8, lowThreshold: 21 };
    const responses = await Promise.all(Array.from({ length: 50 }, () => execute({ params })));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(bodies.map((b) => JSON.stringify(b.result))).size).toBe(1);
    expect(execLines(cacheKey(params))).toHaveLength(1);
  });

  it('treats a corrupt entry file as a miss and replaces it', async () => {
    const params = { ...VALID_PARAMS, leverage: 6 };
    await execute({ params });
    fs.writeFileSync(entryFile('temporary', params), '{"key": "ETH-4h-6x-25-75-contrarian", "resu');
    const again = await (await execute({ params })).json();
    expect(again.cached).toBe(false);
    expect(server.output()).toContain(`[CACHE MISS] Stale cache entry for ${cacheKey(params)} (temporary: unreadable entry: not valid JSON)`);
    expect(JSON.parse(fs.readFileSync(entryFile('temporary', params), 'utf8')).result.timestamp).toBe(again.result.timestamp);
  });

  it('answers every request while an operator deletes the cache folder or a tier', async () => {
    const statuses: number[] = [];
    let stop = false;
    let deletions = 0;
    const deleter = (async () => {
      for (let i = 0; !stop; i++) {
        const target = i % 2 ? server.cacheDir : path.join(server.cacheDir, 'temporary');
        try {
          fs.rmSync(target, { recursive: true, force: true });
          deletions += 1;
        } catch (error) {
          // rm -rf racing the server's writes: the folder got a new entry while being emptied.
          if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw error;
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    for (let i = 0; i < 30; i++) {
      const batch = await Promise.all(
        [0, 1, 2, 3].map((j) => execute({ params: { ...VALID_PARAMS, lowThreshold: 10 + ((i + j) % 7) } })),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    stop = true;
    await deleter;
    expect(deletions).toBeGreaterThan(5);
    expect(statuses).toEqual(Array(120).fill(200));
    const after = await (await execute({ params: { ...VALID_PARAMS, lowThreshold: 40 } })).json();
    expect(after.cached).toBe(false);
    expect(fs.existsSync(entryFile('temporary', { ...VALID_PARAMS, lowThreshold: 40 }))).toBe(true);
  });
});

describe('POST /api/backtest/execute over HTTP rejects bad input', () => {
  it('answers 400 naming the field for every invalid body', async () => {
    for (const [name, body, field] of BAD_EXECUTE_BODIES) {
      const response = await execute(body);
      expect(response.status, name).toBe(400);
      expect((await response.json()).error, name).toContain(field);
    }
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await execute('{"params": ');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/JSON/);
  });

  it('answers 413 to a body over 64 KB', async () => {
    const response = await execute({ params: VALID_PARAMS, padding: 'x'.repeat(100 * 1024) });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/64 KB/);
  });

  it('answers 422 saying what is available when no data covers the range', async () => {
    const response = await execute({ params: { ...VALID_PARAMS, dateRange: { start: '2012-01-01', end: '2012-12-31' } } });
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatch(/Available/);
  });
});
