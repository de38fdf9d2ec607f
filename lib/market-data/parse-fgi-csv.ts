/**
 * Reader for the Fear & Greed Index CSV exports of SOURCES.md §1: header
 * `date,fear_greed_value,classification` (primary file) or `date,score,rating` (extended file),
 * `date` a UTC day `YYYY-MM-DD`, the value 0–100 written as an integer or a decimal like `71.0`.
 */
import { DAY_MS } from './intervals';
import { findCommas, forEachLine, lineCapacity, malformedLine, numberField } from './csv-text';
import { parseUtcTime } from './utc-time';

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
