/**
 * Display formatting of the page's numbers with their units (%, USDT, ms, bytes). Pure; the
 * en-US locale is fixed so the server render and the browser agree.
 */

/** One en-US formatter per number of decimals (constructing an Intl.NumberFormat costs more than many format calls). */
const numberFormats = new Map<number, Intl.NumberFormat>();
const numberFormat = (digits: number) => {
  let format = numberFormats.get(digits);
  if (!format) numberFormats.set(digits, (format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return format;
};

/** `1,234.57` with `digits` decimals, and an explicit `+` for positive values when `signed`. */
export function formatNumber(value: number, { digits = 2, signed = false } = {}): string {
  return `${signed && value > 0 ? '+' : ''}${numberFormat(digits).format(value)}`;
}

/** `12.34 %` with an explicit sign when `signed` (e.g. returns `+12.34 %`). */
export function formatPercent(value: number, options: { digits?: number; signed?: boolean } = {}): string {
  return `${formatNumber(value, options)} %`;
}

/** `10,234.56 USDT`. */
export function formatUsdt(value: number, digits = 2): string {
  return `${numberFormat(digits).format(value)} USDT`;
}

/** A ratio with 2 decimals, or `—` when undefined (null). */
export function formatRatio(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : numberFormat(2).format(value);
}

const DURATION_UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
] as const;

/**
 * Milliseconds: `0.42 ms`, `12 ms`, `1.3 s`, `45 s`, `2 min 5 s`, `3 d 0 h`. From 10 s on the
 * value is rounded to whole seconds first and shown as its largest unit plus the next one (so
 * 119,700 ms is `2 min 0 s`, never `1 min 60 s`). Each cut-off is tested on the rounded value.
 */
export function formatDuration(ms: number): string {
  if (ms < 9.995) return `${numberFormat(2).format(ms)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 9_950) return `${numberFormat(1).format(ms / 1_000)} s`;
  const seconds = Math.round(ms / 1_000);
  const largest = DURATION_UNITS.findIndex(([, size]) => seconds >= size);
  if (largest === DURATION_UNITS.length - 1) return `${seconds} s`;
  const [unit, size] = DURATION_UNITS[largest];
  const [nextUnit, nextSize] = DURATION_UNITS[largest + 1];
  return `${Math.floor(seconds / size)} ${unit} ${Math.floor((seconds % size) / nextSize)} ${nextUnit}`;
}

/** Bytes in binary units: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${numberFormat(1).format(value)} ${units[unit]}`;
}

/** A UTC time `YYYY-MM-DD HH:MM UTC` of a Unix ms time. */
export function formatUtcTime(time: number): string {
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const DAY_MS = 86_400_000;

/**
 * The last UTC day (`YYYY-MM-DD`) a result period covers. `periodEnd` is the ISO close time of
 * the last bar (e.g. `2025-01-01T00:00:00.000Z` for a window ending with 2024-12-31), so the day
 * is that of periodEnd − 1 ms.
 */
export function lastCoveredDay(periodEnd: string): string {
  return new Date(Date.parse(periodEnd) - 1).toISOString().slice(0, 10);
}

/**
 * Tick label for a time axis spanning `spanMs`: `YYYY-MM` beyond ~8 months, `MM-DD` beyond two
 * days, else `MM-DD HH:MM` (all UTC).
 */
export function timeTickFormatter(spanMs: number): (time: number) => string {
  if (spanMs > 240 * DAY_MS) return (time) => new Date(time).toISOString().slice(0, 7);
  if (spanMs > 2 * DAY_MS) return (time) => new Date(time).toISOString().slice(5, 10);
  return (time) => new Date(time).toISOString().slice(5, 16).replace('T', ' ');
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Short axis label of a price or equity in USDT: `96.5K`, `3.4K`, `142`. */
export function formatCompact(value: number): string {
  return compactFormat.format(value);
}
