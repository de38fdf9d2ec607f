/**
 * Assembly of a MarketSeries: bars, point-in-time FGI, gaps and data version.
 */
import type { Asset, Timeframe } from '../schemas';
import { dataVersionOf } from './data-version';
import { joinFgiAtBarClose } from './fgi-join';
import { findGaps } from './gaps';
import { INTERVAL_MS, spotSymbol } from './intervals';
import { loadKlines } from './load-klines';
import type { MarketDataContext } from './market-data-context';
import type { FgiSeries, MarketSeries } from './types';

/**
 * Loads the bars of `asset`/`timeframe` (see load-klines.ts) and joins `fgi` onto them at each
 * bar's close. `dataVersion` hashes the bar arrays and the joined FGI; `sources` lists the kline
 * files then the FGI files.
 * @throws MarketDataError when the bars cannot be read or downloaded.
 */
export async function buildSeries(
  context: MarketDataContext,
  asset: Asset,
  timeframe: Timeframe,
  fgi: FgiSeries,
): Promise<MarketSeries> {
  const symbol = spotSymbol(asset);
  const intervalMs = INTERVAL_MS[timeframe];
  const { klines, sources } = await loadKlines(context, symbol, timeframe);
  const joined = joinFgiAtBarClose(klines.openTime, intervalMs, fgi);
  const { openTime, open, high, low, close, volume } = klines;
  return {
    asset,
    symbol,
    timeframe,
    intervalMs,
    openTime,
    open,
    high,
    low,
    close,
    volume,
    fgi: joined,
    // No funding history is read yet: every bar is uncovered and uses the fixed rate.
    fundingRate: new Float64Array(openTime.length).fill(Number.NaN),
    gaps: findGaps(openTime, intervalMs),
    dataVersion: dataVersionOf([openTime, open, high, low, close, volume, joined]),
    sources: [...sources, ...fgi.sources],
  };
}
