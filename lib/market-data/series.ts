/**
 * Assembly of a MarketSeries from wherever its parts are: bars (local files, else the download
 * cache / Binance spot API), funding (local files, else the download cache / Binance futures API,
 * else none), the FGI (local files, else the download cache / alternative.me); plus gaps, the
 * data version and the coverage rows of loaded data.
 */
import { createHash } from 'node:crypto';
import type { Asset, Timeframe } from '../schemas';
import { missingDataError } from './errors';
import { joinFgiAtBarClose, LOCAL_FGI_FILES, readLocalFgi } from './fgi';
import { fundingColumn, fundingGaps, readLocalFunding, type FundingHistory } from './funding';
import { DAY_MS, INTERVAL_MS, spotSymbol } from './intervals';
import { dropNewestBar, mergeKlines, readLocalKlineFiles, spotKlineFolder, type KlineColumns } from './klines';
import type { MarketDataContext } from './context';
import { loadDownloadedFgi } from './online/alternative-me-fgi';
import { loadDownloadedFunding } from './online/binance-funding';
import { loadDownloadedKlines } from './online/binance-klines';
import { downloadedSourceName } from './online/download';
import type { CoverageEntry, FgiSeries, FundingCoverage, Gap, MarketSeries } from './types';
import { isoUtc } from './csv';

/**
 * Merged bars of `symbol`/`timeframe` (precedence and dropping rules in klines.ts), without
 * off-grid bars and without the newest (still forming) bar.
 * @returns the bars and the files read.
 * @throws MarketDataError for a malformed file, or when the series is neither local nor
 *   downloadable (the message says how to supply it).
 */
export async function loadKlines(
  context: MarketDataContext,
  symbol: string,
  timeframe: Timeframe,
): Promise<{ klines: KlineColumns; sources: string[] }> {
  const intervalMs = INTERVAL_MS[timeframe];
  const local = await readLocalKlineFiles(context.marketDataDir, symbol, timeframe, context.freqtradeDataDir ?? null);
  if (local) return { klines: dropNewestBar(mergeKlines(local.klines, intervalMs)), sources: local.sources };
  let downloaded;
  try {
    downloaded = await loadDownloadedKlines(
      { downloadDir: context.downloadDir, binanceApiUrl: context.binanceApiUrl, now: context.now() },
      symbol,
      timeframe,
    );
  } catch (error) {
    throw missingDataError(`${symbol} ${timeframe} klines`, `${spotKlineFolder(symbol, timeframe)}/*.csv`, context.marketDataDir, error);
  }
  return {
    klines: dropNewestBar(mergeKlines(downloaded.klines, intervalMs)),
    sources: downloaded.files.map(downloadedSourceName),
  };
}

/**
 * The merged FGI (precedence in fgi.ts).
 * @throws MarketDataError for a malformed file, or when the FGI is neither local nor downloadable.
 */
export async function loadFgiSeries(context: MarketDataContext): Promise<FgiSeries> {
  const local = context.marketDataDir ? await readLocalFgi(context.marketDataDir) : null;
  if (local) return local;
  try {
    const { fgi, file } = await loadDownloadedFgi({
      downloadDir: context.downloadDir,
      fgiApiUrl: context.fgiApiUrl,
      now: context.now(),
    });
    return { ...fgi, sources: [downloadedSourceName(file)] };
  } catch (error) {
    throw missingDataError('Fear & Greed Index', LOCAL_FGI_FILES[0], context.marketDataDir, error);
  }
}

/**
 * The funding history of `symbol`: the local files (funding.ts) when there are any, else the
 * download cache / Binance futures API; null when there is neither (not an error: those bars use
 * the fixed rate).
 * @throws MarketDataError for a malformed or unreadable local file (naming it and the line).
 */
export async function loadFundingHistory(context: MarketDataContext, symbol: string): Promise<FundingHistory | null> {
  const local = await readLocalFunding(context.marketDataDir, symbol, context.freqtradeDataDir ?? null);
  if (local) return local;
  if (!context.binanceFuturesApiUrl) return null;
  const downloaded = await loadDownloadedFunding(
    { downloadDir: context.downloadDir, binanceFuturesApiUrl: context.binanceFuturesApiUrl, now: context.now() },
    symbol,
  );
  if (!downloaded || downloaded.funding.time.length === 0) return null;
  return { ...downloaded.funding, conflicts: 0, sources: [downloadedSourceName(downloaded.file)] };
}

/**
 * First 12 hex digits of the SHA-256 of the arrays' bytes, in order. Any change of a bar value,
 * a bar time, a joined FGI value or a funding value changes it.
 */
export function dataVersionOf(arrays: readonly Float64Array[]): string {
  const hash = createHash('sha256');
  for (const array of arrays) {
    hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Runs of missing steps in `times` (sorted Unix ms on a grid of `stepMs`): wherever two
 * neighbours are more than one step apart, one Gap from the first to the last missing step.
 * Used for kline bars (step = bar interval) and FGI days (step = 1 day).
 */
export function findGaps(times: Float64Array, stepMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const missing = Math.round((times[i] - times[i - 1]) / stepMs) - 1;
    if (missing > 0) {
      gaps.push({ from: times[i - 1] + stepMs, to: times[i] - stepMs, bars: missing });
    }
  }
  return gaps;
}

/**
 * Loads the bars of `asset`/`timeframe` (loadKlines), joins `fgi` onto them at each bar's close
 * and fills `fundingRate` from `funding` (a history or a promise of one, loaded in parallel with
 * the bars; loaded with loadFundingHistory when not given; null = no history, all NaN). `dataVersion` hashes the bar arrays, the joined FGI and the funding
 * column; `sources` lists the kline files, then the funding files, then the FGI files.
 * @throws MarketDataError when the bars cannot be read or downloaded, or a funding file is malformed.
 */
export async function buildSeries(
  context: MarketDataContext,
  asset: Asset,
  timeframe: Timeframe,
  fgi: FgiSeries,
  funding?: FundingHistory | null | Promise<FundingHistory | null>,
): Promise<MarketSeries> {
  const symbol = spotSymbol(asset);
  const intervalMs = INTERVAL_MS[timeframe];
  const [{ klines, sources }, history] = await Promise.all([
    loadKlines(context, symbol, timeframe),
    funding === undefined ? loadFundingHistory(context, symbol) : funding,
  ]);
  const joined = joinFgiAtBarClose(klines.openTime, intervalMs, fgi);
  const { openTime, open, high, low, close, volume } = klines;
  const fundingRate = history
    ? fundingColumn(openTime, intervalMs, history)
    : new Float64Array(openTime.length).fill(Number.NaN);
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
    fundingRate,
    gaps: findGaps(openTime, intervalMs),
    dataVersion: dataVersionOf([openTime, open, high, low, close, volume, joined, fundingRate]),
    sources: [...sources, ...(history?.sources ?? []), ...fgi.sources],
  };
}

// Coverage rows

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

/** Coverage of a (non-empty) funding history: first and last settlement, count, runs over 8 h, conflicts. */
export function fundingCoverage(symbol: string, history: FundingHistory): FundingCoverage {
  const { time } = history;
  return {
    symbol,
    interval: 'funding',
    first: isoUtc(time[0]),
    last: isoUtc(time[time.length - 1]),
    settlements: time.length,
    gaps: fundingGaps(time),
    conflicts: history.conflicts,
  };
}
