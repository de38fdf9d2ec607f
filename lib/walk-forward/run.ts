/**
 * Runs a whole walk-forward analysis: plans the steps, runs each step's threshold search through
 * an injectable StepRunner (in-process by default; a worker pool in production), then the
 * hindsight search over the whole range, and evaluates. No I/O of its own; the default runner
 * yields the event loop between searches so a server keeps answering other requests.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../engine';
import type { MarketSeries } from '../market-data/types';
import { chooseStepPair } from './choose';
import { evaluateWalkForward } from './evaluate';
import { planWalkForward, walkForwardKey } from './plan';
import type {
  ChoiceTask,
  StepChoice,
  WalkForwardEvaluation,
  WalkForwardInput,
  WalkForwardPlan,
  WalkForwardResult,
} from './types';

/**
 * Runs one threshold search: chooseStepPair(series, input, task). A worker-pool runner may ignore
 * `series` and load the same (input.asset, input.timeframe) series in the worker; the task and
 * the choice are plain structured-clone-safe objects.
 */
export type StepRunner = (series: MarketSeries, input: WalkForwardInput, task: ChoiceTask) => Promise<StepChoice>;

/** The default StepRunner: in this thread, after yielding one macrotask turn. */
export const inProcessStepRunner: StepRunner = async (series, input, task) => {
  await nextTurn();
  return chooseStepPair(series, input, task);
};

/**
 * Progress of a run. `total` = steps; `current` = the step index being searched (null in the
 * hindsight phase and at the end); `workDone` / `workTotal` weigh each search by its training
 * days (the hindsight search by the whole range's days), for an ETA.
 */
export interface WalkForwardProgress {
  phase: 'training' | 'hindsight' | 'done';
  done: number;
  total: number;
  current: number | null;
  workDone: number;
  workTotal: number;
}

/** Options of runWalkForward. */
export interface RunWalkForwardOptions {
  runStep?: StepRunner;
  /** Searches in flight at once (a pool's size); default 1. */
  concurrency?: number;
  onProgress?: (progress: WalkForwardProgress) => void;
  config?: Readonly<EngineConfig>;
  /** The plan when the caller made it already (must be planWalkForward(series, input)). */
  plan?: WalkForwardPlan;
}

const daysOf = (task: ChoiceTask) =>
  Math.round((Date.parse(`${task.train.end}T00:00:00Z`) - Date.parse(`${task.train.start}T00:00:00Z`)) / 86_400_000) + 1;

/**
 * Plans, searches and evaluates (SPEC §11). The hindsight search runs after the steps.
 * @throws NoDataInRangeError (422) when the range is shorter than one training + one test window.
 */
export async function runWalkForward(
  series: MarketSeries,
  input: WalkForwardInput,
  options: RunWalkForwardOptions = {},
): Promise<WalkForwardEvaluation> {
  const plan = options.plan ?? planWalkForward(series, input);
  const runStep = options.runStep ?? inProcessStepRunner;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const hindsightTask: ChoiceTask = { train: plan.range };
  const work = plan.steps.map(daysOf);
  const progress: WalkForwardProgress = {
    phase: 'training',
    done: 0,
    total: plan.steps.length,
    current: plan.steps.length > 0 ? 0 : null,
    workDone: 0,
    workTotal: work.reduce((a, b) => a + b, 0) + daysOf(hindsightTask),
  };
  const report = () => options.onProgress?.({ ...progress });
  report();

  const choices: StepChoice[] = new Array(plan.steps.length);
  let next = 0;
  const worker = async () => {
    while (next < plan.steps.length) {
      const k = next++;
      choices[k] = await runStep(series, input, { train: plan.steps[k].train });
      progress.done++;
      progress.workDone += work[k];
      progress.current = next < plan.steps.length ? next : null;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.steps.length) }, worker));

  progress.phase = 'hindsight';
  progress.current = null;
  report();
  const hindsight = await runStep(series, input, hindsightTask);
  progress.workDone = progress.workTotal;
  progress.phase = 'done';
  report();
  return evaluateWalkForward(series, input, plan, choices, hindsight, options.config ?? DEFAULT_ENGINE_CONFIG);
}

/**
 * runWalkForward plus the run's bookkeeping: the cache key, the wall time (ms, performance.now)
 * and the Unix ms when computed. Used by the job service, the CLI and the benchmark.
 */
export async function computeWalkForward(
  series: MarketSeries,
  input: WalkForwardInput,
  options: RunWalkForwardOptions = {},
): Promise<WalkForwardResult> {
  const started = performance.now();
  const evaluation = await runWalkForward(series, input, options);
  return {
    key: walkForwardKey(input),
    ...evaluation,
    executionTime: performance.now() - started,
    timestamp: Date.now(),
    dataVersion: series.dataVersion,
  };
}
