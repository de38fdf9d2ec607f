/**
 * The chart detail of one backtest (SPEC §6): at most `maxDetailPoints` bar-close points and
 * the full trade list. Built only when asked. Client-safe, pure.
 */
import type { MarketSeries } from '../market-data/types';
import type { EngineConfig } from './config';
import type { SimulationRecord } from './simulate';
import type { BacktestDetail, DetailPoint, PositionSide } from './types';
import { firstIndexAtOrAfter } from './window';

/**
 * Window offsets of the bars to draw, ascending, at most `limit` of them. All bars when they fit;
 * otherwise the bars where a trade enters or exits and the last bar are always kept (evenly
 * thinned if they alone exceed the limit), and the remaining budget goes to evenly spaced bars.
 */
export function selectDetailBars(bars: number, mustKeep: readonly number[], limit: number): number[] {
  if (bars <= limit) return Array.from({ length: bars }, (_, k) => k);
  const required = [...new Set([...mustKeep, bars - 1])].sort((a, b) => a - b);
  if (required.length >= limit) return evenlySpaced(required.length, limit).map((k) => required[k]);
  const keep = new Uint8Array(bars);
  for (const k of required) keep[k] = 1;
  for (const k of evenlySpaced(bars, limit - required.length)) keep[k] = 1;
  const selected: number[] = [];
  for (let k = 0; k < bars; k++) if (keep[k]) selected.push(k);
  return selected;
}

/** `count` indices spread evenly over 0..length − 1, always including the last. */
function evenlySpaced(length: number, count: number): number[] {
  if (count <= 0) return [];
  if (count === 1) return [length - 1];
  const step = (length - 1) / (count - 1);
  return Array.from({ length: count }, (_, j) => Math.round(j * step));
}

/**
 * BacktestDetail from a simulation run with `recordEquity`, `recordTrades` and `recordPositions`: points of
 * (bar open time, close, FGI known at the close or null, equity, buy-and-hold equity =
 * capital × close / first open, position at the close) and every trade.
 * @throws Error when the record lacks equity, trades or positions (simulate was not asked for them).
 */
export function buildDetail(
  record: SimulationRecord,
  series: MarketSeries,
  config: Readonly<EngineConfig>,
): BacktestDetail {
  const { trades, positions, equity, window } = record;
  if (!equity || !trades || !positions) {
    throw new Error('buildDetail needs a simulation that recorded equity, trades and positions');
  }
  const { openTime, close, fgi } = series;
  const barOf = (time: number) =>
    Math.min(firstIndexAtOrAfter(openTime, time), window.to - 1) - window.from;
  const tradeBars = trades.flatMap((t) => [barOf(t.entryTime), barOf(t.exitTime)]);
  const firstOpen = series.open[window.from];
  const points: DetailPoint[] = selectDetailBars(equity.length, tradeBars, config.maxDetailPoints).map(
    (k) => {
      const i = window.from + k;
      return {
        time: openTime[i],
        price: close[i],
        fgi: Number.isNaN(fgi[i]) ? null : fgi[i],
        equity: equity[k],
        buyAndHold: (config.capital * close[i]) / firstOpen,
        position: positions[k] as PositionSide,
      };
    },
  );
  return { points, trades };
}
