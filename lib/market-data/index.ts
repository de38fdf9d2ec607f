/**
 * Market data of Split Sea (server side, Node APIs): Binance spot klines joined point-in-time with
 * the Fear & Greed Index and carrying the funding of the asset's USDT-M perpetual, loaded once
 * per process and shared read-only by every request. Sources and precedence: docs/market-data.md,
 * klines.ts, funding.ts and fgi.ts. Not marked `server-only` because scripts import it.
 */
import { MarketDataError } from '../errors';
import { ASSETS, TIMEFRAMES, type Asset, type Timeframe } from '../schemas';
import { contextFromEnv } from './context';
import type { FundingHistory } from './funding';
import { spotSymbol } from './intervals';
import { buildSeries, fgiCoverage, fundingCoverage, loadFgiSeries, loadFundingHistory, seriesCoverage } from './series';
import type { CoverageEntry, FgiSeries, FundingCoverage, MarketSeries, UnavailableSeries } from './types';

export type { CoverageEntry, FgiSeries, FundingCoverage, FundingGap, Gap, MarketSeries, UnavailableSeries } from './types';
export type { KlineColumns } from './klines';
export type { FundingHistory, FundingSettlements } from './funding';

const seriesMemo = new Map<string, Promise<MarketSeries>>();
const fgiMemo = new Map<string, Promise<FgiSeries>>();
const fundingMemo = new Map<string, Promise<FundingHistory | null>>();

/**
 * The promise stored under `key` in `memo`, or a new one from `load` that is stored at once (so
 * concurrent callers share it). A rejected promise is removed, so the next call retries.
 */
function memoizePromise<T>(memo: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const existing = memo.get(key);
  if (existing) return existing;
  const promise = load();
  memo.set(key, promise);
  promise.catch(() => {
    if (memo.get(key) === promise) memo.delete(key);
  });
  return promise;
}

/**
 * The merged daily FGI (local files, else downloaded), loaded once per process.
 * @throws MarketDataError (rejects) when it is malformed or unavailable; the next call retries.
 */
export function loadFgi(): Promise<FgiSeries> {
  return memoizePromise(fgiMemo, 'fgi', () => loadFgiSeries(contextFromEnv()));
}

/**
 * The merged funding settlements of `asset`'s USDT-M perpetual (local files, else downloaded),
 * null when there is none; loaded once per process and shared by the asset's timeframes.
 * @throws MarketDataError (rejects) when a local funding file is malformed or unreadable.
 */
export function loadFunding(asset: Asset): Promise<FundingHistory | null> {
  return memoizePromise(fundingMemo, asset, () => loadFundingHistory(contextFromEnv(), spotSymbol(asset)));
}

/**
 * The price series of `asset` at `timeframe` with the FGI known at each bar's close and the
 * funding settled in each bar (`fundingRate`, NaN where not covered). Loaded once per
 * (asset, timeframe): concurrent callers share one promise and later calls get the same object;
 * a failed load is forgotten so the next call retries. Environment: MARKET_DATA_DIR,
 * FREQTRADE_DATA_DIR, BINANCE_API_URL, BINANCE_FUTURES_API_URL, FGI_API_URL (lib/env.ts).
 * @throws MarketDataError (rejects) when the data is malformed or neither local nor downloadable
 *   (missing funding is not an error).
 */
export function loadSeries(asset: Asset, timeframe: Timeframe): Promise<MarketSeries> {
  return memoizePromise(seriesMemo, `${asset}:${timeframe}`, async () =>
    buildSeries(contextFromEnv(), asset, timeframe, await loadFgi(), loadFunding(asset)),
  );
}

/**
 * One coverage row per spot series that loads (BTC, ETH, SOL × 15m, 1h, 4h, in that order) plus
 * one for the FGI (`FGI`, `1d`); a series that cannot be read is listed in `unavailable` with its
 * reason, so the others stay usable; `funding` has one row per symbol with a funding history
 * (BTCUSDT, ETHUSDT, SOLUSDT order). Loads every series (once per process).
 * @throws MarketDataError (rejects) when the FGI, which every series needs, is unavailable.
 */
export async function getCoverage(): Promise<{
  coverage: CoverageEntry[];
  unavailable: UnavailableSeries[];
  funding: FundingCoverage[];
}> {
  const fgi = await loadFgi();
  const markets = ASSETS.flatMap((asset) => TIMEFRAMES.map((timeframe) => ({ asset, timeframe })));
  const loaded = await Promise.allSettled(markets.map(({ asset, timeframe }) => loadSeries(asset, timeframe)));
  const histories = await Promise.allSettled(ASSETS.map((asset) => loadFunding(asset)));
  const coverage: CoverageEntry[] = [];
  const unavailable: UnavailableSeries[] = [];
  loaded.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') return coverage.push(seriesCoverage(outcome.value));
    if (!(outcome.reason instanceof MarketDataError)) throw outcome.reason;
    const { asset, timeframe } = markets[i];
    unavailable.push({ symbol: spotSymbol(asset), interval: timeframe, error: outcome.reason.message });
  });
  const funding: FundingCoverage[] = [];
  histories.forEach((outcome, i) => {
    if (outcome.status === 'rejected' && !(outcome.reason instanceof MarketDataError)) throw outcome.reason;
    if (outcome.status === 'fulfilled' && outcome.value && outcome.value.time.length > 0) {
      funding.push(fundingCoverage(spotSymbol(ASSETS[i]), outcome.value));
    }
  });
  return { coverage: [...coverage, fgiCoverage(fgi)], unavailable, funding };
}
