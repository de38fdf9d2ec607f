/**
 * Builds a MarketSeries from plain arrays for hand-computed engine tests. Bars are consecutive
 * (no gaps) from `start` unless `openTime` is given; high/low default to max/min of open and close.
 */
import type { MarketSeries } from '../../lib/market-data/types';
import type { Asset, Timeframe } from '../../lib/schemas';

const INTERVAL_MS: Record<Timeframe, number> = { '15m': 900_000, '1h': 3_600_000, '4h': 14_400_000 };

export interface SyntheticBars {
  open: number[];
  close: number[];
  /** FGI known at each bar's close; NaN where none. */
  fgi: number[];
  /** Funding settled in each bar (fraction); NaN = not covered. Default: all NaN (fixed rate). */
  fundingRate?: number[];
  high?: number[];
  low?: number[];
  /** Explicit open times (Unix ms), e.g. to make a gap. */
  openTime?: number[];
  /** Open time of the first bar when `openTime` is not given. Default 2024-01-01 00:00 UTC. */
  start?: number;
  timeframe?: Timeframe;
  asset?: Asset;
}

/** A MarketSeries over the given bars (volume 1, dataVersion `synthetic`). */
export function syntheticSeries(bars: SyntheticBars): MarketSeries {
  const n = bars.open.length;
  for (const [name, values] of Object.entries(bars)) {
    if (Array.isArray(values) && values.length !== n) throw new Error(`${name} has ${values.length} bars, open has ${n}`);
  }
  const timeframe = bars.timeframe ?? '4h';
  const asset = bars.asset ?? 'ETH';
  const intervalMs = INTERVAL_MS[timeframe];
  const start = bars.start ?? Date.UTC(2024, 0, 1);
  const openTime = bars.openTime ?? bars.open.map((_, i) => start + i * intervalMs);
  return {
    asset,
    symbol: `${asset}USDT`,
    timeframe,
    intervalMs,
    openTime: Float64Array.from(openTime),
    open: Float64Array.from(bars.open),
    high: Float64Array.from(bars.high ?? bars.open.map((o, i) => Math.max(o, bars.close[i]))),
    low: Float64Array.from(bars.low ?? bars.open.map((o, i) => Math.min(o, bars.close[i]))),
    close: Float64Array.from(bars.close),
    volume: new Float64Array(n).fill(1),
    fgi: Float64Array.from(bars.fgi),
    fundingRate: bars.fundingRate ? Float64Array.from(bars.fundingRate) : new Float64Array(n).fill(Number.NaN),
    gaps: [],
    dataVersion: 'synthetic',
    sources: [],
  };
}

/** Open time of bar `i` of a gap-free series from 2024-01-01 00:00 UTC with the given timeframe. */
export function syntheticOpenTime(i: number, timeframe: Timeframe = '4h'): number {
  return Date.UTC(2024, 0, 1) + i * INTERVAL_MS[timeframe];
}
