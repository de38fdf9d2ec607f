/**
 * MarketSeries copies whose columns live in SharedArrayBuffers: posted to a worker they are
 * shared, not copied (structured clone of a SharedArrayBuffer-backed typed array keeps the
 * memory), so every worker reads the one series the main thread loaded, with the same
 * dataVersion, and no worker reads market data itself.
 */
import type { MarketSeries } from '../market-data/types';

const COLUMNS = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'fgi', 'fundingRate'] as const satisfies readonly (keyof MarketSeries)[];

const shared = new WeakMap<MarketSeries, MarketSeries>();

function toShared(column: Float64Array): Float64Array {
  const copy = new Float64Array(new SharedArrayBuffer(column.byteLength));
  copy.set(column);
  return copy;
}

/**
 * The SharedArrayBuffer-backed copy of `series` (made once per series object, then reused; the
 * copy is dropped with the series). Treat it as read-only, like the series itself.
 */
export function sharedSeries(series: MarketSeries): MarketSeries {
  let copy = shared.get(series);
  if (!copy) {
    copy = { ...series, gaps: series.gaps.map((g) => ({ ...g })), sources: [...series.sources] };
    for (const name of COLUMNS) copy[name] = toShared(series[name]);
    shared.set(series, copy);
  }
  return copy;
}
