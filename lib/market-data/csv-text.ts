/**
 * Line and field scanning over a whole CSV file held as one string. The readers walk the text with
 * `indexOf` instead of splitting it, which keeps a 70,000-line file well under 100 ms.
 */
import { MarketDataError } from '../errors';

/** The error for a malformed line: names the file, the 1-based line number and the problem. */
export function malformedLine(file: string, line: number, problem: string): MarketDataError {
  return new MarketDataError(`Malformed market data in ${file}, line ${line}: ${problem}`);
}

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
