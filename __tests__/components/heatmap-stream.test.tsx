import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeatmapPanel } from '@/components/heatmap/heatmap-panel';
import { ApiError } from '@/lib/client/api';
import { createHeatmapAssembler, parseHeatmapLine } from '@/lib/client/heatmap-stream';
import { clearHeatmapMemory } from '@/lib/client/use-heatmap';
import { PAGE_WAIT } from './render-helpers';

// A 3 × 3 grid on the wire (test input, not backtest output): lows 10/30/50, highs 30/50/70.
const META = { type: 'meta', metric: 'returns', lows: [10, 30, 50], highs: [30, 50, 70], bars: 540, period: { start: '2025-01-01T00:00:00.000Z', end: '2025-04-01T00:00:00.000Z' } };
const ROWS = [
  { type: 'row', low: 30, values: [null, -1, 3] },
  { type: 'row', low: 10, values: [-4, 2.5, 8] },
  { type: 'row', low: 50, values: [null, null, 0.5] },
];
const DONE = { type: 'done', executionTime: 42, cached: false };
const lines = (...objects: object[]) => objects.map((o) => `${JSON.stringify(o)}\n`).join('');

describe('NDJSON heatmap parsing', () => {
  it('assembles rows arriving in any order and split across chunks into the grid', () => {
    const rows: number[] = [];
    const metas: unknown[] = [];
    const assembler = createHeatmapAssembler({ onMeta: (m) => metas.push(m), onRow: (i) => rows.push(i) });
    const text = lines(META, ...ROWS, DONE);
    for (let i = 0; i < text.length; i += 7) assembler.push(text.slice(i, i + 7)); // cut mid-line
    const grid = assembler.end();
    expect(metas).toHaveLength(1);
    expect(rows).toEqual([1, 0, 2]); // indices in `lows` of low 30, 10, 50
    expect(grid.values).toEqual([
      [-4, 2.5, 8],
      [null, -1, 3],
      [null, null, 0.5],
    ]);
    expect(grid).toMatchObject({ metric: 'returns', bars: 540, executionTime: 42, cached: false });
  });

  it('turns an error line into an ApiError with the server message', () => {
    const assembler = createHeatmapAssembler({ onMeta: () => {}, onRow: () => {} });
    expect(() => assembler.push(lines(META, { type: 'error', error: 'worker crashed' }))).toThrow(new ApiError('worker crashed', 500));
  });

  it('rejects hostile or broken lines', () => {
    expect(() => parseHeatmapLine('{"type":"row","low":10,"values":[1,"x"]}')).toThrow(/unexpected line/);
    expect(() => parseHeatmapLine('not json')).toThrow(/not JSON/);
    expect(() => parseHeatmapLine('{"type":"meta","metric":"bogus","lows":[],"highs":[],"bars":0,"period":{"start":"","end":""}}')).toThrow();
    const assembler = createHeatmapAssembler({ onMeta: () => {}, onRow: () => {} });
    expect(() => assembler.push(lines(ROWS[0]))).toThrow(/before its meta/);
    const short = createHeatmapAssembler({ onMeta: () => {}, onRow: () => {} });
    expect(() => short.push(lines(META, { type: 'row', low: 10, values: [1] }))).toThrow(/does not fit/);
    expect(() => short.push(lines({ type: 'row', low: 99, values: [1, 2, 3] }))).toThrow(/does not fit/);
  });

  it('fails a stream that ends before its done line', () => {
    const assembler = createHeatmapAssembler({ onMeta: () => {}, onRow: () => {} });
    assembler.push(lines(META, ROWS[0]));
    expect(() => assembler.end()).toThrow(/ended before its done line/);
  });
});

/** A streamed NDJSON response whose lines are sent one by one with `send()`; records whether the request was aborted. */
function controlledStream(signal: AbortSignal | undefined) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { headers: { 'content-type': 'application/x-ndjson' } }),
    send: (o: object) => controller.enqueue(encoder.encode(lines(o))),
    close: () => controller.close(),
  };
}

describe('heatmap panel on a streamed answer', () => {
  const base = { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' } as const;
  let streams: { body: unknown; signal?: AbortSignal; stream: ReturnType<typeof controlledStream> }[];
  beforeEach(() => {
    clearHeatmapMemory();
    streams = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const stream = controlledStream(init.signal ?? undefined);
        streams.push({ body: JSON.parse(init.body as string), signal: init.signal ?? undefined, stream });
        return stream.response;
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows rows as they arrive, then the computation time', async () => {
    render(<HeatmapPanel base={base} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    await waitFor(() => expect(streams).toHaveLength(1), PAGE_WAIT);
    await act(async () => {
      streams[0].stream.send(META);
      streams[0].stream.send(ROWS[0]);
    });
    await waitFor(() => expect(screen.getByTestId('heatmap-caption')).toHaveTextContent('540 bars · 2025-01-01 → 2025-03-31 UTC · 1/3 rows · updating…'), PAGE_WAIT);
    await act(async () => {
      streams[0].stream.send(ROWS[1]);
      streams[0].stream.send(ROWS[2]);
      streams[0].stream.send(DONE);
      streams[0].stream.close();
    });
    await waitFor(() => expect(screen.getByTestId('heatmap-caption')).toHaveTextContent('540 bars · 2025-01-01 → 2025-03-31 UTC · computed in 42 ms'), PAGE_WAIT);
    expect(screen.getByTestId('heatmap-caption').textContent).not.toMatch(/·\S/); // a space after every separator
  });

  it('aborts the request of settings that were left, and never paints its late rows', async () => {
    const { rerender } = render(<HeatmapPanel base={base} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    await waitFor(() => expect(streams).toHaveLength(1), PAGE_WAIT);
    rerender(<HeatmapPanel base={{ ...base, leverage: 5 }} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    await waitFor(() => expect(streams).toHaveLength(2), PAGE_WAIT);
    expect(streams[0].signal?.aborted).toBe(true);
    expect(streams[1].signal?.aborted).toBe(false);
    expect(streams[1].body).toMatchObject({ leverage: 5 });
    await act(async () => {
      streams[1].stream.send(META);
      for (const row of ROWS) streams[1].stream.send(row);
      streams[1].stream.send(DONE);
      streams[1].stream.close();
    });
    await waitFor(() => expect(screen.getByTestId('heatmap-caption')).toHaveTextContent('computed in 42 ms'), PAGE_WAIT);
  });
});
