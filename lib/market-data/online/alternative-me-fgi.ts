/**
 * Client of the alternative.me Fear & Greed Index API, `GET /fng/?limit=N&format=json`
 * (https://alternative.me/crypto/fear-and-greed-index/#api). Response:
 * `{ name, data: [{ value: "30", value_classification: "Fear", timestamp: "1517443200" }],
 * metadata: { error: null } }`, newest day first, `timestamp` = the day's 00:00 UTC in seconds.
 */
import { z } from 'zod';
import { MarketDataError } from '../../errors';
import { malformedLine } from '../csv-text';
import { DAY_MS } from '../intervals';
import type { FgiDays } from '../parse-fgi-csv';
import { fetchJson } from './fetch-json';

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
