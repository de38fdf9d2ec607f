/**
 * Compare: a result "pinned" by the trader keeps its equity curve on the chart (dashed) while
 * the sliders move, labelled with its settings. Pure.
 */
import type { ExecuteResponse } from './api-types';
import { atBarClose, type ChartPoint } from './zone-split';

/** A pinned result: its settings as one line and its equity points at their bar close. */
export interface PinnedResult {
  /** Cache key of the pinned result's params (identifies it). */
  key: string;
  /** e.g. `ETH 4h 3× contrarian 25/75 (extreme 10/90) · +12.34 %`. */
  label: string;
  points: ChartPoint[];
}

/** The settings of a result's params in one line, as the run summary writes them. */
export function settingsLabel(params: ExecuteResponse['result']['params']): string {
  const extremes =
    params.extremeLowThreshold !== undefined ? ` (extreme ${params.extremeLowThreshold}/${params.extremeHighThreshold})` : '';
  const range = params.dateRange ? ` ${params.dateRange.start} → ${params.dateRange.end}` : '';
  return `${params.asset} ${params.timeframe} ${params.leverage}× ${params.strategy} ${params.lowThreshold}/${params.highThreshold}${extremes}${range}`;
}

/** Pins `response` (which must carry its chart detail); `key` is its cache key. */
export function pinResult(response: ExecuteResponse, key: string): PinnedResult {
  const { result } = response;
  const sign = result.returns > 0 ? '+' : '';
  return {
    key,
    label: `${settingsLabel(result.params)} · ${sign}${result.returns.toFixed(2)} %`,
    points: atBarClose(response.detail?.points ?? [], result.params.timeframe),
  };
}
