/**
 * The backtest engine (SPEC §3–4): pure functions over an in-memory MarketSeries. No I/O, no
 * clock, no module state; safe to import from scripts, routes and the client.
 */
import type { MarketSeries } from '../market-data/types';
import type { BacktestParams } from '../schemas';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './config';
import { buildDetail } from './detail';
import { computeMetrics } from './metrics';
import { simulate } from './simulate';
import type { BacktestDetail, BacktestMetrics } from './types';
import { resolveWindow } from './window';

export { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './config';
export { ENGINE_VERSION } from './version';
export { resolveWindow, type BarWindow } from './window';
export {
  simulate,
  newSimulationRecord,
  type EquityStats,
  type SimulationOptions,
  type SimulationRecord,
  type StrategyParams,
  type TradeTally,
} from './simulate';
export { computeMetrics } from './metrics';
export { buildDetail } from './detail';
export {
  computeHeatmap,
  planHeatmap,
  HEATMAP_LOWS,
  HEATMAP_HIGHS,
  type Heatmap,
  type HeatmapCell,
  type HeatmapOptions,
  type HeatmapPlan,
} from './heatmap';
export type {
  BacktestDetail,
  BacktestMetrics,
  BacktestResult,
  DetailPoint,
  ExitReason,
  PositionSide,
  Trade,
} from './types';

/** Options of one run: model constants (default DEFAULT_ENGINE_CONFIG), whether to build the chart detail. */
export interface RunBacktestOptions {
  config?: Readonly<EngineConfig>;
  detail?: boolean;
}

/**
 * Runs one backtest of `params` on `series` (which must be params.asset × params.timeframe):
 * resolves the window (params.dateRange or the trailing 90 days) and simulates in one pass over
 * its bars, which yields the metrics of SPEC §4; with `detail` the pass also records the equity,
 * positions and trades for the chart points and the trade list.
 * @throws NoDataInRangeError when the window has no bar with an FGI value (message says what exists).
 * @throws Error when the series is not the one the params name.
 */
export function runBacktest(
  series: MarketSeries,
  params: BacktestParams,
  options: RunBacktestOptions = {},
): { metrics: BacktestMetrics; detail?: BacktestDetail } {
  if (series.asset !== params.asset || series.timeframe !== params.timeframe) {
    throw new Error(
      `runBacktest got the ${series.asset} ${series.timeframe} series ` +
        `for ${params.asset} ${params.timeframe} params`,
    );
  }
  const config = options.config ?? DEFAULT_ENGINE_CONFIG;
  const window = resolveWindow(series, params.dateRange, config);
  const detail = options.detail === true;
  const record = simulate(series, window, params, config, {
    recordEquity: detail,
    recordTrades: detail,
    recordPositions: detail,
  });
  const metrics = computeMetrics(record, series, config);
  return detail ? { metrics, detail: buildDetail(record, series, config) } : { metrics };
}
