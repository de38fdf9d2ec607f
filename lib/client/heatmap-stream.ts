/**
 * Client of `POST /api/backtest/heatmap` with the streamed wire format (helpers' contract): the
 * request carries `Accept: application/x-ndjson`; an `application/x-ndjson` answer is one JSON
 * object per line — `{"type":"meta",metric,lows,highs,bars,period}`, then one
 * `{"type":"row",low,values}` per low in any order, then `{"type":"done",executionTime,cached}`,
 * or `{"type":"error",error}` when the computation fails mid-stream. A server that answers
 * `application/json` sends the whole grid at once; it is delivered through the same callbacks.
 * Every line is checked before use (hostile input). Client-safe.
 */
import type { HeatmapMetric, HeatmapRequest } from '../schemas';
import { HEATMAP_METRICS } from '../schemas';
import { ApiError } from './api';
import type { HeatmapResponse } from './api-types';
import { HEATMAP_NDJSON, type HeatmapLine, type HeatmapStreamMeta } from '../heatmap-ndjson';

/** Route of SPEC §6 that computes the threshold grid. */
export const HEATMAP_URL = '/api/backtest/heatmap';

const isNumberList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isCellList = (v: unknown): v is (number | null)[] =>
  Array.isArray(v) && v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)));
const isPeriod = (v: unknown): v is HeatmapStreamMeta['period'] =>
  !!v && typeof v === 'object' && typeof (v as { start?: unknown }).start === 'string' && typeof (v as { end?: unknown }).end === 'string';

/**
 * Parses and checks one NDJSON line.
 * @throws ApiError (status 0) naming what is wrong when the line is not one of the four shapes.
 */
export function parseHeatmapLine(line: string): HeatmapLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ApiError(`heatmap stream: a line is not JSON (${line.slice(0, 40)})`, 0);
  }
  const o = (value ?? {}) as Record<string, unknown>;
  switch (o.type) {
    case 'meta':
      if (
        HEATMAP_METRICS.includes(o.metric as HeatmapMetric) &&
        isNumberList(o.lows) &&
        isNumberList(o.highs) &&
        typeof o.bars === 'number' &&
        isPeriod(o.period)
      ) {
        return { type: 'meta', metric: o.metric as HeatmapMetric, lows: o.lows, highs: o.highs, bars: o.bars, period: o.period };
      }
      break;
    case 'row':
      if (typeof o.low === 'number' && isCellList(o.values)) return { type: 'row', low: o.low, values: o.values };
      break;
    case 'done':
      if (typeof o.executionTime === 'number' && typeof o.cached === 'boolean') {
        return { type: 'done', executionTime: o.executionTime, cached: o.cached };
      }
      break;
    case 'error':
      if (typeof o.error === 'string') return { type: 'error', error: o.error };
      break;
  }
  throw new ApiError(`heatmap stream: unexpected line (${line.slice(0, 40)})`, 0);
}

/** Callbacks of streamHeatmap: the frame first, then each row (its index in `meta.lows`) as it arrives. */
export interface HeatmapStreamHandlers {
  onMeta: (meta: HeatmapStreamMeta) => void;
  onRow: (index: number, values: (number | null)[]) => void;
  signal?: AbortSignal;
}

/**
 * Feeds `text` chunks of an NDJSON body line by line; returns the grid once `done` arrived.
 * Exposed for tests; streamHeatmap uses it on the response body.
 * @throws ApiError for an `error` line (status 500), a row before the meta or for an unknown low,
 * a row of the wrong length, or a body that ends before `done`.
 */
export function createHeatmapAssembler(handlers: Pick<HeatmapStreamHandlers, 'onMeta' | 'onRow'>) {
  let buffer = '';
  let meta: HeatmapStreamMeta | undefined;
  let values: (number | null)[][] = [];
  let result: HeatmapResponse | undefined;
  const handle = (line: string) => {
    if (!line.trim() || result) return;
    const parsed = parseHeatmapLine(line);
    if (parsed.type === 'error') throw new ApiError(parsed.error, 500);
    if (parsed.type === 'meta') {
      const { type: _type, ...frame } = parsed;
      meta = frame;
      values = parsed.lows.map(() => parsed.highs.map(() => null));
      handlers.onMeta(frame);
      return;
    }
    if (!meta) throw new ApiError('heatmap stream: data before its meta line', 0);
    if (parsed.type === 'row') {
      const index = meta.lows.indexOf(parsed.low);
      if (index < 0 || parsed.values.length !== meta.highs.length) {
        throw new ApiError(`heatmap stream: row for low ${parsed.low} does not fit the grid`, 0);
      }
      values[index] = parsed.values;
      handlers.onRow(index, parsed.values);
      return;
    }
    result = { ...meta, values, executionTime: parsed.executionTime, cached: parsed.cached };
  };
  return {
    /** Adds a chunk of the body. */
    push(text: string) {
      buffer += text;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        handle(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    },
    /** Ends the body; returns the grid. */
    end(): HeatmapResponse {
      handle(buffer);
      buffer = '';
      if (!result) throw new ApiError('heatmap stream ended before its done line', 0);
      return result;
    },
  };
}

/**
 * Requests the grid for `request`, streamed when the server supports it. Aborting `signal`
 * cancels the request (the server stops computing when it streams from a worker pool).
 * @throws ApiError with the server's message for an error answer (429 keeps its status), or
 * for a broken stream; the AbortError when aborted.
 */
export async function streamHeatmap(request: HeatmapRequest, { onMeta, onRow, signal }: HeatmapStreamHandlers): Promise<HeatmapResponse> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: HEATMAP_NDJSON },
    body: JSON.stringify(request),
    signal,
  };
  let response: Response;
  try {
    response = await fetch(HEATMAP_URL, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(`Cannot reach the server (${(error as Error).message})`, 0);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !type.includes(HEATMAP_NDJSON) || !response.body) {
    // Error answers and the single-JSON answer: read the whole body.
    const text = await response.text();
    return deliverJson(text, response, { onMeta, onRow });
  }
  const assembler = createHeatmapAssembler({ onMeta, onRow });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    assembler.push(value);
  }
  return assembler.end();
}

/** A whole-JSON answer: error → ApiError; grid → the callbacks once each, then the grid. */
function deliverJson(text: string, response: Response, { onMeta, onRow }: Pick<HeatmapStreamHandlers, 'onMeta' | 'onRow'>): HeatmapResponse {
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  if (!response.ok) {
    const message = typeof (body as { error?: unknown } | null)?.error === 'string' ? (body as { error: string }).error : `HTTP ${response.status}`;
    throw new ApiError(message, response.status);
  }
  const grid = body as HeatmapResponse;
  if (!grid || !isNumberList(grid.lows) || !isNumberList(grid.highs) || !Array.isArray(grid.values)) {
    throw new ApiError('heatmap answer is not a grid', 0);
  }
  onMeta({ metric: grid.metric, lows: grid.lows, highs: grid.highs, bars: grid.bars, period: grid.period });
  grid.values.forEach((row, index) => onRow(index, row));
  return grid;
}
