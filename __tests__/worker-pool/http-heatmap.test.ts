/**
 * The heatmap over HTTP against a real `next start` (build first: `npx next build`), which proves
 * the worker pool starts there (the esbuild-bundled worker file, piscina outside the server
 * bundle): the NDJSON stream and the JSON answer carry the same grid, and a client that goes away
 * mid-stream stops the computation (the server logs how many rows it had).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';

let server: NextServer;
beforeAll(async () => {
  server = await startNextServer({ WORKERS: '2' });
});
afterAll(() => server?.stop());

const post = (body: unknown, init: { ndjson?: boolean; signal?: AbortSignal } = {}) =>
  fetch(`${server.url}/api/backtest/heatmap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.ndjson && { accept: 'application/x-ndjson' }) },
    body: JSON.stringify(body),
    signal: init.signal,
  });

async function* lines(res: Response): AsyncGenerator<Record<string, unknown>> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += value;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const part of parts) yield JSON.parse(part);
  }
}

describe('heatmap over HTTP', () => {
  it('streams the grid as NDJSON with the JSON answer’s values', async () => {
    const body = { asset: 'ETH', timeframe: '4h', leverage: 2, strategy: 'contrarian' };
    const res = await post(body, { ndjson: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const got: Record<string, unknown>[] = [];
    for await (const line of lines(res)) got.push(line);
    expect(got.map((l) => l.type)).toEqual(['meta', ...Array(99).fill('row'), 'done']);
    const rows = new Map(got.slice(1, -1).map((l) => [l.low, l.values]));
    const json = await (await post(body)).json();
    expect(json.values).toEqual((got[0].lows as number[]).map((low) => rows.get(low)));
    expect(json.cached).toBe(true);
  });

  it('stops computing when the client disconnects mid-stream', async () => {
    const controller = new AbortController();
    const body = { asset: 'ETH', timeframe: '1h', leverage: 6, strategy: 'momentum', dateRange: { start: '2019-01-01', end: '2025-12-31' } };
    const res = await post(body, { ndjson: true, signal: controller.signal });
    for await (const line of lines(res)) {
      if (line.type === 'row') break;
    }
    controller.abort();
    const deadline = Date.now() + 20_000;
    let aborted: RegExpExecArray | null = null;
    while (!(aborted = /\[HEATMAP\] ETH 1h 6x momentum returns 2019-01-01..2025-12-31: aborted \(no client left\) after (\d+) of 99 rows/.exec(server.output()))) {
      if (Date.now() > deadline) throw new Error(`no abort logged:\n${server.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Number(aborted[1])).toBeLessThan(99);
  });
});
