/**
 * Runs a whole walk-forward analysis: plans the steps, runs the threshold searches through an
 * injectable StepRunner (in-process by default; a worker pool in production), `concurrency` at
 * a time from one queue — each step's search, then the hindsight search over the whole range cut
 * into parts of about one training window each (splitLows), so no single long search is left
 * running on one worker at the end — and evaluates. No I/O of its own; the default runner yields
 * the event loop between searches so a server keeps answering other requests.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../engine';
import type { MarketSeries } from '../market-data/types';
import { chooseStepPair, GRID_PAIRS, mergeChoices, pairsIn, splitLows } from './choose';
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
 * Runs one threshold search (or one part of it, `task.lows`): chooseStepPair(series, input, task).
 * A worker-pool runner may ignore `series` and load the same (input.asset, input.timeframe) series
 * in the worker; the task and the choice are plain structured-clone-safe objects.
 */
export type StepRunner = (series: MarketSeries, input: WalkForwardInput, task: ChoiceTask) => Promise<StepChoice>;

/** The default StepRunner: in this thread, after yielding one macrotask turn. */
export const inProcessStepRunner: StepRunner = async (series, input, task) => {
  await nextTurn();
  return chooseStepPair(series, input, task);
};

/**
 * Progress of a run. `total` = steps; `done` = steps whose search has finished; `current` = the
 * first step whose search has not (null in the hindsight phase and at the end); `workDone` /
 * `workTotal` weigh each search by its training days (the hindsight search by the whole range's
 * days; a part by its share of the grid's pairs), for an ETA.
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

/** Most parts one search is cut into. */
const MAX_PARTS = 16;

/** One task of the queue: part `index` of the search of step `owner` (of the hindsight when owner = steps). */
interface Part {
  owner: number;
  index: number;
  task: ChoiceTask;
  work: number;
}

/**
 * The parts of the search on `train`: ceil(days / unit) ranges of lows (at most MAX_PARTS), each
 * weighted by its days × share of the pairs; one part (the whole grid) when days ≤ unit.
 */
function partsOf(owner: number, train: ChoiceTask['train'], unit: number): Part[] {
  const days = daysOf({ train });
  const count = Math.min(MAX_PARTS, Math.ceil(days / unit));
  if (count <= 1) return [{ owner, index: 0, task: { train }, work: days }];
  return splitLows(count).map((lows, index) => ({ owner, index, task: { train, lows }, work: (days * pairsIn(lows)) / GRID_PAIRS }));
}

/**
 * Plans, searches and evaluates (SPEC §11). The searches are cut into parts of about the first
 * training window's days (rolling: every step is one part; the hindsight search a few) and
 * joined again with mergeChoices, which gives exactly the choice of the whole grid.
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
  const steps = plan.steps.length;
  const trains = [...plan.steps.map((step) => step.train), plan.range];
  const unit = daysOf({ train: trains[0] });
  const queue = trains.flatMap((train, owner) => partsOf(owner, train, unit));
  const results: StepChoice[][] = trains.map(() => []);
  const left = trains.map((_, owner) => queue.filter((part) => part.owner === owner).length);
  const progress: WalkForwardProgress = {
    phase: 'training',
    done: 0,
    total: steps,
    current: steps > 0 ? 0 : null,
    workDone: 0,
    workTotal: trains.reduce((sum, train) => sum + daysOf({ train }), 0),
  };
  const report = () => options.onProgress?.({ ...progress });
  report();

  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const part = queue[next++];
      results[part.owner][part.index] = await runStep(series, input, part.task);
      left[part.owner]--;
      progress.workDone += part.work;
      if (part.owner < steps && left[part.owner] === 0) progress.done++;
      const first = left.findIndex((n, owner) => owner < steps && n > 0);
      progress.current = first >= 0 ? first : null;
      report();
      if (progress.done === steps && progress.phase === 'training') {
        progress.phase = 'hindsight';
        report();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  progress.workDone = progress.workTotal;
  progress.phase = 'done';
  report();
  const choices = results.map(mergeChoices);
  return evaluateWalkForward(series, input, plan, choices.slice(0, steps), choices[steps], options.config ?? DEFAULT_ENGINE_CONFIG);
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
