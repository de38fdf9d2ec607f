/**
 * Shapes of walk-forward analysis (SPEC §11). Days are UTC days `YYYY-MM-DD` (inclusive ranges);
 * percentages in %, money in USDT, times Unix ms UTC. Client-safe (types only).
 */
import type { BacktestMetrics } from '../engine/types';
import type { DateRange, WalkForwardRequest } from '../schemas';

/** A validated walk-forward request without the cache flag: what a result is computed for. */
export type WalkForwardInput = Omit<WalkForwardRequest, 'forceRefresh'>;

/** One (low, high) FGI threshold pair of the grid. */
export interface ThresholdPair {
  low: number;
  high: number;
}

/** Step k of the plan: its training window and the test window the chosen pair is run on. */
export interface WalkForwardStep {
  index: number;
  train: DateRange;
  test: DateRange;
}

/** The plan of a walk-forward run: the effective overall range, the out-of-sample span and the steps. */
export interface WalkForwardPlan {
  /** The overall range after clipping to the days with FGI data. */
  range: DateRange;
  /** First test day to the overall end: the span the chained equity covers. */
  outOfSample: DateRange;
  steps: WalkForwardStep[];
}

/** Low thresholds `first`..`last` (inclusive) of the grid: the part of a search one task covers. */
export interface LowRange {
  first: number;
  last: number;
}

/**
 * What a threshold search needs of a window: the training range (a step's, or the whole range for
 * hindsight) and, when the search is split into parts, the lows this part scans (default: all).
 */
export interface ChoiceTask {
  train: DateRange;
  lows?: LowRange;
}

/** The ranking metrics of the chosen pair on the window it was chosen on (planHeatmap's cell). */
export interface TrainingScore {
  /** %. */
  returns: number;
  sharpeRatio: number;
  /** %. */
  maxDrawdown: number;
  calmarRatio: number | null;
  trades: number;
  /** Bars in the window. */
  bars: number;
}

/**
 * The outcome of one threshold search: the best pair by the objective among the pairs with at
 * least minTrades trades (ties: lowest low, then lowest high), or null when no pair qualifies.
 */
export interface StepChoice {
  pair: ThresholdPair | null;
  /** The chosen pair's objective value (null when none was chosen, or its calmarRatio is null). */
  objectiveValue: number | null;
  training: TrainingScore | null;
  /** Pairs with at least minTrades trades on the window. */
  eligiblePairs: number;
  /** Bars in the window (0 when it has no bar with an FGI value). */
  bars: number;
}

/**
 * Why a step holds no position over its test window: no pair had minTrades trades in training
 * (`no-eligible-pair`), or the test window holds no bar with an FGI value (`no-test-data`).
 */
export type FlatReason = 'no-eligible-pair' | 'no-test-data';

/** One evaluated step. Equity figures are on the chained out-of-sample curve, USDT. */
export interface WalkForwardStepResult extends WalkForwardStep, StepChoice {
  /** `traded`: the pair was run on the test window; `flat`: the step stays in cash, equity unchanged. */
  outcome: 'traded' | 'flat';
  flatReason?: FlatReason;
  /** The ordinary backtest of the chosen pair on the test window (POST /api/backtest/execute reproduces it); null when flat. */
  testMetrics: BacktestMetrics | null;
  /** Bars of the test window. */
  testBars: number;
  /** Chained equity before the test window's first bar and after its last, USDT. */
  startEquity: number;
  endEquity: number;
}

/**
 * The SPEC §4 metrics of the chained out-of-sample equity, in the shape of a backtest's (see
 * chain.ts for each definition; fundingCoverage is over the out-of-sample bars).
 */
export type OutOfSampleMetrics = BacktestMetrics;

/**
 * The hindsight benchmark: the pair with the best objective over the whole range (same
 * minTrades and tie rule), run as one ordinary backtest over the out-of-sample span.
 */
export interface HindsightBenchmark extends StepChoice {
  pair: ThresholdPair;
  /** The backtest of that pair with dateRange = the out-of-sample span. */
  metrics: BacktestMetrics;
}

/** Chart series of the out-of-sample span, at most 600 bars (evenly thinned), equity in USDT. */
export interface WalkForwardChart {
  /** Bar open times, Unix ms. */
  time: number[];
  walkForward: number[];
  /** capital × close / first open of the span. */
  buyAndHold: number[];
  /** null where there is no hindsight pair. */
  hindsight: (number | null)[];
}

/** Everything the evaluator derives from the plan and the choices (pure, no clock). */
export interface WalkForwardEvaluation {
  input: WalkForwardInput;
  range: DateRange;
  outOfSample: DateRange;
  steps: WalkForwardStepResult[];
  metrics: OutOfSampleMetrics;
  hindsight: HindsightBenchmark | null;
  /** Hindsight return − out-of-sample return, percentage points; null without hindsight. */
  hindsightGap: number | null;
  /** Mean annualised test return of the traded steps, %; null when none traded. */
  meanTestAnnualisedReturn: number | null;
  /** Mean annualised training return of the chosen pairs, %; null when none traded. */
  meanTrainingAnnualisedReturn: number | null;
  /** meanTestAnnualisedReturn / meanTrainingAnnualisedReturn; null when either is null or the ratio is not finite. */
  efficiency: number | null;
  chart: WalkForwardChart;
}

/** A walk-forward result as cached and returned by the API. */
export interface WalkForwardResult extends WalkForwardEvaluation {
  /** Cache key of SPEC §11. */
  key: string;
  /** Wall time of the computation, ms. */
  executionTime: number;
  /** Unix ms when computed. */
  timestamp: number;
  /** MarketSeries.dataVersion of the series it was computed from. */
  dataVersion: string;
}
