/**
 * The heatmap stream of POST /api/backtest/heatmap with `Accept: application/x-ndjson` (SPEC §6,
 * §8): rows are sent as the worker pool finishes them, so the page paints the grid progressively
 * (lib/client/heatmap-stream.ts reads it).
 */
import type { HeatmapMetric } from './schemas';
import type { HeatmapHandle } from './heatmap-service';

/** Media type of the stream (newline-delimited JSON). */
export const HEATMAP_NDJSON = 'application/x-ndjson';

/** The grid's frame, known before any row: axes, bar count and period (ISO UTC). */
export interface HeatmapStreamMeta {
  metric: HeatmapMetric;
  lows: number[];
  highs: number[];
  bars: number;
  period: { start: string; end: string };
}

/** One line of the stream. */
export type HeatmapLine =
  | ({ type: 'meta' } & HeatmapStreamMeta)
  | { type: 'row'; low: number; values: (number | null)[] }
  | { type: 'done'; executionTime: number; cached: boolean }
  | { type: 'error'; error: string };

/**
 * The heatmap of `handle` as NDJSON lines: `{"type":"meta",...meta}`, one `{"type":"row",low,values}`
 * per low as it finishes (any order), then `{"type":"done",executionTime,cached}`, or
 * `{"type":"error",error}` when the computation fails after the stream started (logged; an
 * abort ends the stream silently). The stream releases the handle when it ends or is cancelled.
 */
export function heatmapNdjsonStream(handle: HeatmapHandle): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let open = true;
  return new ReadableStream({
    start(controller) {
      const send = (line: HeatmapLine) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      };
      send({ type: 'meta', ...handle.meta });
      handle
        .rows(({ low, values }) => send({ type: 'row', low, values }))
        .then(
          ({ executionTime }) => send({ type: 'done', executionTime, cached: handle.cached }),
          (error: unknown) => {
            if (error instanceof Error && error.name === 'AbortError') return;
            console.error('[API ERROR] heatmap stream', error);
            send({ type: 'error', error: 'the heatmap computation failed' });
          },
        )
        .finally(() => {
          handle.release();
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
      handle.release();
    },
  });
}
