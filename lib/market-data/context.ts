/**
 * Where market data comes from, resolved once per load: the local folders, the download cache,
 * the online APIs and the clock that decides when downloaded data is stale.
 */
import { getEnv } from '../env';

/** Inputs of a market-data load. Tests build one directly to point at temp folders and a fake clock. */
export interface MarketDataContext {
  /** Absolute local market-data folder (SOURCES.md layout), or null when there is none. */
  marketDataDir: string | null;
  /** Absolute freqtrade data folder (`user_data/data/binance`), or null when there is none. */
  freqtradeDataDir?: string | null;
  /** Absolute folder for downloaded klines, funding and FGI (`.cache/market-data`). */
  downloadDir: string;
  /** Base URL of the Binance spot REST API, e.g. `https://api.binance.com`. */
  binanceApiUrl: string;
  /** Base URL of the Binance USDT-M futures REST API, e.g. `https://fapi.binance.com`; when absent, funding is not downloaded. */
  binanceFuturesApiUrl?: string;
  /** Base URL of the alternative.me API, e.g. `https://api.alternative.me`. */
  fgiApiUrl: string;
  /** Current time, Unix ms (decides which downloaded files are final or stale). */
  now: () => number;
}

/** The context from the environment (lib/env.ts) and the system clock. */
export function contextFromEnv(): MarketDataContext {
  const env = getEnv();
  return {
    marketDataDir: env.marketDataDir,
    freqtradeDataDir: env.freqtradeDataDir,
    downloadDir: env.downloadDir,
    binanceApiUrl: env.BINANCE_API_URL,
    binanceFuturesApiUrl: env.BINANCE_FUTURES_API_URL,
    fgiApiUrl: env.FGI_API_URL,
    now: Date.now,
  };
}
