/**
 * Line and field scanning over a whole CSV file held as one string, and the UTC time stamps the
 * CSV files of SOURCES.md use. The readers walk the text with `indexOf` instead of splitting it
 * and parse fields in place (no substring per line), which keeps a 70,000-line file well under
 * 100 ms.
 */
import { malformedLine } from './errors';

/**
 * Calls `onLine(start, end, lineNumber)` for every non-blank line of `text`, where
 * `text[start, end)` is the line without its `\n` or `\r\n` ending (CRLF and LF both occur in
 * SOURCES.md). A leading UTF-8 byte-order mark is skipped. Line numbers are 1-based.
 */
export function forEachLine(
  text: string,
  onLine: (start: number, end: number, lineNumber: number) => void,
): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNumber = 0;
  while (start < text.length) {
    let next = text.indexOf('\n', start);
    if (next === -1) next = text.length;
    let end = next;
    if (end > start && text.charCodeAt(end - 1) === 13) end -= 1;
    lineNumber += 1;
    if (end > start) onLine(start, end, lineNumber);
    start = next + 1;
  }
}

/** Number of `\n` in `text` plus one: an upper bound on the data lines, for preallocation. */
export function lineCapacity(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

/**
 * Fills `commas` with the positions of the commas in `text[start, end)` and returns how many
 * there are (it keeps counting past `commas.length` without storing).
 */
export function findCommas(text: string, start: number, end: number, commas: Int32Array): number {
  let count = 0;
  for (let i = text.indexOf(',', start); i !== -1 && i < end; i = text.indexOf(',', i + 1)) {
    if (count < commas.length) commas[count] = i;
    count += 1;
  }
  return count;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`)); // exact doubles up to 1e22

/**
 * Fast path for plain decimals `123`, `4261.48`, `13715.65000000`: the digits as an integer m
 * divided by 10^k. When m < 2^53 and k ≤ 22 both are exact doubles and the one division is
 * correctly rounded, so the result equals `Number(text)`. Returns NaN for anything else (signs,
 * exponents, blanks, more digits), which the caller hands to `Number`.
 */
function plainDecimal(text: string, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits += 1;
    } else if (c === 46 && fraction === -1) {
      fraction = i;
    } else {
      return NaN;
    }
  }
  const scale = fraction === -1 ? 0 : end - fraction - 1;
  if (digits === 0 || digits > 15 || scale > 22) return NaN;
  return mantissa / POWERS_OF_TEN[scale];
}

/**
 * Parses `text[start, end)` as a decimal number (e.g. `4261.48`, `71.0`, `1735689600000000`).
 * @throws MarketDataError naming file, line and `field` when it is empty or not a finite number.
 */
export function numberField(
  text: string,
  start: number,
  end: number,
  field: string,
  file: string,
  line: number,
): number {
  const fast = plainDecimal(text, start, end);
  if (fast === fast) return fast; // not NaN
  const raw = text.slice(start, end);
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) {
    throw malformedLine(file, line, `${field} is not a number: "${raw}"`);
  }
  return value;
}

// UTC time stamps

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Value of `count` ASCII digits at `text[pos]`, or -1 when one of them is not a digit. */
function digits(text: string, pos: number, count: number): number {
  let value = 0;
  for (let i = pos; i < pos + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Parses `text[start, end)` as a UTC time and returns Unix ms, or NaN when it is not one.
 * Accepted: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` (or with `T`), each optionally followed by
 * `+00:00` or `Z`. Any other offset is rejected: every file in SOURCES.md is UTC.
 */
export function parseUtcTime(text: string, start: number, end: number): number {
  let stop = end;
  if (stop - start > 10 && text.charCodeAt(stop - 1) === 90 /* Z */) stop -= 1;
  else if (stop - start >= 16 && text.startsWith('+00:00', stop - 6)) stop -= 6;
  const length = stop - start;
  if (length !== 10 && length !== 19) return NaN;
  const year = digits(text, start, 4);
  const month = digits(text, start + 5, 2);
  const day = digits(text, start + 8, 2);
  if (text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return NaN;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
    return NaN;
  }
  if (length === 10) return Date.UTC(year, month - 1, day);
  const separator = text.charCodeAt(start + 10);
  if (separator !== 32 && separator !== 84 /* T */) return NaN;
  if (text.charCodeAt(start + 13) !== 58 || text.charCodeAt(start + 16) !== 58) return NaN;
  const hour = digits(text, start + 11, 2);
  const minute = digits(text, start + 14, 2);
  const second = digits(text, start + 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Unix ms → ISO 8601 UTC, e.g. `2017-08-17T04:00:00.000Z`. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
