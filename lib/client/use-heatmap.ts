import { useEffect, useState } from 'react';
import { LRUCache } from 'lru-cache';
import type { HeatmapRequest } from '../schemas';
import { ApiError } from './api';
import type { HeatmapResponse } from './api-types';
import { streamHeatmap } from './heatmap-stream';

export { HEATMAP_URL } from './heatmap-stream';

/**
 * A grid as the page draws it: `values[i][j]` for lows[i] × highs[j]; `arrived[i]` is false for
 * rows of the new grid not received yet (they still hold the previous grid's values, drawn
 * dimmed, or null); `executionTime` (ms) and `cached` once the grid is complete.
 */
export interface HeatmapGrid extends Omit<HeatmapResponse, 'executionTime' | 'cached'> {
  arrived: boolean[];
  executionTime?: number;
  cached?: boolean;
}

/** What useHeatmap returns: the grid on screen, whether it is still arriving, and the newest error. */
export interface HeatmapState {
  data?: HeatmapGrid;
  /** Rows of `data` received so far. */
  rowsArrived: number;
  loading: boolean;
  error?: ApiError;
}

/** Complete grids of this page, by request JSON (each ~80 KB): returning to settings shows them at once. */
const finished = new LRUCache<string, HeatmapResponse>({ max: 16 });

const complete = (grid: HeatmapResponse): HeatmapGrid => ({ ...grid, arrived: grid.lows.map(() => true) });

/**
 * The threshold heatmap for `requestKey` (the JSON of a HeatmapRequest; null fetches nothing),
 * streamed row by row (lib/client/heatmap-stream.ts). When the key changes, the request of the
 * old key is aborted (AbortController), and the old grid stays on screen, dimmed row by row,
 * until the new rows replace it. A late row of an aborted request is never applied.
 */
export function useHeatmap(requestKey: string | null): HeatmapState {
  const [state, setState] = useState<HeatmapState>({ rowsArrived: 0, loading: requestKey !== null });

  useEffect(() => {
    if (requestKey === null) return;
    const kept = finished.get(requestKey);
    if (kept) {
      setState({ data: complete(kept), rowsArrived: kept.lows.length, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    streamHeatmap(JSON.parse(requestKey) as HeatmapRequest, {
      signal: controller.signal,
      onMeta: (meta) =>
        setState((s) => {
          const sameAxes =
            s.data && s.data.lows.join() === meta.lows.join() && s.data.highs.join() === meta.highs.join();
          const values = sameAxes ? s.data!.values.map((row) => row.slice()) : meta.lows.map(() => meta.highs.map(() => null));
          return { ...s, rowsArrived: 0, data: { ...meta, values, arrived: meta.lows.map(() => false) } };
        }),
      onRow: (index, row) =>
        setState((s) => {
          if (!s.data || controller.signal.aborted) return s;
          const values = s.data.values.slice();
          values[index] = row;
          const arrived = s.data.arrived.slice();
          arrived[index] = true;
          return { ...s, rowsArrived: s.rowsArrived + 1, data: { ...s.data, values, arrived } };
        }),
    }).then(
      (grid) => {
        if (controller.signal.aborted) return;
        finished.set(requestKey, grid);
        setState({ data: complete(grid), rowsArrived: grid.lows.length, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(String(error), 0);
        setState((s) => ({ ...s, loading: false, error: apiError }));
      },
    );
    return () => controller.abort();
  }, [requestKey]);

  return state;
}

/** Forgets the grids kept by this page (tests). */
export function clearHeatmapMemory(): void {
  finished.clear();
}
