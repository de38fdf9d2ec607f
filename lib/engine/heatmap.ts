/**
 * The threshold heatmap (SPEC §8): one metric over every integer (low, high) pair for fixed
 * asset, timeframe, leverage and strategy. The window is resolved once; every cell is one
 * simulation pass that reuses one record, one params object and one cell object, so a cell
 * allocates nothing. Client-safe, pure.
 */
import type { MarketSeries } from '../market-data/types';
import type { DateRange, HeatmapMetric, Strategy } from '../schemas';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './config';
import { barsPerYear, calmarRatio, sharpeFromSums, totalReturn, windowPeriod } from './metrics';
import { newSimulationRecord, simulate, type StrategyParams } from './simulate';
import { resolveWindow } from './window';

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
  const scratch: HeatmapCell = { returns: 0, sharpeRatio: 0, maxDrawdown: 0, calmarRatio: null, trades: 0 };
  /** Simulates the cell into `record`; false where its params are not valid. */
  const run = (low: number, high: number): boolean => {
    if (low >= high) return false;
    if (extremes && (low < extremeLowThreshold || high > extremeHighThreshold)) return false;
    params.lowThreshold = low;
    params.highThreshold = high;
    simulate(series, window, params, config, runOptions);
    return true;
  };
  const { stats } = record;
  const cell = (low: number, high: number): HeatmapCell | null => {
    if (!run(low, high)) return null;
    const drawdown = stats.drawdown * 100;
    scratch.returns = totalReturn(stats.finalEquity, capital);
    scratch.sharpeRatio = sharpeFromSums(stats.returnSum, stats.squaredDeviations, bars, periodsPerYear);
    scratch.maxDrawdown = drawdown;
    scratch.calmarRatio = calmarRatio(stats.finalEquity, capital, bars, periodsPerYear, drawdown);
    scratch.trades = record.tally.count;
    return scratch;
  };
  const value = (low: number, high: number): number | null => {
    if (!run(low, high)) return null;
    if (metric === 'sharpeRatio') {
      return sharpeFromSums(stats.returnSum, stats.squaredDeviations, bars, periodsPerYear);
    }
    if (metric === 'maxDrawdown') return stats.drawdown * 100;
    return totalReturn(stats.finalEquity, capital);
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
