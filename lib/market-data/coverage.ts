/**
 * Coverage rows (first and last bar, bar count, gaps) of loaded data. Client-safe.
 */
import { findGaps } from './gaps';
import { DAY_MS } from './intervals';
import type { CoverageEntry, FgiSeries, Gap, MarketSeries } from './types';
import { isoUtc } from './utc-time';

function entry(symbol: string, interval: string, times: Float64Array, gaps: Gap[]): CoverageEntry {
  return {
    symbol,
    interval,
    first: times.length > 0 ? isoUtc(times[0]) : '',
    last: times.length > 0 ? isoUtc(times[times.length - 1]) : '',
    bars: times.length,
    gaps,
  };
}

/** Coverage of a price series (`first`/`last` are bar open times; empty strings when there are no bars). */
export function seriesCoverage(series: MarketSeries): CoverageEntry {
  return entry(series.symbol, series.timeframe, series.openTime, series.gaps);
}

/** Coverage of the FGI: symbol `FGI`, interval `1d`, one "bar" per day, gaps = missing days. */
export function fgiCoverage(fgi: FgiSeries): CoverageEntry {
  return entry('FGI', '1d', fgi.day, findGaps(fgi.day, DAY_MS));
}
