/**
 * Shapes of the in-memory market data. Client-safe (types only).
 */
import type { Asset, Timeframe } from '../schemas';
import type { KlineColumns } from './klines';

/** A run of missing bars: `from` is the open time of the first missing bar, `to` of the last (Unix ms, UTC). */
export interface Gap {
  from: number;
  to: number;
  /** Number of missing bars. */
  bars: number;
}

/**
 * One (asset, timeframe) price series joined point-in-time with the FGI, held as typed arrays.
 * Index i is one bar [openTime[i], openTime[i] + intervalMs). Arrays are sorted by open time,
 * never contain invented bars (gaps stay gaps) and are shared read-only by every caller.
 */
export interface MarketSeries extends KlineColumns {
  asset: Asset;
  /** Binance spot symbol, e.g. `ETHUSDT`. */
  symbol: string;
  timeframe: Timeframe;
  /** Bar length in ms. */
  intervalMs: number;
  /**
   * FGI value known at each bar's close (openTime + intervalMs): the value of the latest UTC day
   * D with D 00:00 ≤ close time, carrying the previous value over days the source lacks.
   * NaN where no FGI value is known at that close (before the first FGI day, or from the day
   * after the last one).
   */
  fgi: Float64Array;
  /**
   * Funding of the asset's USDT-M perpetual settled during each bar (SPEC §2): the sum of the
   * rates (fractions, 0.0001 = 0.01 %) of the settlements with open time < T ≤ close time, when
   * the bar is covered by the funding history (some settlement lies in [close time − 8 h, close
   * time]); NaN when it is not (the engine then charges the fixed rate of SPEC §3).
   */
  fundingRate: Float64Array;
  /** Missing-bar runs inside the series. */
  gaps: Gap[];
  /** Short hash of the bar, FGI and funding values; changes whenever the loaded data changes. */
  dataVersion: string;
  /** Files the series was read from (relative to the market-data folder or cache). */
  sources: string[];
}

/** One row of the coverage table (`npm run data:info`, `GET /api/market-data`). */
export interface CoverageEntry {
  /** e.g. `BTCUSDT`, or `FGI` for the Fear & Greed Index. */
  symbol: string;
  /** `15m`, `1h`, `4h`, or `1d` for the FGI. */
  interval: string;
  /** ISO UTC open time of the first bar (or first FGI day). */
  first: string;
  /** ISO UTC open time of the last bar (or last FGI day). */
  last: string;
  bars: number;
  gaps: Gap[];
}

/**
 * The daily Fear & Greed Index (alternative.me) after merging its sources: one value (0–100) per
 * UTC day that has one, sorted by day. Days the source lacks are absent (not filled).
 */
export interface FgiSeries {
  /** Day start, Unix ms at 00:00 UTC; the value is known from that instant on. */
  day: Float64Array;
  /** Index value 0–100 for each day. */
  value: Float64Array;
  /** Files the values were read from (relative to the market-data folder or project root). */
  sources: string[];
}

/** A run longer than 8 h without a funding settlement: the settlement times bounding it (Unix ms UTC; `data:info --json` prints them as ISO). */
export interface FundingGap {
  from: number;
  to: number;
}

/** One funding row of the coverage (`npm run data:info`, `GET /api/market-data`): one per symbol with a funding history. */
export interface FundingCoverage {
  /** Binance USDT-M perpetual symbol, e.g. `BTCUSDT`. */
  symbol: string;
  interval: 'funding';
  /** ISO UTC time of the first settlement (bars before it use the fixed rate). */
  first: string;
  /** ISO UTC time of the last settlement. */
  last: string;
  /** Number of settlements after merging. */
  settlements: number;
  /** Runs longer than 8 h between settlements (bars inside use the fixed rate). */
  gaps: FundingGap[];
  /** Settlement times at which two files disagreed (the higher-precedence rate was kept). */
  conflicts: number;
}

/** A spot series that could not be loaded, with the reason (the MarketDataError message). */
export interface UnavailableSeries {
  /** e.g. `ETHUSDT`. */
  symbol: string;
  /** `15m`, `1h` or `4h`. */
  interval: string;
  error: string;
}
