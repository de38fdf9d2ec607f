/**
 * Colour scale of the threshold heatmap. Returns and Sharpe ratio diverge around 0 (red for
 * losses, green for gains, intensity ∝ |value| / largest |value|); max drawdown (%, ≥ 0, lower is
 * better) runs from green at the grid's smallest drawdown through amber to red at its largest.
 */
import type { HeatmapMetric } from '../schemas';

/** How one heatmap's values map to colours. */
export interface HeatmapScale {
  kind: 'diverging' | 'sequential';
  /** Smallest and largest finite value of the grid. */
  min: number;
  max: number;
}

type Rgb = readonly [number, number, number];
/** Panel background of the dark theme: the colour of a value with no signal. */
const BASE: Rgb = [27, 37, 56];
const GAIN: Rgb = [46, 204, 113];
const LOSS: Rgb = [231, 76, 60];
const CAUTION: Rgb = [214, 162, 58];

/** The scale for a grid of `values` (nulls and non-finite numbers are ignored). */
export function heatmapScale(metric: HeatmapMetric, values: readonly (readonly (number | null)[])[]): HeatmapScale {
  let min = Infinity;
  let max = -Infinity;
  for (const row of values) {
    for (const v of row) {
      if (v === null || !Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (min > max) min = max = 0;
  return { kind: metric === 'maxDrawdown' ? 'sequential' : 'diverging', min, max };
}

const mix = (from: Rgb, to: Rgb, t: number) =>
  `rgb(${from.map((c, i) => Math.round(c + (to[i] - c) * t)).join(', ')})`;

/** CSS colour of `value` on `scale`; null (no cell, low ≥ high) gives null. */
export function heatmapColor(value: number | null, scale: HeatmapScale): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (scale.kind === 'diverging') {
    const extent = Math.max(Math.abs(scale.min), Math.abs(scale.max));
    if (extent === 0) return mix(BASE, GAIN, 0);
    const t = Math.min(1, Math.abs(value) / extent);
    return mix(BASE, value >= 0 ? GAIN : LOSS, 0.15 + 0.85 * t);
  }
  const span = scale.max - scale.min;
  const t = span === 0 ? 0 : (value - scale.min) / span;
  // Green (smallest drawdown) through amber to red (largest drawdown).
  return t < 0.5 ? mix(GAIN, CAUTION, t * 2) : mix(CAUTION, LOSS, (t - 0.5) * 2);
}
