/**
 * The task kinds a pool worker runs: pure functions of a structured-cloneable input (series
 * arrive as SharedArrayBuffer-backed MarketSeries, see shared-series.ts). The worker entry
 * (worker-entry.ts) dispatches on `kind`; the main thread only imports the types. Everything
 * imported here is bundled into the worker, so keep it pure (lib/engine and the like: no I/O,
 * no env, no clock).
 *
 * To add a kind: write a pure `(input) => output` function and add it to TASKS under its name;
 * `runInPool('thatName', input, …)` is then typed by it.
 */
import { planHeatmap, runBacktest, type BacktestDetail, type BacktestMetrics, type HeatmapOptions, type HeatmapPlan } from '../engine';
import type { MarketSeries } from '../market-data/types';
import type { BacktestParams } from '../schemas';
import { chooseStepPair } from '../walk-forward/choose';
import type { ChoiceTask, StepChoice, WalkForwardInput } from '../walk-forward/types';

/** Input of `heatmapRow`: one low threshold of a heatmap. */
export interface HeatmapRowInput {
  series: MarketSeries;
  options: HeatmapOptions;
  low: number;
}

/** Input of `backtest`: one run, as runBacktest takes it. */
export interface BacktestInput {
  series: MarketSeries;
  params: BacktestParams;
  detail?: boolean;
}

/** Input of `walkForwardStep`: one threshold search of a walk-forward analysis. */
export interface WalkForwardStepInput {
  series: MarketSeries;
  input: WalkForwardInput;
  task: ChoiceTask;
}

/** Plans kept per worker: a heatmap's rows arrive as separate tasks, one plan serves them all. */
const MAX_KEPT_PLANS = 8;
const plans = new Map<string, HeatmapPlan>();

function heatmapPlan(series: MarketSeries, options: HeatmapOptions): HeatmapPlan {
  const key = JSON.stringify([series.asset, series.timeframe, series.dataVersion, series.openTime.length, options]);
  let plan = plans.get(key);
  if (plan) {
    plans.delete(key); // re-inserted below: the Map's order is least recently used first
  } else {
    plan = planHeatmap(series, options);
    if (plans.size >= MAX_KEPT_PLANS) plans.delete(plans.keys().next().value!);
  }
  plans.set(key, plan);
  return plan;
}

/** The registry: kind → pure function. */
export const TASKS = {
  /** One heatmap row: the metric for every high of HEATMAP_HIGHS at `low` (null where invalid). */
  heatmapRow: ({ series, options, low }: HeatmapRowInput): (number | null)[] => heatmapPlan(series, options).row(low),
  /** One backtest: the metrics (and the chart detail when asked). */
  backtest: ({ series, params, detail }: BacktestInput): { metrics: BacktestMetrics; detail?: BacktestDetail } =>
    runBacktest(series, params, { detail }),
  /** One walk-forward threshold search: the best pair of the training grid (lib/walk-forward/choose.ts). */
  walkForwardStep: ({ series, input, task }: WalkForwardStepInput): StepChoice => chooseStepPair(series, input, task),
} satisfies Record<string, (input: never) => unknown>;

/** Name of a registered task kind. */
export type TaskKind = keyof typeof TASKS;
/** Input of task `K`. */
export type TaskInput<K extends TaskKind> = Parameters<(typeof TASKS)[K]>[0];
/** Output of task `K`. */
export type TaskOutput<K extends TaskKind> = ReturnType<(typeof TASKS)[K]>;
