/**
 * Regression tests for what the reliability work found in the route handlers:
 * - a warm-cache body with repeated list items (`"leverages": [3, 3, …]` × 100) multiplied the
 *   threshold grid by 100^4 and hung the server in one synchronous loop; a body selecting
 *   millions of combinations built a plan of hundreds of MB before starting;
 * - POST bodies were read whatever their Content-Type, so a cross-site page could send a
 *   "simple" `text/plain` request (no CORS preflight) that cleared the cache of a server
 *   running without CACHE_ADMIN_TOKEN.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { POST as clearRoute } from '@/app/api/backtest/cache/clear/route';
import { POST as executeRoute } from '@/app/api/backtest/execute/route';
import { POST as heatmapRoute } from '@/app/api/backtest/heatmap/route';
import { GET as warmStatusRoute, POST as warmRoute } from '@/app/api/backtest/warm-cache/route';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import { warmJobRunner } from '@/lib/warm';
import { warmOptionsSchema } from '@/lib/schemas';
import { buildWarmPlan, MAX_WARM_JOB_COMBINATIONS, warmPlanSize } from '@/lib/warm/plan';
import { warmJobsSettled } from './fast-warm-runner';

const dirs = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const parent = mkdtempSync(join(tmpdir(), 'splitsea-hardening-'));
  process.env.CACHE_DIR = join(parent, 'cache');
  return { parent, cache: join(parent, 'cache'), warm: join(parent, 'warm') };
});

vi.mock('@/lib/warm', async () => (await import('./fast-warm-runner')).fastWarmModule(dirs.warm));

afterAll(async () => {
  await warmJobsSettled(warmJobRunner);
  await backtestCacheServer.flush();
  fs.rmSync(dirs.parent, { recursive: true, force: true });
});

const PARAMS = { asset: 'ETH', timeframe: '4h', leverage: 3, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian' };

function post(url: string, body: BodyInit | undefined, contentType?: string): Request {
  return new Request(`http://localhost${url}`, { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });
}

async function untilWarmJobDone() {
  for (;;) {
    const status = await (await warmStatusRoute()).json();
    if (status.status !== 'running') return status;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('warm-cache plan size', () => {
  it('counts repeated list items once instead of multiplying the grid by them', async () => {
    const times = <T>(item: T) => Array.from({ length: 100 }, () => item);
    const body = {
      preset: 'grid',
      assets: times('ETH'),
      timeframes: times('4h'),
      leverages: times(3),
      strategies: times('contrarian'),
      lowMin: 20,
      lowMax: 21,
      highMin: 70,
      highMax: 71,
    };
    const response = await warmRoute(post('/api/backtest/warm-cache', JSON.stringify(body), 'application/json'));
    expect(response.status).toBe(202);
    expect((await response.json()).total).toBe(4);
    expect(await untilWarmJobDone()).toMatchObject({ status: 'done', done: 4, computed: 4, failed: 0 });
  });

  it(`refuses a job of more than ${MAX_WARM_JOB_COMBINATIONS} combinations with a 400 that says how many were asked`, async () => {
    const body = {
      preset: 'grid',
      assets: ['BTC', 'ETH', 'SOL'],
      timeframes: ['15m', '1h', '4h'],
      leverages: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      strategies: ['contrarian', 'momentum'],
    };
    const response = await warmRoute(post('/api/backtest/warm-cache', JSON.stringify(body), 'application/json'));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toContain('1069200 combinations');
    expect(error).toContain(String(MAX_WARM_JOB_COMBINATIONS));
    // Nothing was started: the last job is still the one above.
    expect((await (await warmStatusRoute()).json()).total).toBe(4);
  });
});

describe('warmPlanSize', () => {
  it('equals the plan length for any options without extreme thresholds, repeated items included', () => {
    const list = <T>(items: readonly T[]) => fc.option(fc.array(fc.constantFrom(...items), { minLength: 1, maxLength: 6 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          preset: fc.constantFrom('default', 'grid'),
          assets: list(['BTC', 'ETH', 'SOL'] as const),
          timeframes: list(['15m', '1h', '4h'] as const),
          leverages: list([1, 2, 3, 4, 6, 8, 10, 12]),
          strategies: list(['contrarian', 'momentum'] as const),
          lowMin: fc.integer({ min: 1, max: 99 }),
          lowSpan: fc.integer({ min: 0, max: 15 }),
          highMin: fc.integer({ min: 2, max: 100 }),
          highSpan: fc.integer({ min: 0, max: 15 }),
          step: fc.integer({ min: 1, max: 7 }),
        }),
        ({ lowSpan, highSpan, ...input }) => {
          const options = warmOptionsSchema.parse(
            Object.fromEntries(
              Object.entries({ ...input, lowMax: Math.min(99, input.lowMin + lowSpan), highMax: Math.min(100, input.highMin + highSpan) }).filter(([, v]) => v !== undefined),
            ),
          );
          expect(warmPlanSize(options)).toBe(buildWarmPlan(options).length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Content-Type of POST bodies', () => {
  const routes = [
    ['execute', (r: Request) => executeRoute(r), '/api/backtest/execute', JSON.stringify({ params: PARAMS })],
    ['clear', (r: Request) => clearRoute(r), '/api/backtest/cache/clear', JSON.stringify({ scope: 'all' })],
    ['heatmap', (r: Request) => heatmapRoute(r), '/api/backtest/heatmap', JSON.stringify({ ...PARAMS, lowThreshold: undefined, highThreshold: undefined })],
    ['warm-cache', (r: Request) => warmRoute(r), '/api/backtest/warm-cache', JSON.stringify({ preset: 'default', assets: ['SOL'] })],
  ] as const;

  it.each(routes)('%s answers 415 to a body that is not declared JSON, and acts on nothing', async (_, route, url, json) => {
    await executeRoute(post('/api/backtest/execute', JSON.stringify({ params: PARAMS }), 'application/json'));
    const before = fs.readdirSync(path.join(dirs.cache, 'temporary'));
    for (const [body, type] of [
      [json, 'text/plain;charset=UTF-8'], // what fetch(url, { body: string }) sends: a CORS "simple" request
      [json, 'application/x-www-form-urlencoded'], // curl -d, HTML forms
      [json, 'multipart/form-data; boundary=x'],
      [new Blob([json]), undefined], // a Blob without a type: no Content-Type at all
      [json, 'application/jsonp'],
    ] as const) {
      const response = await route(post(url, body, type));
      expect(response.status, `${type}`).toBe(415);
      expect((await response.json()).error).toMatch(/Content-Type: application\/json/);
    }
    expect(fs.readdirSync(path.join(dirs.cache, 'temporary'))).toEqual(before);
  });

  it('answers 415 to JSON declared in a charset other than UTF-8, and 200 to UTF-8 spelled any way', async () => {
    const body = JSON.stringify({ params: PARAMS });
    for (const type of ['application/json; charset=latin1', 'application/json;charset="UTF-16"', 'application/json; charset=iso-8859-1']) {
      const response = await executeRoute(post('/api/backtest/execute', body, type));
      expect(response.status, type).toBe(415);
      expect((await response.json()).error).toMatch(/^JSON bodies are UTF-8: charset=/);
    }
    for (const type of ['application/json; charset="utf-8"', 'application/json;charset=UTF8']) {
      expect((await executeRoute(post('/api/backtest/execute', body, type))).status, type).toBe(200);
    }
  });

  it('answers an upload the client aborts with a 400 logged in one line, never an [API ERROR]', async () => {
    const logged: unknown[][] = [];
    const spies = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')].map((spy) =>
      spy.mockImplementation((...args: unknown[]) => void logged.push(args)),
    );
    try {
      const aborted = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"params":{"asset":"ETH",'));
          controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        },
      });
      const response = await executeRoute(
        new Request('http://localhost/api/backtest/execute', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: aborted,
          duplex: 'half',
        } as RequestInit),
      );
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/client aborted the upload/);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toEqual([expect.stringMatching(/^\[API\] the request body was not received in full/)]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('accepts application/json with parameters and the +json suffix, and an empty warm-cache body without a type', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json']) {
      const response = await executeRoute(post('/api/backtest/execute', JSON.stringify({ params: PARAMS }), type));
      expect(response.status, type).toBe(200);
    }
    await untilWarmJobDone();
    const response = await warmRoute(post('/api/backtest/warm-cache', undefined));
    expect(response.status).toBe(202);
    expect((await response.json()).total).toBe(90);
    await untilWarmJobDone();
  });
});
