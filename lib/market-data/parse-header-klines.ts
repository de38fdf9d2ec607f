/**
 * Reader for the 6-column kline CSVs with a header (SOURCES.md §2a, §2c, §2d, §2e, §3):
 * `{timestamp|time|date},open,high,low,close,volume`, the time being the bar's UTC open time as
 * `YYYY-MM-DD HH:MM:SS`, optionally with `+00:00` (or a bare `YYYY-MM-DD` in the 1d files).
 */
import { allocateKlines, barProblem, setKline, takeKlines, type KlineColumns } from './kline-columns';
import { findCommas, forEachLine, lineCapacity, malformedLine, numberField } from './csv-text';
import { parseUtcTime } from './utc-time';

/** Accepted names of the time column. */
const TIME_COLUMNS = ['timestamp', 'time', 'date'] as const;
const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

function checkHeader(header: string, file: string, line: number): void {
  const names = header.split(',').map((name) => name.trim().toLowerCase());
  const ok =
    names.length === 6 &&
    (TIME_COLUMNS as readonly string[]).includes(names[0]) &&
    PRICE_COLUMNS.every((name, i) => names[i + 1] === name);
  if (!ok) {
    throw malformedLine(
      file,
      line,
      `unrecognised header "${header}"; expected {timestamp|time|date},open,high,low,close,volume`,
    );
  }
}

/**
 * Parses a 6-column kline CSV with a header. Returns open times in Unix ms UTC.
 * @param file name used in error messages.
 * @throws MarketDataError naming file and line for an unknown header, a wrong column count, a bad
 *   time or number, an impossible OHLC bar, or a time not after the previous line's.
 */
export function parseHeaderKlines(text: string, file: string): KlineColumns {
  const out = allocateKlines(lineCapacity(text));
  const commas = new Int32Array(5);
  let n = 0;
  let headerSeen = false;
  forEachLine(text, (start, end, line) => {
    if (!headerSeen) {
      checkHeader(text.slice(start, end), file, line);
      headerSeen = true;
      return;
    }
    const count = findCommas(text, start, end, commas);
    if (count !== 5) throw malformedLine(file, line, `expected 6 columns, found ${count + 1}`);
    const openTime = parseUtcTime(text, start, commas[0]);
    if (Number.isNaN(openTime)) {
      throw malformedLine(
        file,
        line,
        `time is not a UTC "YYYY-MM-DD HH:MM:SS" (optionally +00:00): "${text.slice(start, commas[0])}"`,
      );
    }
    if (n > 0 && openTime <= out.openTime[n - 1]) {
      throw malformedLine(file, line, 'time is not after the previous line');
    }
    const open = numberField(text, commas[0] + 1, commas[1], 'open', file, line);
    const high = numberField(text, commas[1] + 1, commas[2], 'high', file, line);
    const low = numberField(text, commas[2] + 1, commas[3], 'low', file, line);
    const close = numberField(text, commas[3] + 1, commas[4], 'close', file, line);
    const volume = numberField(text, commas[4] + 1, end, 'volume', file, line);
    const problem = barProblem(open, high, low, close, volume);
    if (problem) throw malformedLine(file, line, problem);
    setKline(out, n, openTime, open, high, low, close, volume);
    n += 1;
  });
  return takeKlines(out, n);
}
