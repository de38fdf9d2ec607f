/**
 * Client of the Binance spot klines endpoint, `GET /api/v3/klines`
 * (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints), and
 * its download cache. Each kline is a 12-element array: `[openTime ms, "open", "high", "low",
 * "close", "volume", closeTime ms, "quoteVolume", trades, "takerBuyBase", "takerBuyQuote", "ignore"]`.
 *
 * Cache: one JSON file per symbol, interval and UTC month,
 * `{downloadDir}/klines/{SYMBOL}/{interval}/{YYYY-MM}.json` =
 * `{ symbol, interval, month, fetchedAt, klines }` where `fetchedAt` is Unix ms and `klines` the
 * API rows as received. Only missing or stale months are downloaded (needsFetch in download.ts).
 */
import path from 'node:path';
import { z } from 'zod';
import type { Timeframe } from '../../schemas';
import { malformedLine } from '../errors';
import { INTERVAL_MS } from '../intervals';
import { allocateKlines, barProblem, setKline, takeKlines, type KlineColumns } from '../klines';
import {
  fetchJson,
  mapWithConcurrency,
  monthLabel,
  needsFetch,
  nextMonthStart,
  onlineHistoryMonths,
  readJsonFile,
  writeJsonFile,
} from './download';
/** Most klines Binance returns per request. */
const BINANCE_KLINE_LIMIT = 1000;

const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'price and volume must be decimal strings');

/** One kline as the API returns it (first six fields checked, the rest kept as given). */
export const apiKlineSchema = z.tuple([z.number().int().nonnegative(), decimal, decimal, decimal, decimal, decimal]).rest(z.unknown());
export type ApiKline = z.infer<typeof apiKlineSchema>;

const klinesResponseSchema = z.array(apiKlineSchema);

/**
 * All klines of `symbol`/`interval` with open time in [startTime, endTime] (Unix ms), following
 * pages of 1,000 until the range is covered. Periods before the symbol's listing yield [].
 * @throws MarketDataError from fetchJson when a request fails.
 */
export async function fetchKlineRange(
  baseUrl: string,
  symbol: string,
  interval: string,
  intervalMs: number,
  startTime: number,
  endTime: number,
): Promise<ApiKline[]> {
  const rows: ApiKline[] = [];
  for (let from = startTime; from <= endTime; ) {
    const url = new URL('/api/v3/klines', baseUrl);
    url.search = new URLSearchParams({
      symbol,
      interval,
      startTime: String(from),
      endTime: String(endTime),
      limit: String(BINANCE_KLINE_LIMIT),
    }).toString();
    const page = await fetchJson(url.toString(), klinesResponseSchema);
    rows.push(...page);
    if (page.length < BINANCE_KLINE_LIMIT) break;
    from = page[page.length - 1][0] + intervalMs;
  }
  return rows;
}

/**
 * Converts API klines to columns (open time in Unix ms UTC).
 * @param file name used in error messages; "line" there is the 1-based row index.
 * @throws MarketDataError for an impossible OHLC bar or an open time not after the previous row's.
 */
export function klinesFromApiRows(rows: readonly ApiKline[], file: string): KlineColumns {
  const out = allocateKlines(rows.length);
  rows.forEach((row, i) => {
    const [openTime, open, high, low, close, volume] = [row[0], +row[1], +row[2], +row[3], +row[4], +row[5]];
    if (i > 0 && openTime <= out.openTime[i - 1]) throw malformedLine(file, i + 1, 'open time is not after the previous row');
    const problem = barProblem(open, high, low, close, volume);
    if (problem) throw malformedLine(file, i + 1, problem);
    setKline(out, i, openTime, open, high, low, close, volume);
  });
  return takeKlines(out, rows.length);
}

/** Months downloaded in parallel. */
const PARALLEL_MONTHS = 4;

const monthFileSchema = z.object({
  symbol: z.string(),
  interval: z.string(),
  month: z.string(),
  fetchedAt: z.number(),
  klines: z.array(apiKlineSchema),
});
type MonthFile = z.infer<typeof monthFileSchema>;

/** Where the cache keeps one month: `{downloadDir}/klines/BTCUSDT/4h/2024-01.json`. */
function klineMonthPath(downloadDir: string, symbol: string, timeframe: Timeframe, monthStart: number): string {
  return path.join(downloadDir, 'klines', symbol, timeframe, `${monthLabel(monthStart)}.json`);
}

/** Options of a cached kline download. */
export interface KlineDownload {
  downloadDir: string;
  binanceApiUrl: string;
  /** Current time, Unix ms. */
  now: number;
}

async function loadMonth(options: KlineDownload, symbol: string, timeframe: Timeframe, monthStart: number) {
  const file = klineMonthPath(options.downloadDir, symbol, timeframe, monthStart);
  const monthEnd = nextMonthStart(monthStart);
  const cached = await readJsonFile(file, monthFileSchema);
  if (cached && !needsFetch(cached.fetchedAt, monthEnd, options.now)) return { file, rows: cached.klines };
  let fresh: MonthFile;
  try {
    const rows = await fetchKlineRange(options.binanceApiUrl, symbol, timeframe, INTERVAL_MS[timeframe], monthStart, monthEnd - 1);
    fresh = { symbol, interval: timeframe, month: monthLabel(monthStart), fetchedAt: options.now, klines: rows };
  } catch (error) {
    if (!cached) throw error;
    console.warn(`[market-data] keeping stale ${file}: ${(error as Error).message}`);
    return { file, rows: cached.klines };
  }
  await writeJsonFile(options.downloadDir, file, fresh);
  return { file, rows: fresh.klines };
}

/**
 * Klines of `symbol`/`timeframe` over the online history (onlineHistoryMonths), one column set per
 * month in time order, downloading only months that are missing or stale.
 * @returns month columns and the absolute paths of the month files.
 * @throws MarketDataError when a needed month is neither cached nor downloadable.
 */
export async function loadDownloadedKlines(
  options: KlineDownload,
  symbol: string,
  timeframe: Timeframe,
): Promise<{ klines: KlineColumns[]; files: string[] }> {
  const months = onlineHistoryMonths(timeframe, options.now);
  const loaded = await mapWithConcurrency(months, PARALLEL_MONTHS, (m) => loadMonth(options, symbol, timeframe, m));
  return {
    klines: loaded.map((month) => klinesFromApiRows(month.rows, month.file)),
    files: loaded.map((month) => month.file),
  };
}
