/**
 * The evaluator of a walk-forward run (SPEC §11): given the plan and the pair chosen on each
 * training window, runs each chosen pair on its test window as an ordinary backtest
 * (runBacktest: the one trading model), chains the test equity, computes its metrics, the
 * buy-and-hold and hindsight curves over the same span and the walk-forward efficiency.
 * Pure: no I/O, no clock.
 */
import { NoDataInRangeError } from '../errors';
import {
  DEFAULT_ENGINE_CONFIG,
  resolveWindow,
  runBacktest,
  type BacktestMetrics,
  type EngineConfig,
  type Trade,
} from '../engine';
import { barsPerYear } from '../engine/metrics';
import type { MarketSeries } from '../market-data/types';
import type { BacktestParams, DateRange } from '../schemas';
import { annualisedReturn, chainEquity, outOfSampleMetrics, type ChainSegment } from './chain';
import { pairParams } from './pair-params';
import type {
  HindsightBenchmark,
  StepChoice,
  WalkForwardChart,
  WalkForwardEvaluation,
  WalkForwardInput,
  WalkForwardPlan,
  WalkForwardStepResult,
} from './types';

/** Most points of the chart series. */
export const MAX_CHART_POINTS = 600;

/** Bars [from, to) of a dateRange, or null when it holds no bar with an FGI value. */
function barsOf(series: MarketSeries, range: DateRange, config: Readonly<EngineConfig>): { from: number; to: number } | null {
  try {
    return resolveWindow(series, range, config);
  } catch (error) {
    if (error instanceof NoDataInRangeError) return null;
    throw error;
  }
}

/** One ordinary backtest with every bar's equity (the detail without thinning) and its trades. */
function fullBacktest(
  series: MarketSeries,
  params: BacktestParams,
  config: Readonly<EngineConfig>,
): { metrics: BacktestMetrics; equity: number[]; trades: Trade[]; from: number; to: number } {
  const { from, to } = resolveWindow(series, params.dateRange, config);
  const { metrics, detail } = runBacktest(series, params, {
    config: { ...config, maxDetailPoints: Number.MAX_SAFE_INTEGER },
    detail: true,
  });
  if (!detail || detail.points.length !== to - from) {
    throw new Error(`the backtest detail of ${params.dateRange?.start}..${params.dateRange?.end} does not hold every bar`);
  }
  return { metrics, equity: detail.points.map((p) => p.equity), trades: detail.trades, from, to };
}

/** `count` indices spread evenly over 0..length − 1 (all when they fit), first and last included. */
function chartIndices(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, k) => k);
  const step = (length - 1) / (count - 1);
  return Array.from({ length: count }, (_, j) => Math.round(j * step));
}

/**
 * Evaluates a walk-forward run. `choices[k]` is the choice on `plan.steps[k].train`
 * (chooseStepPair), `hindsightChoice` the choice on the whole `plan.range`.
 * A step without a chosen pair (or whose test window has no bar with FGI) stays flat: no
 * position, the chained equity unchanged over its bars. Hindsight: the whole-range pair run as
 * one ordinary backtest over `plan.outOfSample`. Efficiency: mean annualised test return /
 * mean annualised training return over the steps with a chosen pair and a test backtest
 * (annualised by B / bars, as in calmarRatio).
 * @throws Error when the choices do not match the plan.
 */
export function evaluateWalkForward(
  series: MarketSeries,
  input: WalkForwardInput,
  plan: WalkForwardPlan,
  choices: readonly StepChoice[],
  hindsightChoice: StepChoice,
  config: Readonly<EngineConfig> = DEFAULT_ENGINE_CONFIG,
): WalkForwardEvaluation {
  if (choices.length !== plan.steps.length) {
    throw new Error(`${choices.length} choices for ${plan.steps.length} walk-forward steps`);
  }
  const { capital } = config;
  const segments: ChainSegment[] = [];
  const partial = plan.steps.map((step, k) => {
    const choice = choices[k];
    const window = barsOf(series, step.test, config);
    if (!window) {
      segments.push({ from: 0, to: 0, equity: null, metrics: null, trades: [] });
      return { metrics: null, bars: 0, reason: 'no-test-data' as const };
    }
    if (!choice.pair) {
      segments.push({ ...window, equity: null, metrics: null, trades: [] });
      return { metrics: null, bars: window.to - window.from, reason: 'no-eligible-pair' as const };
    }
    const run = fullBacktest(series, pairParams(input, choice.pair, step.test), config);
    segments.push({ from: run.from, to: run.to, equity: run.equity, metrics: run.metrics, trades: run.trades });
    return { metrics: run.metrics, bars: run.to - run.from, reason: undefined };
  });
  const chain = chainEquity(segments, capital);
  const steps: WalkForwardStepResult[] = plan.steps.map((step, k) => ({
    ...step,
    ...choices[k],
    outcome: chain.active[k] ? 'traded' : 'flat',
    ...(partial[k].reason && { flatReason: partial[k].reason }),
    testMetrics: partial[k].metrics,
    testBars: partial[k].bars,
    startEquity: chain.scales[k] * capital,
    endEquity: chain.ends[k],
  }));
  const metrics = outOfSampleMetrics(series, segments, chain, capital, {
    start: `${plan.outOfSample.start}T00:00:00.000Z`,
    end: `${plan.outOfSample.end}T00:00:00.000Z`,
  });

  let hindsight: HindsightBenchmark | null = null;
  let hindsightEquity: ((bar: number) => number | null) | null = null;
  if (hindsightChoice.pair && barsOf(series, plan.outOfSample, config)) {
    const run = fullBacktest(series, pairParams(input, hindsightChoice.pair, plan.outOfSample), config);
    hindsight = { ...hindsightChoice, pair: hindsightChoice.pair, metrics: run.metrics };
    hindsightEquity = (bar) => (bar >= run.from && bar < run.to ? run.equity[bar - run.from] : null);
  }

  const periodsPerYear = barsPerYear(series.intervalMs);
  const traded = steps.filter((s) => s.testMetrics && s.training);
  const mean = (values: (number | null)[]) =>
    values.length === 0 || values.some((v) => v === null)
      ? null
      : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
  const meanTest = mean(traded.map((s) => annualisedReturn(s.testMetrics!.returns, s.testMetrics!.bars, periodsPerYear)));
  const meanTraining = mean(traded.map((s) => annualisedReturn(s.training!.returns, s.training!.bars, periodsPerYear)));
  const ratio = meanTest !== null && meanTraining !== null && meanTraining !== 0 ? meanTest / meanTraining : null;

  const n = chain.equity.length;
  const firstOpen = n > 0 ? series.open[chain.bars[0]] : 1;
  const chart: WalkForwardChart = { time: [], walkForward: [], buyAndHold: [], hindsight: [] };
  for (const k of chartIndices(n, MAX_CHART_POINTS)) {
    const bar = chain.bars[k];
    chart.time.push(series.openTime[bar]);
    chart.walkForward.push(chain.equity[k]);
    chart.buyAndHold.push((capital * series.close[bar]) / firstOpen);
    chart.hindsight.push(hindsightEquity ? hindsightEquity(bar) : null);
  }

  return {
    input,
    range: plan.range,
    outOfSample: plan.outOfSample,
    steps,
    metrics,
    hindsight,
    hindsightGap: hindsight ? hindsight.metrics.returns - metrics.returns : null,
    meanTestAnnualisedReturn: meanTest,
    meanTrainingAnnualisedReturn: meanTraining,
    efficiency: ratio !== null && Number.isFinite(ratio) ? ratio : null,
    chart,
  };
}
