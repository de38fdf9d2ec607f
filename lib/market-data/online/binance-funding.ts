/**
 * Client of the Binance USDT-M futures funding-rate history, `GET /fapi/v1/fundingRate?symbol=
 * &startTime=&limit=1000` (https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Get-Funding-Rate-History),
 * and its download cache. Response: `[{ symbol, fundingTime: ms, fundingRate: "0.00010000",
 * markPrice: "..." }]`, ascending from `startTime`, at most `limit` (1,000) rows.
 *
 * Cache: `{downloadDir}/funding/{SYMBOL}.json` = `{ symbol, fetchedAt, rows }` where `fetchedAt`
 * is Unix ms and `rows` the API rows as received, ascending. The first download pages from
 * 2018-02-01 (before any USDT-M perpetual); later ones, once the file is 24 h old, ask only for
 * the settlements after the newest stored one (past settlements never change).
 *
 * Funding is optional (SPEC §2): when nothing is cached and the API cannot be reached, the
 * loader answers null with a warning, never an error.
 */
import path from 'node:path';
import { z } from 'zod';
import { toSettlements, type FundingSettlements } from '../funding';
import { fetchJson, ONLINE_HISTORY_START, readJsonFile, REFRESH_AFTER_MS, writeJsonFile } from './download';

/** Most settlements Binance returns per request. */
const BINANCE_FUNDING_LIMIT = 1000;

/** One settlement as the API returns it. */
const apiFundingRowSchema = z.object({
  symbol: z.string(),
  fundingTime: z.number().int().positive(),
  fundingRate: z.string().regex(/^-?\d+(\.\d+)?$/, 'fundingRate must be a decimal string'),
  markPrice: z.string().optional(),
});
type ApiFundingRow = z.infer<typeof apiFundingRowSchema>;

const fundingFileSchema = z.object({ symbol: z.string(), fetchedAt: z.number(), rows: z.array(apiFundingRowSchema) });

/**
 * Every settlement of `symbol` with fundingTime ≥ startTime (Unix ms), following pages of 1,000.
 * @throws MarketDataError from fetchJson when a request fails.
 */
export async function fetchFundingRates(baseUrl: string, symbol: string, startTime: number): Promise<ApiFundingRow[]> {
  const rows: ApiFundingRow[] = [];
  for (let from = startTime; ; ) {
    const url = new URL('/fapi/v1/fundingRate', baseUrl);
    url.search = new URLSearchParams({ symbol, startTime: String(from), limit: String(BINANCE_FUNDING_LIMIT) }).toString();
    const page = (await fetchJson(url.toString(), z.array(apiFundingRowSchema))).filter((row) => row.fundingTime >= from);
    rows.push(...page);
    if (page.length < BINANCE_FUNDING_LIMIT) return rows;
    from = page[page.length - 1].fundingTime + 1;
  }
}

/** Options of a cached funding download. */
export interface FundingDownload {
  downloadDir: string;
  binanceFuturesApiUrl: string;
  /** Current time, Unix ms. */
  now: number;
}

/**
 * The funding history of `symbol` from the download cache, fetching what is missing when the
 * file is absent or at least 24 h old.
 * @returns the settlements and the absolute path of the cache file; null when nothing is cached
 *   and the download fails (a warning names the reason; a failed refresh keeps the stale file).
 * @throws MarketDataError only for downloaded rows that are impossible (naming the file and row).
 */
export async function loadDownloadedFunding(
  options: FundingDownload,
  symbol: string,
): Promise<{ funding: FundingSettlements; file: string } | null> {
  const file = path.join(options.downloadDir, 'funding', `${symbol}.json`);
  const cached = await readJsonFile(file, fundingFileSchema);
  let rows = cached?.rows ?? [];
  if (!cached || options.now - cached.fetchedAt >= REFRESH_AFTER_MS) {
    const start = rows.length > 0 ? rows[rows.length - 1].fundingTime + 1 : ONLINE_HISTORY_START;
    try {
      rows = [...rows, ...(await fetchFundingRates(options.binanceFuturesApiUrl, symbol, start))];
      await writeJsonFile(options.downloadDir, file, { symbol, fetchedAt: options.now, rows });
    } catch (error) {
      console.warn(`[market-data] ${cached ? `keeping stale ${file}` : `no funding history for ${symbol}, using the fixed rate`}: ${(error as Error).message}`);
      if (!cached) return null;
    }
  }
  return {
    funding: toSettlements(rows.map((r) => r.fundingTime), rows.map((r) => Number(r.fundingRate)), file),
    file,
  };
}
