/**
 * Which bars of a series a backtest covers (SPEC §3): a calendar date range, or the trailing
 * window of the newest data. Client-safe, pure.
 */
import { NoDataInRangeError } from '../errors';
import { DAY_MS, dayStartMs } from '../market-data/intervals';
import type { MarketSeries } from '../market-data/types';
import type { DateRange } from '../schemas';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './config';

/** Bar indices [from, to) into a MarketSeries' arrays. */
export interface BarWindow {
  from: number;
  to: number;
}

/** Index of the first element of the ascending `times` that is ≥ `t` (times.length if none); binary search. */
export function firstIndexAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bars a backtest runs over.
 * - With `dateRange`: bars whose open time lies in [start 00:00 UTC, end + 1 day 00:00 UTC).
 * - Without: the trailing `config.defaultWindowDays` days by open time, ending with the newest bar
 *   whose FGI is known at its close: open time ≥ last.openTime + intervalMs − days and
 *   ≤ last.openTime (540 bars on 4h over 90 days without gaps).
 * @throws NoDataInRangeError when the window holds no bar with a known FGI; the message names
 *   the series' span (first and last bar open time, first bar with an FGI value).
 */
export function resolveWindow(
  series: MarketSeries,
  dateRange?: DateRange,
  config: Readonly<EngineConfig> = DEFAULT_ENGINE_CONFIG,
): BarWindow {
  const { openTime, fgi } = series;
  let from: number;
  let to: number;
  if (dateRange) {
    from = firstIndexAtOrAfter(openTime, dayStartMs(dateRange.start));
    to = firstIndexAtOrAfter(openTime, dayStartMs(dateRange.end) + DAY_MS);
  } else {
    let last = openTime.length - 1;
    while (last >= 0 && Number.isNaN(fgi[last])) last--;
    to = last + 1;
    from =
      last < 0
        ? to
        : firstIndexAtOrAfter(
            openTime,
            openTime[last] + series.intervalMs - config.defaultWindowDays * DAY_MS,
          );
  }
  for (let i = from; i < to; i++) {
    if (!Number.isNaN(fgi[i])) return { from, to };
  }
  throw new NoDataInRangeError(describeMissing(series, dateRange));
}

function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function describeMissing(series: MarketSeries, dateRange?: DateRange): string {
  const name = `${series.asset} ${series.timeframe}`;
  const asked = dateRange
    ? `between ${dateRange.start} and ${dateRange.end} (UTC days, inclusive)`
    : 'in the loaded data';
  const n = series.openTime.length;
  if (n === 0) return `No ${name} bars ${asked}: the series is empty.`;
  const firstFgi = series.fgi.findIndex((v) => !Number.isNaN(v));
  const fgiSpan =
    firstFgi < 0
      ? 'no bar has a Fear & Greed value'
      : `Fear & Greed values are known from the bar opening ${formatTime(series.openTime[firstFgi])}`;
  return (
    `No ${name} bars with a Fear & Greed value ${asked}. Available: bars opening ` +
    `${formatTime(series.openTime[0])} to ${formatTime(series.openTime[n - 1])}; ${fgiSpan}.`
  );
}
