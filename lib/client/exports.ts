/**
 * Downloads of the result on screen (SPEC §8): the result JSON, the trades CSV and the equity
 * series CSV, each named after the result's cache key (lib/cache/key.ts, client-safe), e.g.
 * `ETH-4h-3x-25-75-contrarian-trades.csv`. CSV is RFC 4180: comma-separated, CRLF line ends, a
 * field with a comma, quote or line break wrapped in quotes with inner quotes doubled. Times are
 * ISO 8601 UTC, prices and money USDT, quantity in the base asset. Pure except `download`.
 */
import { cacheKey } from '../cache/key';
import type { DetailPoint, Trade } from '../engine/types';
import { INTERVAL_MS } from '../market-data/intervals';
import type { BacktestParams, Timeframe } from '../schemas';
import type { ExecuteResponse } from './api-types';

/** One CSV field: numbers as written by JS (full precision), null/undefined empty, text quoted when needed. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document of a header and rows (CRLF line ends, a final CRLF). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Columns of the trades CSV. */
export const TRADE_COLUMNS = [
  'entry_time_utc',
  'exit_time_utc',
  'side',
  'entry_price_usdt',
  'exit_price_usdt',
  'quantity',
  'margin_usdt',
  'fees_usdt',
  'funding_usdt',
  'net_pnl_usdt',
  'net_pnl_pct_of_margin',
  'exit_reason',
] as const;

/** Net PnL as % of the trade's margin (SPEC §4 avgWin/avgLoss use the same ratio). */
export const pnlPercentOfMargin = (t: Trade) => (t.margin > 0 ? (t.pnl / t.margin) * 100 : 0);

/** The trades CSV: one row per trade, columns TRADE_COLUMNS. */
export function tradesCsv(trades: readonly Trade[]): string {
  return toCsv(
    TRADE_COLUMNS,
    trades.map((t) => [
      new Date(t.entryTime).toISOString(),
      new Date(t.exitTime).toISOString(),
      t.side,
      t.entryPrice,
      t.exitPrice,
      t.quantity,
      t.margin,
      t.fees,
      t.funding,
      t.pnl,
      pnlPercentOfMargin(t),
      t.exitReason,
    ]),
  );
}

/** Columns of the equity series CSV. */
export const EQUITY_COLUMNS = ['time_utc', 'price_usdt', 'fgi', 'equity_usdt', 'buy_and_hold_usdt', 'position'] as const;

/**
 * The equity series CSV over the result's chart points (at most 600, downsampled by the server
 * for long windows): time is the bar's close time (when close, FGI, equity and position are
 * known); position is long, short or flat; an unknown FGI is empty.
 */
export function equityCsv(points: readonly DetailPoint[], timeframe: Timeframe): string {
  const barMs = INTERVAL_MS[timeframe];
  const side = { 1: 'long', 0: 'flat', [-1]: 'short' } as const;
  return toCsv(
    EQUITY_COLUMNS,
    points.map((p) => [new Date(p.time + barMs).toISOString(), p.price, p.fgi, p.equity, p.buyAndHold, side[p.position]]),
  );
}

/** What can be downloaded. */
export type ExportKind = 'result' | 'trades' | 'equity';

/** File name of an export: `<cache key>.json`, `<cache key>-trades.csv`, `<cache key>-equity.csv`. */
export function exportFileName(params: BacktestParams, kind: ExportKind): string {
  const key = cacheKey(params);
  return kind === 'result' ? `${key}.json` : `${key}-${kind}.csv`;
}

/** The body and media type of one export of `response` (the result JSON holds the result and its trades). */
export function exportBody(response: ExecuteResponse, kind: ExportKind): { text: string; type: string } {
  const { result, detail } = response;
  if (kind === 'result') {
    return { text: JSON.stringify({ result, trades: detail?.trades ?? [] }, null, 2), type: 'application/json' };
  }
  if (kind === 'trades') return { text: tradesCsv(detail?.trades ?? []), type: 'text/csv' };
  return { text: equityCsv(detail?.points ?? [], result.params.timeframe), type: 'text/csv' };
}

/** Saves `text` as a file named `name` through a temporary object URL (browser only). */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
