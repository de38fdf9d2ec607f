/**
 * Pure rules of the two-handle FGI threshold slider: the low handle stays below the high one,
 * both stay inside the schema's bounds (lowThreshold 1–99, highThreshold 2–100), and the
 * optional extreme thresholds stay outside them (extremeLow 0..low, extremeHigh high..100).
 */

/** Smallest FGI value a threshold handle can take. */
export const THRESHOLD_MIN = 1;
/** Largest FGI value a threshold handle can take. */
export const THRESHOLD_MAX = 100;

/** Low/high FGI thresholds (integers, low < high). */
export interface ThresholdRange {
  low: number;
  high: number;
}

/** Optional extreme thresholds (integers, 0 ≤ extremeLow ≤ low, high ≤ extremeHigh ≤ 100). */
export interface ExtremeThresholds {
  extremeLow: number;
  extremeHigh: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Moves the low handle to `value` (rounded), held within [1, high − 1]. */
export function setLowThreshold(range: ThresholdRange, value: number): ThresholdRange {
  return { low: clamp(Math.round(value), THRESHOLD_MIN, range.high - 1), high: range.high };
}

/** Moves the high handle to `value` (rounded), held within [low + 1, 100]. */
export function setHighThreshold(range: ThresholdRange, value: number): ThresholdRange {
  return { low: range.low, high: clamp(Math.round(value), range.low + 1, THRESHOLD_MAX) };
}

/**
 * Moves both handles to a grid cell (e.g. a heatmap click). Values are rounded and clamped;
 * when they do not satisfy low < high the nearest valid pair is used.
 */
export function setThresholdRange(low: number, high: number): ThresholdRange {
  const l = clamp(Math.round(low), THRESHOLD_MIN, THRESHOLD_MAX - 1);
  return { low: l, high: clamp(Math.round(high), l + 1, THRESHOLD_MAX) };
}

/** Keeps extreme thresholds outside the low/high band: extremeLow ≤ low, extremeHigh ≥ high. */
export function clampExtremes(range: ThresholdRange, extremes: ExtremeThresholds): ExtremeThresholds {
  return {
    extremeLow: clamp(Math.round(extremes.extremeLow), 0, range.low),
    extremeHigh: clamp(Math.round(extremes.extremeHigh), range.high, THRESHOLD_MAX),
  };
}
