/**
 * The download cache of the FGI: `{downloadDir}/fgi/fear-greed.json` =
 * `{ fetchedAt, data }` where `fetchedAt` is Unix ms and `data` the alternative.me entries as
 * received, sorted by ascending timestamp. The first download asks for the full history
 * (`limit=0`); later ones, once the file is 24 h old, ask only for the days since the newest
 * stored day and merge them in (past days never change).
 */
import path from 'node:path';
import { z } from 'zod';
import { DAY_MS } from '../intervals';
import type { FgiDays } from '../parse-fgi-csv';
import { apiFgiEntrySchema, fetchFgiDays, fgiFromApiEntries, type ApiFgiEntry } from './alternative-me-fgi';
import { REFRESH_AFTER_MS } from './freshness';
import { readJsonFile, writeJsonFile } from './json-file';

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
      await writeJsonFile(file, { fetchedAt: options.now, data });
    } catch (error) {
      if (!cached) throw error;
      console.warn(`[market-data] keeping stale ${file}: ${(error as Error).message}`);
    }
  }
  return { fgi: fgiFromApiEntries(data, file), file };
}
