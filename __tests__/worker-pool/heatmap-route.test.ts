/**
 * POST /api/backtest/heatmap as a route handler, computed in the real worker pool (2 workers) on
 * the real data: the NDJSON stream (meta, 99 rows, done) carries the JSON response's values; a
 * client that disconnects stops the computation within a row per worker (rows counted by the
 * service); every heatmap slot taken answers 429 with Retry-After; and execute requests are
 * answered while heatmaps keep every worker busy.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { POST as heatmapPost } from '@/app/api/backtest/heatmap/route';
import { POST as executePost } from '@/app/api/backtest/execute/route';
import { computeHeatmap, HEATMAP_HIGHS, HEATMAP_LOWS } from '@/lib/engine';
import { heatmapService } from '@/lib/heatmap-service';
import { loadSeries } from '@/lib/market-data';
import { getWorkerPool } from '@/lib/worker-pool';
import { ETH_4H_PARAMS } from '../helpers/params';

const { CACHE_DIR } = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.CACHE_DIR = mkdtempSync(join(tmpdir(), 'splitsea-heatmap-route-'));
  process.env.WORKERS = '2';
  return { CACHE_DIR: process.env.CACHE_DIR };
});
afterAll(() => fs.rmSync(CACHE_DIR, { recursive: true, force: true }));

/** ETH 1h over 2019–2025: ~61,000 bars, long rows (tens of ms each on this machine). */
const LONG = { asset: 'ETH', timeframe: '1h', strategy: 'contrarian', dateRange: { start: '2019-01-01', end: '2025-12-31' } } as const;

function heatmapRequest(body: unknown, { ndjson = false, signal }: { ndjson?: boolean; signal?: AbortSignal } = {}) {
  return new Request('http://localhost/api/backtest/heatmap', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ndjson && { accept: 'application/x-ndjson' }) },
    body: JSON.stringify(body),
    signal,
  });
}

/** Reads NDJSON lines from a response body, calling `onLine` for each as it arrives. */
async function readLines(res: Response, onLine: (line: Record<string, unknown>) => void | 'stop'): Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += value;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (onLine(JSON.parse(line)) === 'stop') {
        await reader.cancel();
        return;
      }
    }
  }
}

const untilIdle = async () => {
  while (heatmapService.computing > 0 || getWorkerPool().stats().running > 0) await new Promise((r) => setTimeout(r, 20));
};

describe('POST /api/backtest/heatmap in the worker pool', () => {
  it('streams meta, 99 rows and done as NDJSON, with the values of the JSON response and the engine', async () => {
    const body = { asset: 'SOL', timeframe: '4h', leverage: 4, strategy: 'momentum', metric: 'sharpeRatio' };
    const res = await heatmapPost(heatmapRequest(body, { ndjson: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines: Record<string, unknown>[] = [];
    await readLines(res, (line) => void lines.push(line));
    expect(lines[0]).toMatchObject({ type: 'meta', metric: 'sharpeRatio', lows: [...HEATMAP_LOWS], highs: [...HEATMAP_HIGHS] });
    expect(lines.slice(1, -1).every((l) => l.type === 'row')).toBe(true);
    expect(lines).toHaveLength(1 + 99 + 1);
    expect(lines.at(-1)).toMatchObject({ type: 'done', cached: false });
    const rows = new Map(lines.slice(1, -1).map((l) => [l.low as number, l.values]));
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([...HEATMAP_LOWS]);

    const json = await (await heatmapPost(heatmapRequest(body))).json();
    expect(json.cached).toBe(true); // kept from the streamed computation
    expect(json.values).toEqual(HEATMAP_LOWS.map((low) => rows.get(low)));
    expect({ bars: json.bars, period: json.period }).toEqual({ bars: lines[0].bars, period: lines[0].period });
    const engine = computeHeatmap(await loadSeries('SOL', '4h'), { leverage: 4, strategy: 'momentum', metric: 'sharpeRatio' });
    // JSON turns NaN into null, as the response does.
    expect(json.values).toEqual(JSON.parse(JSON.stringify(engine.values)));
  });

  it('stops a heatmap whose client disconnected within one row per worker', async () => {
    const controller = new AbortController();
    const before = heatmapService.rowsComputed;
    const res = await heatmapPost(heatmapRequest({ ...LONG, leverage: 5 }, { ndjson: true, signal: controller.signal }));
    let rowsSeen = 0;
    await readLines(res, (line) => {
      if (line.type !== 'row') return;
      rowsSeen += 1;
      controller.abort(); // the client goes away after its first row
      return 'stop';
    });
    expect(rowsSeen).toBe(1);
    await untilIdle();
    const computed = heatmapService.rowsComputed - before;
    // At most the rows running when it was aborted (one per worker) finish after the first.
    expect(computed).toBeGreaterThanOrEqual(1);
    expect(computed).toBeLessThanOrEqual(1 + getWorkerPool().size);
    // Not kept: the same request computes again.
    const again = await heatmapPost(heatmapRequest({ ...LONG, leverage: 5 }, { ndjson: true }));
    const controllerless: Record<string, unknown>[] = [];
    await readLines(again, (line) => {
      controllerless.push(line);
      return line.type === 'row' ? 'stop' : undefined;
    });
    await untilIdle();
    expect(controllerless[0].type).toBe('meta');
  });

  it('answers 429 with Retry-After when every heatmap slot is taken, and execute requests while the workers are busy', async () => {
    const controller = new AbortController();
    const answered: Response[] = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      heatmapPost(heatmapRequest({ ...LONG, leverage: 1 + (i % 12), metric: i < 5 ? 'returns' : 'maxDrawdown' }, { signal: controller.signal }))
        .then((res) => answered.push(res)),
    );
    // 8 slots (HeatmapService default): the 9th and 10th distinct heatmaps are refused at once,
    // while the others compute (a JSON answer comes once the whole grid is done).
    while (answered.length < 2) await new Promise((r) => setTimeout(r, 10));
    const refused = answered.filter((r) => r.status === 429);
    expect(refused).toHaveLength(2);
    for (const res of refused) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await res.json()).error).toMatch(/too many heatmaps/);
    }
    expect(heatmapService.computing).toBe(8);
    expect(getWorkerPool().stats().running).toBe(getWorkerPool().size);

    // The pool is saturated; execute (hit and miss) runs on the request thread and answers.
    for (const params of [ETH_4H_PARAMS, { ...ETH_4H_PARAMS, leverage: 7 }, ETH_4H_PARAMS]) {
      const res = await executePost(
        new Request('http://localhost/api/backtest/execute', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ params, priority: 'high' }),
        }),
      );
      expect(res.status).toBe(200);
    }
    expect(heatmapService.computing).toBe(8); // answered while every heatmap was still computing

    controller.abort();
    await Promise.all(all);
    await untilIdle();
    expect(heatmapService.computing).toBe(0);
    expect(answered).toHaveLength(10);
  });
});
