/**
 * Load against `next start` with autocannon (loopback, 30 s, 50 connections): a mix of cache hits,
 * misses (each a backtest never asked before, computed and written), GET /api/backtest/cache and
 * GET /api/backtest/cache/stats. Every request is valid, so every answer must be 2xx; afterwards
 * every file in the cache folder must be a complete, valid entry (or the temporary file of an
 * interrupted write). Memory: the server runs with its V8 heap capped at 192 MB (--max-old-space-size),
 * so memory that grew with the request count would end the run with an out-of-memory crash
 * (connection errors); resident memory before and after is recorded (RSS itself grows lazily
 * until V8 collects, so it is bounded loosely). Figures: artifacts/reliability/load.json and
 * docs/reliability.md.
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { auditCacheDir } from '../reliability/cache-audit';
import { recordFigures } from '../reliability/figures';
import { execute, gridParams, gridPool, rssKb, sleep } from './stress-helpers';

/** Seconds of load (RELIABILITY_LOAD_SECONDS overrides the default 30 for longer soak runs). */
const DURATION_S = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 30);
const CONNECTIONS = 50;
/** V8 old-space cap of the server process, MB. */
const HEAP_CAP_MB = 192;
/** Share of each request kind, in a repeating cycle of 20 requests. */
const CYCLE = [...Array(10).fill('hit'), ...Array(5).fill('miss'), ...Array(2).fill('info'), ...Array(3).fill('stats')] as const;

let server: NextServer;

/** What autocannon keeps per connection between a request and its response. */
interface LoadContext {
  kind: (typeof CYCLE)[number];
  key?: string;
}

beforeAll(async () => {
  server = await startNextServer({ NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}` });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.cacheDir, { recursive: true, force: true });
});

const PAIRS = gridPool([1, 99], [2, 100]).map((p) => [p.lowThreshold, p.highThreshold]);

/** The n-th params never asked before: SOL, BTC, ETH 4h × leverages × strategies × threshold pairs. */
function missParams(n: number): BacktestParams {
  const pairs = PAIRS;
  const [low, high] = pairs[n % pairs.length];
  const rest = Math.floor(n / pairs.length);
  const assets = ['SOL', 'BTC', 'ETH'] as const;
  const params = gridParams(low, high, 1 + (rest % 12), assets[Math.floor(rest / 12) % 3]);
  return rest >= 36 ? { ...params, strategy: 'momentum' } : params;
}

it(`serves ${CONNECTIONS} connections for ${DURATION_S} s of hits, misses, info and stats with no error`, async () => {
  // Warm-up: the hit pool is cached and every series the misses use is loaded.
  const hitPool = gridPool([20, 29], [70, 74], 2);
  for (const params of hitPool) expect((await execute(server.url, params)).status).toBe(200);
  // (with a dateRange, which no miss has)
  for (const asset of ['BTC', 'SOL'] as const) {
    const params = { ...gridParams(50, 51, 2, asset), dateRange: { start: '2024-01-01', end: '2024-01-31' } };
    expect((await execute(server.url, params)).status).toBe(200);
  }
  await sleep(1000);
  const pid = server.process.pid!;
  const rssBefore = rssKb(pid);
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(rssKb(pid)), 1000);

  let sent = 0;
  let misses = 0;
  const byKind: Record<string, Record<number, number>> = {};
  const wrongBodies: string[] = [];
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    timeout: 30,
    requests: [
      {
        setupRequest: (request, rawContext) => {
          const context = rawContext as LoadContext;
          const kind = CYCLE[sent++ % CYCLE.length];
          context.kind = kind;
          if (kind === 'info' || kind === 'stats') {
            return { ...request, method: 'GET', path: kind === 'info' ? '/api/backtest/cache' : '/api/backtest/cache/stats', body: undefined, headers: {} };
          }
          const params = kind === 'hit' ? hitPool[sent % hitPool.length] : missParams(misses++);
          context.key = cacheKey(params);
          return {
            ...request,
            method: 'POST',
            path: '/api/backtest/execute',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ params }),
          };
        },
        onResponse: (status, body, rawContext) => {
          const context = rawContext as LoadContext;
          const counts = (byKind[context.kind] ??= {});
          counts[status] = (counts[status] ?? 0) + 1;
          if (context.kind === 'hit' || context.kind === 'miss') {
            const parsed = JSON.parse(body) as { cached?: boolean; result?: { params?: BacktestParams } };
            const ok = parsed.result?.params && cacheKey(parsed.result.params) === context.key && parsed.cached === (context.kind === 'hit');
            if (!ok && wrongBodies.length < 5) wrongBodies.push(`${context.kind} ${context.key}: ${body.slice(0, 200)}`);
          }
        },
      },
    ],
  });
  clearInterval(sampler);
  await sleep(2000);
  const rssAfter = rssKb(pid);

  const audit = auditCacheDir(server.cacheDir);
  const figures = {
    durationS: DURATION_S,
    connections: CONNECTIONS,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    byKind,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    wrongBodies: wrongBodies.length,
    cacheFilesChecked: audit.entries.length + audit.tempFiles.length + audit.problems.length,
    validEntries: audit.entries.length,
    tempFiles: audit.tempFiles.length,
    corruptFiles: audit.problems.length,
    heapCapMb: HEAP_CAP_MB,
    rssKb: { before: rssBefore, after: rssAfter, max: Math.max(...rssSamples), samples: rssSamples },
  };
  recordFigures('load', figures);

  expect(result.errors, 'connection errors').toBe(0);
  expect(result.timeouts, 'timeouts').toBe(0);
  expect(result.non2xx, JSON.stringify(byKind)).toBe(0);
  expect(wrongBodies).toEqual([]);
  expect(result.requests.total).toBeGreaterThan(1000);
  expect(audit.problems).toEqual([]);
  // Every miss answered was written (a few may still be in flight: atomic, so not yet visible).
  expect(audit.entries.length).toBeGreaterThan(0.95 * (byKind.miss?.[200] ?? 0));
  // The heap-capped server is still the one that started (no out-of-memory crash and restart),
  // and its resident memory stayed within 256 MB of where it started.
  expect(server.process.exitCode).toBeNull();
  expect(server.output()).not.toMatch(/heap out of memory|FATAL ERROR/);
  expect(rssAfter - rssBefore).toBeLessThan(256 * 1024);
}, (DURATION_S + 150) * 1000);
