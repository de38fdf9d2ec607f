/**
 * Bar lengths and symbol names shared by the market-data readers. Client-safe.
 */
import type { Asset, Timeframe } from '../schemas';

/** One UTC day in ms (the FGI publishes one value per UTC day). */
export const DAY_MS = 86_400_000;

/** Unix ms of 00:00 UTC of a `YYYY-MM-DD` day. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** Bar length in ms of each timeframe (Binance kline intervals `15m`, `1h`, `4h`). */
export const INTERVAL_MS: Record<Timeframe, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '4h': 4 * 60 * 60_000,
};

/** Binance spot symbol of an asset, quoted in USDT: `BTC` → `BTCUSDT`. */
export function spotSymbol(asset: Asset): string {
  return `${asset}USDT`;
}
