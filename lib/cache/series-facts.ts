/**
 * What the result cache needs to know about a market's loaded series: its data version (stored
 * in entries, compared on lookup) and the close time of its newest bar (whether a dateRange is
 * finalized and may be stored permanently). Server side: loads the series through lib/market-data.
 */
import { loadSeries } from '../market-data';
import type { Asset, Timeframe } from '../schemas';

/** What the cache needs to know about a loaded market series. */
export interface SeriesFacts {
  /** MarketSeries.dataVersion. */
  dataVersion: string;
  /** Close time of the newest bar, Unix ms (its open time + interval). */
  lastCloseTime: number;
}

/** Data version and last close time of the loaded series (loaded once per process). */
export async function loadSeriesFacts(asset: Asset, timeframe: Timeframe): Promise<SeriesFacts> {
  const series = await loadSeries(asset, timeframe);
  const last = series.openTime.length - 1;
  return {
    dataVersion: series.dataVersion,
    lastCloseTime: last >= 0 ? series.openTime[last] + series.intervalMs : 0,
  };
}
