/**
 * The download cache of klines: one JSON file per symbol, interval and UTC month,
 * `{downloadDir}/klines/{SYMBOL}/{interval}/{YYYY-MM}.json` =
 * `{ symbol, interval, month, fetchedAt, klines }` where `fetchedAt` is Unix ms and `klines` the
 * Binance API rows as received. Only missing or stale months are downloaded (see freshness.ts).
 */
import path from 'node:path';
import { z } from 'zod';
import type { Timeframe } from '../../schemas';
import { INTERVAL_MS } from '../intervals';
import type { KlineColumns } from '../kline-columns';
import { apiKlineSchema, fetchKlineRange, klinesFromApiRows } from './binance-klines';
import { needsFetch } from './freshness';
import { readJsonFile, writeJsonFile } from './json-file';
import { mapWithConcurrency } from './map-with-concurrency';
import { monthLabel, nextMonthStart, onlineHistoryMonths } from './online-history';

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
  await writeJsonFile(file, fresh);
  return { file, rows: fresh.klines };
}

/**
 * Klines of `symbol`/`timeframe` over the online history (online-history.ts), one column set per
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
