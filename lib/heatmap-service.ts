/**
 * The threshold heatmap as POST /api/backtest/heatmap serves it (SPEC §6, §8): the grid is
 * computed in the worker pool one row (one low threshold) per task, at most `pool.size` rows of
 * one heatmap outstanding at a time, so several heatmaps share the workers row by row and the
 * request thread only plans, relays rows and answers. Rows are delivered as they finish (for the
 * NDJSON stream) and the whole grid once complete; recent grids are kept in memory (identical
 * requests share one computation). Admission is bounded: beyond `maxPending` heatmaps computing
 * at once a new one is refused (HeatmapQueueFullError → 429). A computation nobody waits for any
 * more (every client disconnected or replaced its request) is aborted: no new row starts, and the
 * rows already running (at most one per worker) are discarded.
 * Server side (reads market data); no `server-only` import so scripts can use it.
 */
import { LRUCache } from 'lru-cache';
import { BusyError } from './errors';
import { HEATMAP_LOWS, planHeatmap, type Heatmap, type HeatmapOptions } from './engine';
import { loadSeries } from './market-data';
import type { MarketSeries } from './market-data/types';
import type { HeatmapRequest } from './schemas';
import { getWorkerPool, sharedSeries, type WorkerPool } from './worker-pool';

/** The grid, the wall time of its computation (ms) and whether it came from memory. */
export interface HeatmapResult extends Heatmap {
  executionTime: number;
  cached: boolean;
}

/** Everything of a heatmap but its values: the NDJSON stream's `meta` line. */
export type HeatmapMeta = Omit<Heatmap, 'values'>;

/** One finished row: the metric for every high of `meta.highs` at this low (null where invalid). */
export interface HeatmapRow {
  low: number;
  values: (number | null)[];
}

/** Every heatmap slot is taken: answer 429 with `Retry-After: retryAfterSeconds`. */
export class HeatmapQueueFullError extends BusyError {
  constructor(retryAfterSeconds: number) {
    super(`too many heatmaps are being computed; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
    this.name = 'HeatmapQueueFullError';
  }
}

/** A caller's handle on a (possibly shared) computation. Call `release()` once done with it. */
export interface HeatmapHandle {
  meta: HeatmapMeta;
  /** True when the grid was found in memory (finished or in flight for an identical request). */
  cached: boolean;
  /**
   * Calls `onRow` for every row, finished ones first, then each as it finishes; resolves with
   * the computation's wall time (ms) once all 99 rows are in.
   * @throws (rejects) when the computation fails or is aborted.
   */
  rows(onRow: (row: HeatmapRow) => void): Promise<{ executionTime: number }>;
  /** The whole grid once complete (see rows for errors). */
  result(): Promise<HeatmapResult>;
  /** This caller no longer waits; the last one to release an unfinished computation aborts it. */
  release(): void;
}

/** Options of a HeatmapService. */
export interface HeatmapServiceOptions {
  /** Default: the process-wide pool (lib/worker-pool). */
  pool?: () => WorkerPool;
  /** Heatmaps computing at once before a new one gets 429 (default 8). */
  maxPending?: number;
  /** Finished grids kept in memory (default 64; ~80 KB of JSON each). */
  keep?: number;
  /** Default lib/market-data loadSeries. */
  loadSeries?: (asset: HeatmapRequest['asset'], timeframe: HeatmapRequest['timeframe']) => Promise<MarketSeries>;
}

/** Durations of the last finished heatmaps that Retry-After is estimated from. */
const DURATION_SAMPLES = 16;

class Computation {
  readonly rows = new Map<number, (number | null)[]>();
  readonly done: Promise<{ executionTime: number }>;
  private readonly listeners = new Set<(row: HeatmapRow) => void>();
  private readonly controller = new AbortController();
  private holders = 0;
  finished = false;

  constructor(
    readonly meta: HeatmapMeta,
    compute: (signal: AbortSignal, onRow: (row: HeatmapRow) => void) => Promise<void>,
  ) {
    const started = performance.now();
    this.done = compute(this.controller.signal, (row) => {
      this.rows.set(row.low, row.values);
      for (const listener of this.listeners) listener(row);
    }).then(() => {
      this.finished = true;
      return { executionTime: performance.now() - started };
    });
    this.done.catch(() => undefined); // observed through rows()/result()
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  hold(): void {
    this.holders += 1;
  }

  /** Returns true when this release aborted the computation. */
  release(): boolean {
    this.holders -= 1;
    if (this.holders > 0 || this.finished || this.aborted) return false;
    this.controller.abort(new DOMException('every client of this heatmap has gone', 'AbortError'));
    return true;
  }

  async forEachRow(onRow: (row: HeatmapRow) => void): Promise<{ executionTime: number }> {
    for (const [low, values] of this.rows) onRow({ low, values });
    this.listeners.add(onRow);
    try {
      return await this.done;
    } finally {
      this.listeners.delete(onRow);
    }
  }
}

/** Heatmaps off the request thread. Use the singleton `heatmapService` outside tests. */
export class HeatmapService {
  private readonly pool: () => WorkerPool;
  private readonly maxPending: number;
  private readonly load: NonNullable<HeatmapServiceOptions['loadSeries']>;
  private readonly recent: LRUCache<string, Computation>;
  private readonly pending = new Set<Computation>();
  private readonly durations: number[] = [];
  /** Rows delivered by workers since the service started (aborted rows that still ran are not counted). */
  rowsComputed = 0;

  constructor(options: HeatmapServiceOptions = {}) {
    this.pool = options.pool ?? getWorkerPool;
    this.maxPending = options.maxPending ?? 8;
    this.load = options.loadSeries ?? loadSeries;
    this.recent = new LRUCache({ max: options.keep ?? 64 });
  }

  /** Heatmaps computing now. */
  get computing(): number {
    return this.pending.size;
  }

  /**
   * Starts (or joins, or finds kept) the heatmap of a validated request (metric defaults to
   * `returns`). `signal` (the request's) releases the handle when it fires.
   * @throws NoDataInRangeError (422) when no bar with an FGI value lies in the window.
   * @throws MarketDataError (503) when the market data cannot be loaded.
   * @throws HeatmapQueueFullError (429) when `maxPending` heatmaps are computing.
   */
  async open(request: HeatmapRequest, signal?: AbortSignal): Promise<HeatmapHandle> {
    const series = await this.load(request.asset, request.timeframe);
    const { asset, timeframe, leverage, strategy, extremeLowThreshold, extremeHighThreshold, dateRange, metric = 'returns' } = request;
    const key = JSON.stringify([
      series.dataVersion, asset, timeframe, leverage, strategy,
      extremeLowThreshold ?? null, extremeHighThreshold ?? null, dateRange ?? null, metric,
    ]);
    let computation = this.recent.get(key);
    const cached = computation !== undefined && !computation.aborted;
    if (!cached) {
      if (this.pending.size >= this.maxPending) throw new HeatmapQueueFullError(this.retryAfterSeconds());
      const options: HeatmapOptions = { leverage, strategy, extremeLowThreshold, extremeHighThreshold, dateRange, metric };
      // Planned here for the meta and to fail fast (422) before anything is queued.
      const { row: _row, cell: _cell, ...meta } = planHeatmap(series, options);
      computation = this.start(key, meta, sharedSeries(series), options);
    }
    const label = `${asset} ${timeframe} ${leverage}x ${strategy} ${metric}${dateRange ? ` ${dateRange.start}..${dateRange.end}` : ''}`;
    return this.handle(key, label, computation!, cached, signal);
  }

  private start(key: string, meta: HeatmapMeta, series: MarketSeries, options: HeatmapOptions): Computation {
    const pool = this.pool();
    const computation = new Computation(meta, async (signal, onRow) => {
      let next = 0;
      // Lows ascending: the longest rows (low 1 has 99 cells) first, the one-cell rows last.
      const lane = async () => {
        while (next < HEATMAP_LOWS.length) {
          signal.throwIfAborted();
          const low = HEATMAP_LOWS[next++];
          const values = await pool.run('heatmapRow', { series, options, low }, { signal, priority: 'normal' });
          signal.throwIfAborted();
          this.rowsComputed += 1;
          onRow({ low, values });
        }
      };
      await Promise.all(Array.from({ length: Math.min(pool.size, HEATMAP_LOWS.length) }, lane));
    });
    this.pending.add(computation);
    this.recent.set(key, computation);
    computation.done.then(
      ({ executionTime }) => {
        this.durations.push(executionTime);
        if (this.durations.length > DURATION_SAMPLES) this.durations.shift();
      },
      () => {
        if (this.recent.get(key) === computation) this.recent.delete(key);
      },
    ).finally(() => this.pending.delete(computation));
    return computation;
  }

  private handle(key: string, label: string, computation: Computation, cached: boolean, signal?: AbortSignal): HeatmapHandle {
    computation.hold();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      signal?.removeEventListener('abort', release);
      if (computation.release()) {
        console.log(`[HEATMAP] ${label}: aborted (no client left) after ${computation.rows.size} of ${HEATMAP_LOWS.length} rows`);
        this.pending.delete(computation);
        if (this.recent.get(key) === computation) this.recent.delete(key);
      }
    };
    if (signal?.aborted) release();
    else signal?.addEventListener('abort', release, { once: true });
    const { meta } = computation;
    return {
      meta,
      cached,
      rows: (onRow) => computation.forEachRow(onRow),
      result: async () => {
        const { executionTime } = await computation.done;
        const values = HEATMAP_LOWS.map((low) => computation.rows.get(low)!);
        return { ...meta, values, executionTime, cached };
      },
      release,
    };
  }

  /** Seconds until a slot is likely free: the mean duration of recent heatmaps, at least 1. */
  private retryAfterSeconds(): number {
    if (this.durations.length === 0) return 1;
    const mean = this.durations.reduce((s, d) => s + d, 0) / this.durations.length;
    return Math.max(1, Math.ceil(mean / 1000));
  }
}

const SINGLETON = Symbol.for('split-sea.heatmapService');

/** The process-wide heatmap service (on globalThis, shared by every route bundle). */
export const heatmapService: HeatmapService = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??=
  new HeatmapService()) as HeatmapService;

/**
 * The whole heatmap for a validated request: open, wait, release.
 * @throws as HeatmapService.open, and when the computation fails.
 */
export async function computeThresholdHeatmap(request: HeatmapRequest, signal?: AbortSignal): Promise<HeatmapResult> {
  const handle = await heatmapService.open(request, signal);
  try {
    return await handle.result();
  } finally {
    handle.release();
  }
}
