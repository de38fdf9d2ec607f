/**
 * Hand-written parsing of the UTC time stamps used by the CSV files in SOURCES.md, working on a
 * slice of the file text so that no substring is allocated per line.
 */

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
