/**
 * State of the page's controls and its translation into validated backtest params (SPEC §6).
 * Pure; the page keeps one Controls value and derives the request from it.
 */
import {
  backtestParamsSchema,
  formatZodError,
  type Asset,
  type BacktestParams,
  type DateRange,
  type HeatmapRequest,
  type Strategy,
  type Timeframe,
} from '../schemas';
import { TRAILING_PRESET, type DatePreset } from './date-presets';
import { clampExtremes } from './threshold-range';

/** Everything the controls show. Thresholds are FGI values; leverage is 1–12×. */
export interface Controls {
  asset: Asset;
  timeframe: Timeframe;
  leverage: number;
  strategy: Strategy;
  low: number;
  high: number;
  /** Extreme thresholds in use (contrarian only). */
  extremeEnabled: boolean;
  extremeLow: number;
  extremeHigh: number;
  /** Id of the chosen date preset, or `custom`. */
  datePreset: string;
  /** The chosen range; undefined for the trailing 90 days. */
  dateRange?: DateRange;
}

/** Id of the custom date range choice. */
export const CUSTOM_PRESET_ID = 'custom';

/** First view: ETH 4h, 3×, contrarian 25/75 over the trailing 90 days (one of the warmed presets). */
export const DEFAULT_CONTROLS: Controls = {
  asset: 'ETH',
  timeframe: '4h',
  leverage: 3,
  strategy: 'contrarian',
  low: 25,
  high: 75,
  extremeEnabled: false,
  extremeLow: 10,
  extremeHigh: 90,
  datePreset: TRAILING_PRESET.id,
};

/**
 * Applies `patch` and keeps the extreme thresholds outside the low/high band. Turning the extreme
 * thresholds on starts them at the defaults (10/90, held outside low/high), not at values an
 * earlier low/high pushed them to (e.g. 1/100).
 */
export function updateControls(c: Controls, patch: Partial<Controls>): Controls {
  const switchedOn = patch.extremeEnabled === true && !c.extremeEnabled;
  const next = switchedOn
    ? { ...c, extremeLow: DEFAULT_CONTROLS.extremeLow, extremeHigh: DEFAULT_CONTROLS.extremeHigh, ...patch }
    : { ...c, ...patch };
  const { extremeLow, extremeHigh } = clampExtremes(next, next);
  return extremeLow === next.extremeLow && extremeHigh === next.extremeHigh ? next : { ...next, extremeLow, extremeHigh };
}

/** True when the extreme thresholds take part in the request (enabled and contrarian). */
export function extremesActive(c: Controls): boolean {
  return c.extremeEnabled && c.strategy === 'contrarian';
}

/**
 * The request params of the controls, keys in a fixed order (so equal controls give equal JSON),
 * checked with the shared schema; `error` names the field when the controls hold an invalid
 * combination (e.g. a custom range typed with start after end).
 */
export function toBacktestParams(c: Controls): { params: BacktestParams } | { error: string } {
  const params: BacktestParams = {
    asset: c.asset,
    timeframe: c.timeframe,
    leverage: c.leverage,
    lowThreshold: c.low,
    highThreshold: c.high,
    strategy: c.strategy,
  };
  if (extremesActive(c)) {
    params.extremeLowThreshold = c.extremeLow;
    params.extremeHighThreshold = c.extremeHigh;
  }
  if (c.dateRange) params.dateRange = { start: c.dateRange.start, end: c.dateRange.end };
  const parsed = backtestParamsSchema.safeParse(params);
  return parsed.success ? { params: parsed.data } : { error: formatZodError(parsed.error) };
}

/**
 * The threshold heatmap's fixed params for the backtest `params`: everything but the low/high
 * thresholds the grid varies, keys in a fixed order, the extreme thresholds included when the
 * backtest uses them, so each cell equals the backtest a click on it runs.
 */
export function heatmapBaseOf(p: BacktestParams): Omit<HeatmapRequest, 'metric'> {
  return {
    asset: p.asset,
    timeframe: p.timeframe,
    leverage: p.leverage,
    strategy: p.strategy,
    ...(p.extremeLowThreshold !== undefined && { extremeLowThreshold: p.extremeLowThreshold }),
    ...(p.extremeHighThreshold !== undefined && { extremeHighThreshold: p.extremeHighThreshold }),
    ...(p.dateRange && { dateRange: { start: p.dateRange.start, end: p.dateRange.end } }),
  };
}

/**
 * Keeps the date choice valid after the asset or timeframe changed: a preset that still exists
 * takes its new (clipped) range; a preset that no longer exists falls back to the trailing 90
 * days; a custom range is kept as is (the server answers 422 when nothing covers it).
 */
export function reconcileDateChoice(c: Controls, presets: readonly DatePreset[]): Controls {
  if (c.datePreset === CUSTOM_PRESET_ID) return c;
  const preset = presets.find((p) => p.id === c.datePreset) ?? TRAILING_PRESET;
  const same =
    preset.id === c.datePreset &&
    preset.range?.start === c.dateRange?.start &&
    preset.range?.end === c.dateRange?.end;
  return same ? c : { ...c, datePreset: preset.id, dateRange: preset.range };
}
