/**
 * The daily Crypto Fear & Greed Index (alternative.me): the reader of its CSV exports
 * (SOURCES.md §1), the merge of the two local files, the point-in-time join onto bars
 * (SPEC §2) and the local loader.
 *
 * Precedence: `fgi/crypto_fear_greed.csv` is the source up to its last day (2025-10-16);
 * `fgi/crypto_fear_greed_extended.csv` only adds the days after that (its in-fills of days the
 * API lacks are not real values); missing days stay missing.
 */
import { findCommas, forEachLine, lineCapacity, numberField, parseUtcTime } from './csv';
import { malformedLine, readOptionalSourceFile } from './errors';
import { DAY_MS } from './intervals';
import type { FgiSeries } from './types';

// CSV reader: header `date,fear_greed_value,classification` (primary file) or
// `date,score,rating` (extended file), `date` a UTC day `YYYY-MM-DD`, the value 0–100 written
// as an integer or a decimal like `71.0`

/** The two FGI header layouts (value column, label column). */
const FGI_HEADERS = ['date,fear_greed_value,classification', 'date,score,rating'] as const;

/** Days (Unix ms at 00:00 UTC) and values, sorted by day. */
export interface FgiDays {
  day: Float64Array;
  value: Float64Array;
}

/**
 * Parses an FGI CSV. The label column is required but not used (SOURCES.md: labels changed over
 * time; derive bands from the number).
 * @param file name used in error messages.
 * @throws MarketDataError naming file and line for an unknown header, a wrong column count, a bad
 *   day, a value outside 0–100, or a day not after the previous line's.
 */
export function parseFgiCsv(text: string, file: string): FgiDays {
  const capacity = lineCapacity(text);
  const day = new Float64Array(capacity);
  const value = new Float64Array(capacity);
  const commas = new Int32Array(2);
  let n = 0;
  let headerSeen = false;
  forEachLine(text, (start, end, line) => {
    if (!headerSeen) {
      const header = text.slice(start, end).trim().toLowerCase();
      if (!(FGI_HEADERS as readonly string[]).includes(header)) {
        throw malformedLine(file, line, `unrecognised header "${header}"; expected ${FGI_HEADERS.join(' or ')}`);
      }
      headerSeen = true;
      return;
    }
    const count = findCommas(text, start, end, commas);
    if (count !== 2) throw malformedLine(file, line, `expected 3 columns, found ${count + 1}`);
    const time = parseUtcTime(text, start, commas[0]);
    if (Number.isNaN(time) || time % DAY_MS !== 0) {
      throw malformedLine(file, line, `date is not a day YYYY-MM-DD: "${text.slice(start, commas[0])}"`);
    }
    if (n > 0 && time <= day[n - 1]) throw malformedLine(file, line, 'date is not after the previous line');
    const v = numberField(text, commas[0] + 1, commas[1], 'value', file, line);
    if (v < 0 || v > 100) throw malformedLine(file, line, `value ${v} is outside 0..100`);
    day[n] = time;
    value[n] = v;
    n += 1;
  });
  return { day: day.slice(0, n), value: value.slice(0, n) };
}

// Merge

/**
 * Merges FGI sources given in precedence order: the first source is used up to its last day;
 * each later source only adds days after the last day of everything before it. Days missing in
 * between stay missing (SOURCES.md §1: the extended file's in-fills are not real API values).
 */
export function mergeFgi(sources: readonly FgiDays[]): FgiDays {
  const days: number[] = [];
  const values: number[] = [];
  let lastDay = -Infinity;
  for (const source of sources) {
    const end = lastDay;
    for (let i = 0; i < source.day.length; i++) {
      if (source.day[i] <= end) continue;
      days.push(source.day[i]);
      values.push(source.value[i]);
      lastDay = source.day[i];
    }
  }
  return { day: Float64Array.from(days), value: Float64Array.from(values) };
}

// Point-in-time join (SPEC §2)

/**
 * FGI value known at each bar's close. The value dated day D is known from D 00:00 UTC, so bar i
 * gets the value of the latest day D with D 00:00 ≤ close time (openTime[i] + intervalMs); days
 * the FGI lacks carry the previous value over; bars closing before the first FGI day get NaN, and
 * so do bars closing on or after the day after the last FGI day (the series has ended there: its
 * last value is not carried on indefinitely). Never an exact-timestamp join, never a back-fill.
 * One linear merge pass over both sorted arrays.
 * @param openTime bar open times, Unix ms UTC, ascending.
 * @param intervalMs bar length in ms.
 */
export function joinFgiAtBarClose(
  openTime: Float64Array,
  intervalMs: number,
  fgi: Pick<FgiSeries, 'day' | 'value'>,
): Float64Array {
  const out = new Float64Array(openTime.length);
  const end = fgi.day.length > 0 ? fgi.day[fgi.day.length - 1] + DAY_MS : -Infinity;
  let known = -1; // index of the latest FGI day known at the current bar's close
  for (let i = 0; i < openTime.length; i++) {
    const closeTime = openTime[i] + intervalMs;
    while (known + 1 < fgi.day.length && fgi.day[known + 1] <= closeTime) known += 1;
    out[i] = known >= 0 && closeTime < end ? fgi.value[known] : NaN;
  }
  return out;
}

// Local loader

/** FGI files in precedence order, relative to the market-data folder. */
export const LOCAL_FGI_FILES = ['fgi/crypto_fear_greed.csv', 'fgi/crypto_fear_greed_extended.csv'] as const;

/**
 * Reads and merges the FGI files that exist in `marketDataDir`; null when there is none.
 * @throws MarketDataError for a malformed file (naming file and line) or an unreadable one (naming it).
 */
export async function readLocalFgi(marketDataDir: string): Promise<FgiSeries | null> {
  const found = await Promise.all(
    LOCAL_FGI_FILES.map(async (source) => {
      const bytes = await readOptionalSourceFile(marketDataDir, source, source);
      return bytes === null ? null : { source, text: bytes.toString('utf8') };
    }),
  );
  const files = found.filter((f) => f !== null);
  if (files.length === 0) return null;
  const merged = mergeFgi(files.map((f) => parseFgiCsv(f.text, f.source)));
  return { ...merged, sources: files.map((f) => f.source) };
}
