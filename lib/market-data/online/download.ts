/**
 * Shared helpers of the online clients (online/binance-klines.ts, binance-funding.ts,
 * alternative-me-fgi.ts): GET JSON with a timeout, the JSON files of the download cache
 * (`.cache/market-data/`), when a downloaded period must be fetched again, bounded parallelism,
 * and the UTC months of the downloaded kline history.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { Timeframe } from '../../schemas';
import { readRegularFile, realFolder, replaceFile } from '../../no-follow-file';
import { MarketDataError } from '../errors';
import { DAY_MS } from '../intervals';

// GET JSON

/** Give up on one request after this many ms. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Fetches `url` and validates the JSON body with `schema`.
 * @throws MarketDataError naming the URL for a network failure, a timeout, a non-2xx status
 *   (with the API's own message when it sends one) or a body of the wrong shape.
 */
export async function fetchJson<S extends z.ZodType>(url: string, schema: S): Promise<z.infer<S>> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    body = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new MarketDataError(`GET ${url} failed: ${reason}`, { cause: error });
  }
  if (!response.ok) {
    throw new MarketDataError(`GET ${url} failed: HTTP ${response.status} ${body.slice(0, 200)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MarketDataError(`GET ${url} returned a body that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new MarketDataError(`GET ${url} returned an unexpected shape: ${parsed.error.issues[0].message}`);
  }
  return parsed.data;
}

// Download cache files

/**
 * The file's JSON validated by `schema`, or null when the file is missing, not a regular file (a
 * link is never followed, a FIFO never blocked on), not JSON or of another shape (a damaged cache
 * file is simply downloaded again).
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S> | null> {
  const text = await readRegularFile(file);
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Stores `value` as JSON in `file` below `downloadDir`, atomically and durably, creating folders
 * that are not links (lib/no-follow-file.ts: a link planted in the download cache is replaced as
 * a name, never written through; write-file-atomic would overwrite its target). Best effort: when
 * the file cannot be stored (a folder on the way is a link, the disk is full) a warning is logged
 * and the downloaded data is still used; it is downloaded again next time. Never throws.
 */
export async function writeJsonFile(downloadDir: string, file: string, value: unknown): Promise<void> {
  try {
    await realFolder(downloadDir, path.dirname(file));
    await replaceFile(file, JSON.stringify(value), { durable: true });
  } catch (error) {
    console.warn(`[market-data] not stored ${downloadedSourceName(file)}: ${(error as Error).message}`);
  }
}

/** A downloaded file's path relative to the working directory (project root), with `/` separators. */
export function downloadedSourceName(absolutePath: string): string {
  return path.relative(process.cwd(), absolutePath).split(path.sep).join('/');
}

// Freshness (SPEC §2: finalized candles, past settlements and past FGI days never expire; the
// newest, still-forming period is refetched after 24 h)

/** Age after which a still-forming period is fetched again, ms. */
export const REFRESH_AFTER_MS = 24 * 60 * 60_000;

/**
 * True when a downloaded period [.., periodEnd) must be fetched (again) at `now`:
 * - never downloaded (`fetchedAt` null): yes;
 * - downloaded at or after `periodEnd` (final): never again;
 * - the period has ended since the download: yes, once, to get its final bars;
 * - otherwise (still forming): when the download is at least 24 h old.
 */
export function needsFetch(fetchedAt: number | null, periodEnd: number, now: number): boolean {
  if (fetchedAt === null) return true;
  if (fetchedAt >= periodEnd) return false;
  if (now >= periodEnd) return true;
  return now - fetchedAt >= REFRESH_AFTER_MS;
}

// Bounded parallelism (keeps within the APIs' request-rate limits)

/**
 * Maps `items` with `fn`, running at most `limit` calls at a time; results keep the input order.
 * Rejects with the first error; no new call starts after it (calls already running finish).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// How much kline history the online path downloads, and its split into UTC months (one cache
// file each)

/** Start of the downloaded 1h and 4h history (and of the funding history asked for): the first FGI day, 2018-02-01 00:00 UTC. */
export const ONLINE_HISTORY_START = Date.UTC(2018, 1, 1);
/** The 15m history covers the trailing 365 days, widened to whole months. */
const ONLINE_15M_DAYS = 365;

/** 00:00 UTC of the first day of the month containing `ms`. */
export function monthStartOf(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** 00:00 UTC of the first day of the month after the one starting at `monthStart`. */
export function nextMonthStart(monthStart: number): number {
  const d = new Date(monthStart);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** `YYYY-MM` of a month start. */
export function monthLabel(monthStart: number): string {
  return new Date(monthStart).toISOString().slice(0, 7);
}

/**
 * Month starts (Unix ms) the online history of `timeframe` covers at time `now`: from
 * 2018-02 (1h, 4h) or the month containing now − 365 days (15m), through the current month.
 */
export function onlineHistoryMonths(timeframe: Timeframe, now: number): number[] {
  const first = timeframe === '15m' ? monthStartOf(now - ONLINE_15M_DAYS * DAY_MS) : ONLINE_HISTORY_START;
  const months: number[] = [];
  for (let m = first; m <= now; m = nextMonthStart(m)) months.push(m);
  return months;
}
