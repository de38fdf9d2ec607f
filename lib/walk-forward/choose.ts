/**
 * The heavy part of a walk-forward step (SPEC §11): the threshold grid on one training window
 * and the choice of its best pair. Pure and standalone — `(series, input, task) → choice`, with
 * a structured-clone-safe result — so it can run in a worker thread as well as in-process. A
 * search may be split into parts over the lows (splitLows), run anywhere, and joined again
 * (mergeChoices) into exactly the choice of the whole grid.
 */
import { NoDataInRangeError } from '../errors';
import {
  DEFAULT_ENGINE_CONFIG,
  HEATMAP_HIGHS,
  HEATMAP_LOWS,
  planHeatmap,
  type EngineConfig,
  type HeatmapCell,
} from '../engine';
import type { MarketSeries } from '../market-data/types';
import type { WalkForwardObjective } from '../schemas';
import type { ChoiceTask, LowRange, StepChoice, WalkForwardInput } from './types';

/** The objective's value of a cell; calmarRatio may be null (ranks below any number). */
export function objectiveOf(cell: Readonly<HeatmapCell>, objective: WalkForwardObjective): number | null {
  return cell[objective];
}

/** True when `candidate` ranks strictly above `best`: a number beats null and any smaller number. */
export function ranksAbove(candidate: number | null, best: number | null): boolean {
  if (candidate === null) return false;
  return best === null || candidate > best;
}

/** Pairs (low, high) of the grid at `low`: the highs above it. */
const cellsAt = (low: number) => HEATMAP_HIGHS.filter((high) => high > low).length;

/** Pairs of the whole grid (4,950). */
export const GRID_PAIRS = HEATMAP_LOWS.reduce((n, low) => n + cellsAt(low), 0);

/** Pairs of the grid whose low lies in `lows`. */
export function pairsIn(lows: LowRange): number {
  return HEATMAP_LOWS.reduce((n, low) => (low >= lows.first && low <= lows.last ? n + cellsAt(low) : n), 0);
}

/**
 * Splits the lows of the grid into `parts` consecutive ranges (ascending, covering every low
 * once) holding about equally many pairs: low 1 has 99 highs above it, low 99 one. `parts` is
 * clamped to 1..99.
 */
export function splitLows(parts: number): LowRange[] {
  const count = Math.min(HEATMAP_LOWS.length, Math.max(1, Math.floor(parts)));
  const ranges: LowRange[] = [];
  let first = HEATMAP_LOWS[0];
  let pairs = 0;
  HEATMAP_LOWS.forEach((low, i) => {
    pairs += cellsAt(low);
    const lowsLeft = HEATMAP_LOWS.length - 1 - i;
    const rangesLeft = count - ranges.length - 1;
    // Close the range once it holds its share, keeping at least one low for each range still to come.
    if (rangesLeft === 0 ? lowsLeft === 0 : pairs >= (GRID_PAIRS * (ranges.length + 1)) / count || lowsLeft === rangesLeft) {
      ranges.push({ first, last: low });
      first = low + 1;
    }
  });
  return ranges;
}

/**
 * Joins the choices of the parts of one search (each over `splitLows` ranges of the same
 * window, in ascending order of lows) into the choice of the whole grid: a later part's pair
 * replaces the earlier best only when it ranks strictly above it, so the tie rule of
 * chooseStepPair holds across parts; eligiblePairs is summed.
 * @throws Error when there are no parts.
 */
export function mergeChoices(parts: readonly StepChoice[]): StepChoice {
  if (parts.length === 0) throw new Error('mergeChoices needs at least one part');
  let best = parts[0];
  let eligible = 0;
  for (const part of parts) {
    eligible += part.eligiblePairs;
    if (part.pair && (best.pair === null || ranksAbove(part.objectiveValue, best.objectiveValue))) best = part;
  }
  return { ...best, eligiblePairs: eligible };
}

/**
 * Runs every (low, high) pair of the grid (low 1..99, or `task.lows`; high low+1..100; cells
 * outside the fixed extreme thresholds are skipped, as in the heatmap) on `task.train` with
 * planHeatmap(...).cell, keeps the pairs with at least input.minTrades trades, and chooses the
 * one with the highest objective. Scanning low then high ascending and replacing only on a
 * strictly better value makes ties go to the lowest low, then the lowest high. A window without
 * any bar with an FGI value has no eligible pair.
 * @throws whatever planHeatmap throws other than NoDataInRangeError.
 */
export function chooseStepPair(
  series: MarketSeries,
  input: WalkForwardInput,
  task: ChoiceTask,
  config: Readonly<EngineConfig> = DEFAULT_ENGINE_CONFIG,
): StepChoice {
  let plan;
  try {
    plan = planHeatmap(
      series,
      {
        leverage: input.leverage,
        strategy: input.strategy,
        extremeLowThreshold: input.extremeLowThreshold,
        extremeHighThreshold: input.extremeHighThreshold,
        dateRange: task.train,
      },
      config,
    );
  } catch (error) {
    if (error instanceof NoDataInRangeError) {
      return { pair: null, objectiveValue: null, training: null, eligiblePairs: 0, bars: 0 };
    }
    throw error;
  }
  let choice: StepChoice = { pair: null, objectiveValue: null, training: null, eligiblePairs: 0, bars: plan.bars };
  let eligible = 0;
  const first = task.lows?.first ?? HEATMAP_LOWS[0];
  const last = task.lows?.last ?? HEATMAP_LOWS[HEATMAP_LOWS.length - 1];
  for (const low of HEATMAP_LOWS) {
    if (low < first || low > last) continue;
    for (const high of HEATMAP_HIGHS) {
      if (high <= low) continue;
      const cell = plan.cell(low, high);
      if (!cell || cell.trades < input.minTrades) continue;
      eligible++;
      const value = objectiveOf(cell, input.objective);
      if (choice.pair === null || ranksAbove(value, choice.objectiveValue)) {
        // The cell object may be reused by the next call: copy its numbers.
        choice = {
          pair: { low, high },
          objectiveValue: value,
          training: {
            returns: cell.returns,
            sharpeRatio: cell.sharpeRatio,
            maxDrawdown: cell.maxDrawdown,
            calmarRatio: cell.calmarRatio,
            trades: cell.trades,
            bars: plan.bars,
          },
          eligiblePairs: 0,
          bars: plan.bars,
        };
      }
    }
  }
  return { ...choice, eligiblePairs: eligible };
}
