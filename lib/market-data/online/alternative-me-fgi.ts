/**
 * Client of the alternative.me Fear & Greed Index API, `GET /fng/?limit=N&format=json`
 * (https://alternative.me/crypto/fear-and-greed-index/#api), and its download cache. Response:
 * `{ name, data: [{ value: "30", value_classification: "Fear", timestamp: "1517443200" }],
 * metadata: { error: null } }`, newest day first, `timestamp` = the day's 00:00 UTC in seconds.
 *
 * Cache: `{downloadDir}/fgi/fear-greed.json` = `{ fetchedAt, data }` where `fetchedAt` is Unix ms
 * and `data` the entries as received, sorted by ascending timestamp. The first download asks for
 * the full history (`limit=0`); later ones, once the file is 24 h old, ask only for the days since
 * the newest stored day and merge them in (past days never change).
 */
import path from 'node:path';
import { z } from 'zod';
import { MarketDataError, malformedLine } from '../errors';
import type { FgiDays } from '../fgi';
import { DAY_MS } from '../intervals';
import { fetchJson, readJsonFile, REFRESH_AFTER_MS, writeJsonFile } from './download';
/** One FGI day as the API returns it. */
export const apiFgiEntrySchema = z.object({
  value: z.string(),
  value_classification: z.string(),
  timestamp: z.string().regex(/^\d+$/, 'timestamp must be Unix seconds'),
});
export type ApiFgiEntry = z.infer<typeof apiFgiEntrySchema>;

const fgiResponseSchema = z.object({
  data: z.array(apiFgiEntrySchema),
  metadata: z.object({ error: z.string().nullable() }).optional(),
});

/**
 * The newest `limit` FGI days (0 = the full history since 2018-02-01), as returned (newest first).
 * @throws MarketDataError when the request fails or the API reports an error.
 */
export async function fetchFgiDays(baseUrl: string, limit: number): Promise<ApiFgiEntry[]> {
  const url = new URL('/fng/', baseUrl);
  url.search = new URLSearchParams({ limit: String(limit), format: 'json' }).toString();
  const body = await fetchJson(url.toString(), fgiResponseSchema);
  if (body.metadata?.error) throw new MarketDataError(`GET ${url} failed: ${body.metadata.error}`);
  return body.data;
}

/**
 * Converts API entries sorted by ascending timestamp to days (Unix ms 00:00 UTC) and values.
 * @param file name used in error messages; "line" there is the 1-based entry index.
 * @throws MarketDataError for a value outside 0–100 or a timestamp that is not a day start.
 */
export function fgiFromApiEntries(entries: readonly ApiFgiEntry[], file: string): FgiDays {
  const day = new Float64Array(entries.length);
  const value = new Float64Array(entries.length);
  entries.forEach((entry, i) => {
    const ms = Number(entry.timestamp) * 1000;
    const v = Number(entry.value);
    if (ms % DAY_MS !== 0) throw malformedLine(file, i + 1, `timestamp ${entry.timestamp} is not 00:00 UTC`);
    if (i > 0 && ms <= day[i - 1]) throw malformedLine(file, i + 1, 'timestamp is not after the previous entry');
    if (!(entry.value.trim() !== '' && v >= 0 && v <= 100)) throw malformedLine(file, i + 1, `value "${entry.value}" is not 0..100`);
    day[i] = ms;
    value[i] = v;
  });
  return { day, value };
}

const fgiFileSchema = z.object({ fetchedAt: z.number(), data: z.array(apiFgiEntrySchema) });

/** Where the cache keeps the FGI. */
function fgiCachePath(downloadDir: string): string {
  return path.join(downloadDir, 'fgi', 'fear-greed.json');
}

/** Options of a cached FGI download. */
export interface FgiDownload {
  downloadDir: string;
  fgiApiUrl: string;
  /** Current time, Unix ms. */
  now: number;
}

function mergeEntries(stored: readonly ApiFgiEntry[], fetched: readonly ApiFgiEntry[]): ApiFgiEntry[] {
  const byTimestamp = new Map(stored.map((e) => [e.timestamp, e]));
  for (const entry of fetched) byTimestamp.set(entry.timestamp, entry);
  return [...byTimestamp.values()].sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
}

/**
 * The FGI from the download cache, refreshed when missing or at least 24 h old.
 * @returns the days and the absolute path of the cache file.
 * @throws MarketDataError when there is no cached FGI and the download fails (a failed refresh of
 *   an existing file keeps the stale file, with a warning).
 */
export async function loadDownloadedFgi(options: FgiDownload): Promise<{ fgi: FgiDays; file: string }> {
  const file = fgiCachePath(options.downloadDir);
  const cached = await readJsonFile(file, fgiFileSchema);
  let data = cached?.data ?? [];
  if (!cached || options.now - cached.fetchedAt >= REFRESH_AFTER_MS) {
    const newest = data.length > 0 ? Number(data[data.length - 1].timestamp) * 1000 : null;
    const limit = newest === null ? 0 : Math.ceil((options.now - newest) / DAY_MS) + 1;
    try {
      data = mergeEntries(data, await fetchFgiDays(options.fgiApiUrl, limit));
      await writeJsonFile(options.downloadDir, file, { fetchedAt: options.now, data });
    } catch (error) {
      if (!cached) throw error;
      console.warn(`[market-data] keeping stale ${file}: ${(error as Error).message}`);
    }
  }
  return { fgi: fgiFromApiEntries(data, file), file };
}
