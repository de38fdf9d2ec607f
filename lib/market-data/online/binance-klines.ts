/**
 * Client of the Binance spot klines endpoint, `GET /api/v3/klines`
 * (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints).
 * Each kline is a 12-element array: `[openTime ms, "open", "high", "low", "close", "volume",
 * closeTime ms, "quoteVolume", trades, "takerBuyBase", "takerBuyQuote", "ignore"]`.
 */
import { z } from 'zod';
import { malformedLine } from '../csv-text';
import { allocateKlines, barProblem, setKline, takeKlines, type KlineColumns } from '../kline-columns';
import { fetchJson } from './fetch-json';

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
