/**
 * Market data of Split Sea (server side, Node APIs): Binance spot klines joined point-in-time with
 * the Fear & Greed Index, loaded once per process and shared read-only by every request.
 * Sources and precedence: docs/market-data.md and local-klines.ts. Not marked `server-only`
 * because scripts import it.
 */
import { MarketDataError } from '../errors';
import { ASSETS, TIMEFRAMES, type Asset, type Timeframe } from '../schemas';
import { buildSeries } from './build-series';
import { fgiCoverage, seriesCoverage } from './coverage';
import { loadFgiSeries } from './load-fgi';
import { spotSymbol } from './intervals';
import { contextFromEnv } from './market-data-context';
import { memoizePromise } from './memoize-promise';
import type { CoverageEntry, FgiSeries, MarketSeries, UnavailableSeries } from './types';

export type { CoverageEntry, FgiSeries, Gap, MarketSeries, UnavailableSeries } from './types';

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
 * One coverage row per spot series that loads (BTC, ETH, SOL × 15m, 1h, 4h, in that order) plus
 * one for the FGI (`FGI`, `1d`); a series that cannot be read is listed in `unavailable` with its
 * reason, so the others stay usable. Loads every series (once per process).
 * @throws MarketDataError (rejects) when the FGI, which every series needs, is unavailable.
 */
export async function getCoverage(): Promise<{ coverage: CoverageEntry[]; unavailable: UnavailableSeries[] }> {
  const fgi = await loadFgi();
  const markets = ASSETS.flatMap((asset) => TIMEFRAMES.map((timeframe) => ({ asset, timeframe })));
  const loaded = await Promise.allSettled(markets.map(({ asset, timeframe }) => loadSeries(asset, timeframe)));
  const coverage: CoverageEntry[] = [];
  const unavailable: UnavailableSeries[] = [];
  loaded.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') return coverage.push(seriesCoverage(outcome.value));
    if (!(outcome.reason instanceof MarketDataError)) throw outcome.reason;
    const { asset, timeframe } = markets[i];
    unavailable.push({ symbol: spotSymbol(asset), interval: timeframe, error: outcome.reason.message });
  });
  return { coverage: [...coverage, fgiCoverage(fgi)], unavailable };
}
