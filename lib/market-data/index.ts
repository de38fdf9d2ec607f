/**
 * Market data of Split Sea (server side, Node APIs): Binance spot klines joined point-in-time with
 * the Fear & Greed Index, loaded once per process and shared read-only by every request.
 * Sources and precedence: docs/market-data.md and local-klines.ts. Not marked `server-only`
 * because scripts import it.
 */
import { ASSETS, TIMEFRAMES, type Asset, type Timeframe } from '../schemas';
import { buildSeries } from './build-series';
import { fgiCoverage, seriesCoverage } from './coverage';
import { loadFgiSeries } from './load-fgi';
import { contextFromEnv } from './market-data-context';
import { memoizePromise } from './memoize-promise';
import type { CoverageEntry, FgiSeries, MarketSeries } from './types';

export type { CoverageEntry, FgiSeries, Gap, MarketSeries } from './types';

const seriesMemo = new Map<string, Promise<MarketSeries>>();
const fgiMemo = new Map<string, Promise<FgiSeries>>();

/**
 * The merged daily FGI (local files, else downloaded), loaded once per process.
 * @throws MarketDataError (rejects) when it is malformed or unavailable; the next call retries.
 */
export function loadFgi(): Promise<FgiSeries> {
  return memoizePromise(fgiMemo, 'fgi', () => loadFgiSeries(contextFromEnv()));
}

/**
 * The price series of `asset` at `timeframe` with the FGI known at each bar's close. Loaded once
 * per (asset, timeframe): concurrent callers share one promise and later calls get the same
 * object; a failed load is forgotten so the next call retries. Environment: MARKET_DATA_DIR,
 * BINANCE_API_URL, FGI_API_URL (lib/env.ts).
 * @throws MarketDataError (rejects) when the data is malformed or neither local nor downloadable.
 */
export function loadSeries(asset: Asset, timeframe: Timeframe): Promise<MarketSeries> {
  return memoizePromise(seriesMemo, `${asset}:${timeframe}`, async () =>
    buildSeries(contextFromEnv(), asset, timeframe, await loadFgi()),
  );
}

/**
 * One coverage row per spot series (BTC, ETH, SOL × 15m, 1h, 4h, in that order) plus one for
 * the FGI (`FGI`, `1d`). Loads every series (once per process).
 * @throws MarketDataError (rejects) when any series is malformed or unavailable.
 */
export async function getCoverage(): Promise<CoverageEntry[]> {
  const series = await Promise.all(ASSETS.flatMap((asset) => TIMEFRAMES.map((tf) => loadSeries(asset, tf))));
  return [...series.map(seriesCoverage), fgiCoverage(await loadFgi())];
}
