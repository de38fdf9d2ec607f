/**
 * Display formatting of the page's numbers with their units (%, USDT, ms, bytes). Pure; the
 * en-US locale is fixed so the server render and the browser agree.
 */

const numberFormat = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

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

/** Milliseconds: `0.42 ms`, `12 ms`, `1.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 10) return `${numberFormat(2).format(ms)} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${numberFormat(1).format(ms / 1_000)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1_000)} s`;
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
