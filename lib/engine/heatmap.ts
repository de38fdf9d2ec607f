/**
 * The threshold heatmap (SPEC §8): one metric over every integer (low, high) pair for fixed
 * asset, timeframe, leverage and strategy. The window is resolved once; a cell is one
 * simulation pass that reuses one record, one params object and one cell object (a cell
 * allocates nothing), and cells whose thresholds take the same decisions on the window's FGI
 * values share that pass (see thresholdClasses). Client-safe, pure.
 */
import type { MarketSeries } from '../market-data/types';
import type { DateRange, HeatmapMetric, Strategy } from '../schemas';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './config';
import { barsPerYear, calmarRatio, sharpeFromSums, totalReturn, windowPeriod } from './metrics';
import { newSimulationRecord, simulate, type StrategyParams } from './simulate';
import { resolveWindow, type BarWindow } from './window';

/** Low thresholds of the grid: 1..99. */
export const HEATMAP_LOWS: readonly number[] = Object.freeze(Array.from({ length: 99 }, (_, k) => k + 1));
/** High thresholds of the grid: 2..100. */
export const HEATMAP_HIGHS: readonly number[] = Object.freeze(Array.from({ length: 99 }, (_, k) => k + 2));

/** The grid's fixed parameters; `metric` defaults to `returns`. */
export interface HeatmapOptions {
  leverage: number;
  strategy: Strategy;
  /** Extreme thresholds (contrarian): cells with low < extremeLow or high > extremeHigh are null. */
  extremeLowThreshold?: number;
  extremeHighThreshold?: number;
  dateRange?: DateRange;
  metric?: HeatmapMetric;
}

/**
 * values[a][b] is the metric for low = lows[a], high = highs[b]; null where those thresholds are
 * not valid params (low ≥ high, or outside the extreme thresholds).
 */
export interface Heatmap {
  metric: HeatmapMetric;
  lows: number[];
  highs: number[];
  values: (number | null)[][];
  /** Bars in the window. */
  bars: number;
  /** ISO UTC open time of the first bar, close time of the last. */
  period: { start: string; end: string };
}

/** The metrics of one grid cell that a threshold search (heatmap, walk-forward) ranks by. */
export interface HeatmapCell {
  /** %, as BacktestMetrics.returns. */
  returns: number;
  sharpeRatio: number;
  /** %, as BacktestMetrics.maxDrawdown. */
  maxDrawdown: number;
  /** null when maxDrawdown is 0 or the annualised return is not finite (SPEC §4). */
  calmarRatio: number | null;
  /** Closed trades, as BacktestMetrics.trades. */
  trades: number;
}

/**
 * A heatmap ready to be computed one row at a time: the window is resolved and the scratch
 * (simulation record, params, cell) allocated once. `row(low)` returns the metric for every high in HEATMAP_HIGHS (null
 * where the cell's params are not valid). Lets a server yield to other work between rows.
 */
export interface HeatmapPlan extends Omit<Heatmap, 'values'> {
  row(low: number): (number | null)[];
  /**
   * The ranking metrics of one cell, equal to runBacktest's for those thresholds; null where the
   * cell's params are not valid. The returned object may be reused by the next call: copy what
   * you keep.
   */
  cell(low: number, high: number): Readonly<HeatmapCell> | null;
}

/** Numbers kept per class pair in a plan's memo. */
const MEMO_FIELDS = 5;

/** Thresholds 0..101 mapped to classes that take the same decisions on a window's FGI values. */
interface ThresholdClasses {
  /** low[t]: class of low threshold t (the same for thresholds with the same FGI values ≤ t). */
  low: Uint8Array;
  /** high[t]: class of high threshold t (the same for thresholds with the same FGI values ≥ t). */
  high: Uint8Array;
  /** Classes of each kind (at most 102). */
  count: number;
}

/**
 * The simulation reads the thresholds only through `FGI ≤ low` and `FGI ≥ high` on the window's
 * bars, so two lows with the same window FGI values at or below them (two highs with the same at
 * or above them) give bit-identical backtests. On a 90-day window the FGI takes some 50 distinct
 * values, so the 4,950 cells hold about 1,300 distinct backtests; over years nearly all 101.
 */
function thresholdClasses(fgi: Float64Array, window: BarWindow): ThresholdClasses {
  const distinct = new Set<number>();
  for (let i = window.from; i < window.to; i++) if (fgi[i] === fgi[i]) distinct.add(fgi[i]);
  const values = [...distinct];
  /** Ids 0.. for t = 0..101 that step up wherever `key(t)`, monotone in t, changes. */
  const renumber = (key: (t: number) => number): Uint8Array => {
    const ids = new Uint8Array(102);
    for (let t = 1, id = 0, previous = key(0); t <= 101; t++) {
      const current = key(t);
      if (current !== previous) id++;
      ids[t] = id;
      previous = current;
    }
    return ids;
  };
  const count = (keep: (v: number) => boolean) => values.reduce((n, v) => (keep(v) ? n + 1 : n), 0);
  const low = renumber((t) => count((v) => v <= t));
  // FGI ≥ t holds for the values not below t.
  const high = renumber((t) => count((v) => v < t));
  return { low, high, count: Math.max(low[101], high[101]) + 1 };
}

/**
 * Prepares the heatmap of `metric` (returns %, sharpeRatio, or maxDrawdown %) for every low
 * 1..99 × high 2..100 with low < high on `series`; each cell equals runBacktest's metric.
 * @throws NoDataInRangeError when the window has no bar with an FGI value.
 */
export function planHeatmap(
  series: MarketSeries,
  options: HeatmapOptions,
  config: Readonly<EngineConfig> = DEFAULT_ENGINE_CONFIG,
): HeatmapPlan {
  const metric = options.metric ?? 'returns';
  const window = resolveWindow(series, options.dateRange, config);
  const periodsPerYear = barsPerYear(series.intervalMs);
  const { capital } = config;
  const { leverage, strategy, extremeLowThreshold, extremeHighThreshold } = options;
  const extremes = extremeLowThreshold !== undefined && extremeHighThreshold !== undefined;
  const bars = window.to - window.from;
  // Scratch reused by every cell: the thresholds are written into `params` before each run.
  const params: StrategyParams = {
    leverage,
    strategy,
    lowThreshold: 0,
    highThreshold: 0,
    ...(extremes ? { extremeLowThreshold, extremeHighThreshold } : {}),
  };
  const record = newSimulationRecord(window);
  const runOptions = { into: record };
  const { stats } = record;
  // Built on the first cell, so a plan made only for its meta (the server's, before it queues
  // the rows) costs no pass over the bars: the threshold classes, and the metrics of each class
  // pair, computed on first use: returns, Sharpe, max drawdown, Calmar (NaN for null) and trades
  // at MEMO_FIELDS × (lowClass × classCount + highClass).
  let classes: ThresholdClasses | null = null;
  let memo = new Float64Array(0);
  let known = new Uint8Array(0);
  /** Offset in `memo` of the cell's metrics (simulated on first use); −1 where its params are not valid. */
  const slot = (low: number, high: number): number => {
    if (low >= high) return -1;
    if (extremes && (low < extremeLowThreshold || high > extremeHighThreshold)) return -1;
    if (classes === null) {
      classes = thresholdClasses(series.fgi, window);
      memo = new Float64Array(classes.count * classes.count * MEMO_FIELDS);
      known = new Uint8Array(classes.count * classes.count);
    }
    const pair = classes.low[low] * classes.count + classes.high[high];
    const at = pair * MEMO_FIELDS;
    if (known[pair] === 0) {
      params.lowThreshold = low;
      params.highThreshold = high;
      simulate(series, window, params, config, runOptions);
      const drawdown = stats.drawdown * 100;
      memo[at] = totalReturn(stats.finalEquity, capital);
      memo[at + 1] = sharpeFromSums(stats.returnSum, stats.squaredDeviations, bars, periodsPerYear);
      memo[at + 2] = drawdown;
      memo[at + 3] = calmarRatio(stats.finalEquity, capital, bars, periodsPerYear, drawdown) ?? NaN;
      memo[at + 4] = record.tally.count;
      known[pair] = 1;
    }
    return at;
  };
  const scratch: HeatmapCell = { returns: 0, sharpeRatio: 0, maxDrawdown: 0, calmarRatio: null, trades: 0 };
  const cell = (low: number, high: number): HeatmapCell | null => {
    const at = slot(low, high);
    if (at < 0) return null;
    scratch.returns = memo[at];
    scratch.sharpeRatio = memo[at + 1];
    scratch.maxDrawdown = memo[at + 2];
    scratch.calmarRatio = Number.isNaN(memo[at + 3]) ? null : memo[at + 3];
    scratch.trades = memo[at + 4];
    return scratch;
  };
  const field = metric === 'sharpeRatio' ? 1 : metric === 'maxDrawdown' ? 2 : 0;
  const value = (low: number, high: number): number | null => {
    const at = slot(low, high);
    return at < 0 ? null : memo[at + field];
  };
  return {
    metric,
    lows: [...HEATMAP_LOWS],
    highs: [...HEATMAP_HIGHS],
    bars,
    period: windowPeriod(series, window),
    cell,
    row: (low) => HEATMAP_HIGHS.map((high) => value(low, high)),
  };
}

/**
 * The whole heatmap in one synchronous pass (see planHeatmap).
 * @throws NoDataInRangeError when the window has no bar with an FGI value.
 */
export function computeHeatmap(
  series: MarketSeries,
  options: HeatmapOptions,
  config: Readonly<EngineConfig> = DEFAULT_ENGINE_CONFIG,
): Heatmap {
  const { row, cell: _cell, ...plan } = planHeatmap(series, options, config);
  return { ...plan, values: HEATMAP_LOWS.map(row) };
}
