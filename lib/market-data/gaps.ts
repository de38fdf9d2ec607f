/**
 * Missing-bar runs in a sorted time grid. Client-safe.
 */
import type { Gap } from './types';

/**
 * Runs of missing steps in `times` (sorted Unix ms on a grid of `stepMs`): wherever two
 * neighbours are more than one step apart, one Gap from the first to the last missing step.
 * Used for kline bars (step = bar interval) and FGI days (step = 1 day).
 */
export function findGaps(times: Float64Array, stepMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const missing = Math.round((times[i] - times[i - 1]) / stepMs) - 1;
    if (missing > 0) {
      gaps.push({ from: times[i - 1] + stepMs, to: times[i] - stepMs, bars: missing });
    }
  }
  return gaps;
}
