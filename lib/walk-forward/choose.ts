/**
 * The heavy part of a walk-forward step (SPEC §11): the threshold grid on one training window
 * and the choice of its best pair. Pure and standalone — `(series, input, task) → choice`, with
 * a structured-clone-safe result — so it can run in a worker thread as well as in-process.
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
import type { ChoiceTask, StepChoice, WalkForwardInput } from './types';

/** The objective's value of a cell; calmarRatio may be null (ranks below any number). */
export function objectiveOf(cell: Readonly<HeatmapCell>, objective: WalkForwardObjective): number | null {
  return cell[objective];
}

/** True when `candidate` ranks strictly above `best`: a number beats null and any smaller number. */
export function ranksAbove(candidate: number | null, best: number | null): boolean {
  if (candidate === null) return false;
  return best === null || candidate > best;
}

/**
 * Runs every (low, high) pair of the grid (low 1..99, high low+1..100; cells outside the fixed
 * extreme thresholds are skipped, as in the heatmap) on `task.train` with planHeatmap(...).cell,
 * keeps the pairs with at least input.minTrades trades, and chooses the one with the highest
 * objective. Scanning low then high ascending and replacing only on a strictly better value
 * makes ties go to the lowest low, then the lowest high. A window without any bar with an FGI
 * value has no eligible pair.
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
  for (const low of HEATMAP_LOWS) {
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
