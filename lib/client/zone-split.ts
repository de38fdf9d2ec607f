/**
 * Shapes the chart detail (SPEC §6 `detail.points`) into rows for the split-sea chart: the FGI
 * known at each bar close is cut by the threshold lines into stacked slices — extreme fear, fear,
 * neutral, greed, extreme greed — whose sum is the FGI itself, so stacked areas draw the FGI as
 * water coloured by zone. The position becomes a long/short band. Points are placed at their bar's
 * close time (when their close, FGI, equity and position are known), fill markers at the fill's
 * time (a bar open), so a fill at the open sits on the previous close.
 */
import type { DetailPoint, Trade } from '../engine/types';
import { INTERVAL_MS } from '../market-data/intervals';
import type { BacktestParams, Timeframe } from '../schemas';

/** Names of the FGI zones, bottom to top. */
export const ZONES = ['extremeFear', 'fear', 'neutral', 'greed', 'extremeGreed'] as const;
export type ZoneName = (typeof ZONES)[number];

/** Threshold lines on the FGI scale (0–100). Extreme thresholds are optional and come together. */
export interface ZoneThresholds {
  low: number;
  high: number;
  extremeLow?: number;
  extremeHigh?: number;
}

/** The thresholds a result was computed with (its `params`), extremes only when it used them. */
export function thresholdsOf(params: BacktestParams): ZoneThresholds {
  const { lowThreshold: low, highThreshold: high, extremeLowThreshold: extremeLow, extremeHighThreshold: extremeHigh } = params;
  return extremeLow !== undefined && extremeHigh !== undefined ? { low, high, extremeLow, extremeHigh } : { low, high };
}

/** A detail point placed on the chart's time axis. */
export interface ChartPoint extends Omit<DetailPoint, 'time'> {
  /** Close time of the point's bar (open time + bar length), Unix ms UTC. */
  time: number;
}

/** The points at their bar close: `time` becomes open time + the length of a `timeframe` bar. */
export function atBarClose(points: readonly DetailPoint[], timeframe: Timeframe): ChartPoint[] {
  const intervalMs = INTERVAL_MS[timeframe];
  return points.map((p) => ({ ...p, time: p.time + intervalMs }));
}

/** The FGI value split into zone slices (FGI points); all null when the FGI is unknown. */
export type ZoneSlices = Record<ZoneName, number | null>;

/** One chart row: the point at its bar close, its zone slices and the position band (1 or 0 each). */
export interface SplitSeaRow extends ChartPoint, ZoneSlices {
  /** 1 while long at the bar close, else 0. */
  long: number;
  /** 1 while short at the bar close, else 0. */
  short: number;
  /** Zone the FGI value lies in (null when unknown). */
  zone: ZoneName | null;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Splits one FGI value at the thresholds: fear = min(fgi, low), neutral = clamp(fgi − low, 0,
 * high − low), greed = max(fgi − high, 0); with extreme thresholds the outer parts of fear and
 * greed become extremeFear = min(fgi, extremeLow) and extremeGreed = max(fgi − extremeHigh, 0).
 * The slices sum to `fgi`. Without extreme thresholds both extreme slices are 0.
 */
export function splitFgi(fgi: number | null, t: ZoneThresholds): ZoneSlices {
  if (fgi === null || !Number.isFinite(fgi)) {
    return { extremeFear: null, fear: null, neutral: null, greed: null, extremeGreed: null };
  }
  const extremeLow = t.extremeLow ?? 0;
  const extremeHigh = t.extremeHigh ?? 100;
  return {
    extremeFear: Math.min(fgi, extremeLow),
    fear: clamp(fgi - extremeLow, 0, t.low - extremeLow),
    neutral: clamp(fgi - t.low, 0, t.high - t.low),
    greed: clamp(fgi - t.high, 0, extremeHigh - t.high),
    extremeGreed: Math.max(fgi - extremeHigh, 0),
  };
}

/**
 * The zone an FGI value falls in, with the strategy's inclusive rule (SPEC §3): FGI ≤ low is
 * fear, FGI ≥ high is greed, and with extreme thresholds FGI ≤ extremeLow / ≥ extremeHigh is
 * extreme. Null when the FGI is unknown.
 */
export function zoneOf(fgi: number | null, t: ZoneThresholds): ZoneName | null {
  if (fgi === null || !Number.isFinite(fgi)) return null;
  if (t.extremeLow !== undefined && fgi <= t.extremeLow) return 'extremeFear';
  if (t.extremeHigh !== undefined && fgi >= t.extremeHigh) return 'extremeGreed';
  if (fgi <= t.low) return 'fear';
  if (fgi >= t.high) return 'greed';
  return 'neutral';
}

/**
 * Rows for the split-sea chart, one per detail point of a `timeframe` run, in the points' order,
 * each at its bar close (see atBarClose).
 */
export function toSplitSeaRows(points: readonly DetailPoint[], t: ZoneThresholds, timeframe: Timeframe): SplitSeaRow[] {
  return atBarClose(points, timeframe).map((p) => ({
    ...p,
    ...splitFgi(p.fgi, t),
    zone: zoneOf(p.fgi, t),
    long: p.position === 1 ? 1 : 0,
    short: p.position === -1 ? 1 : 0,
  }));
}

/** One marker on the price axis: time (Unix ms UTC, a bar open or the last close) and price (USDT) of a fill, and its trade's index in the list. */
export interface TradeMarker {
  time: number;
  price: number;
  side: Trade['side'];
  trade: number;
}

/** Entry, exit and liquidation markers of a trade list (a liquidated trade's exit is a liquidation). */
export function tradeMarkers(trades: readonly Trade[]): {
  entries: TradeMarker[];
  exits: TradeMarker[];
  liquidations: TradeMarker[];
} {
  const entries: TradeMarker[] = [];
  const exits: TradeMarker[] = [];
  const liquidations: TradeMarker[] = [];
  trades.forEach((trade, index) => {
    entries.push({ time: trade.entryTime, price: trade.entryPrice, side: trade.side, trade: index });
    const exit = { time: trade.exitTime, price: trade.exitPrice, side: trade.side, trade: index };
    (trade.exitReason === 'liquidation' ? liquidations : exits).push(exit);
  });
  return { entries, exits, liquidations };
}

/** A zoomed time range of the charts (Unix ms UTC, inclusive). */
export interface TimeRange {
  from: number;
  to: number;
}

/** The items of `items` whose `time` lies in `range` (all of them without a range). */
export function inRange<T extends { time: number }>(items: readonly T[], range: TimeRange | null | undefined): readonly T[] {
  return range ? items.filter((item) => item.time >= range.from && item.time <= range.to) : items;
}
