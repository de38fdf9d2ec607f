/**
 * Geometry of the split-sea figure's SVG charts — the split-sea chart, its position band and the
 * equity chart — in px of the chart's box: scales and ticks from d3-scale, paths from d3-shape.
 * Pure: rows in, path strings and tick positions out. The charts draw these few paths themselves
 * instead of through recharts, whose redraw of one 600-point result took 80–250 ms of main thread
 * (over SPEC §8's 50 ms frame budget) and so could not follow a slider drag; see docs/page.md.
 */
import { scaleLinear, scaleUtc, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { area, curveStepAfter, curveStepBefore, line } from 'd3-shape';
import { timeTickFormatter } from './format';
import { ZONES, type SplitSeaRow, type ZoneName } from './zone-split';

/** Width of the left axis (FGI, equity), px; the zoom brush uses the same so bars line up. */
export const LEFT_AXIS_WIDTH = 40;
/** Width of the right axis (price), px; the equity chart keeps it empty for the same reason. */
export const RIGHT_AXIS_WIDTH = 48;
/** Height of a visible time axis under a plot, px. */
export const TIME_AXIS_HEIGHT = 20;
/** Decimal places of path coordinates (px): enough for a sharp line, short strings. */
const DIGITS = 1;

/** A chart's box (px) and the margins around its plot area. */
export interface PlotBox {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Time scale (Unix ms UTC → px) over `[first, last]` across the plot's width; ticks fall on UTC calendar units. */
export function timeScale(first: number, last: number, box: PlotBox): ScaleTime<number, number> {
  return scaleUtc()
    .domain([first, last === first ? first + 1 : last])
    .range([box.left, box.width - box.right]);
}

/**
 * Linear scale of values (FGI points, USDT) → px, low values at the bottom of the plot.
 * `nice` widens the domain to round ticks (recharts' `auto` domain); an empty span becomes ±1.
 */
export function valueScale(min: number, max: number, box: PlotBox, nice = true): ScaleLinear<number, number> {
  const [lo, hi] = Number.isFinite(min) && Number.isFinite(max) ? (min === max ? [min - 1, max + 1] : [min, max]) : [0, 1];
  const scale = scaleLinear().domain([lo, hi]).range([box.height - box.bottom, box.top]);
  return nice ? scale.nice(5) : scale;
}

/** Smallest and largest finite value of `key` over all `series` (±Infinity when none). */
export function extentOf<T>(series: readonly (readonly T[])[], value: (item: T) => number | null): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const items of series) {
    for (const item of items) {
      const v = value(item);
      if (v === null || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return [min, max];
}

/** One axis tick: its position (px along the axis) and label. */
export interface Tick {
  at: number;
  label: string;
}

/** Time ticks about every 100 px, labelled as UTC months, dates or times by the shown span. */
export function timeTicks(x: ScaleTime<number, number>): Tick[] {
  const [from, to] = x.domain().map(Number);
  const [left, right] = x.range();
  const format = timeTickFormatter(to - from);
  return x.ticks(Math.max(2, Math.floor((right - left) / 100))).map((date) => ({ at: x(date), label: format(+date) }));
}

/** About `count` round value ticks of `y`, labelled by `format`. */
export function valueTicks(y: ScaleLinear<number, number>, format: (value: number) => string, count = 5): Tick[] {
  return y.ticks(count).map((value) => ({ at: y(value), label: format(value) }));
}

/**
 * The FGI water of each zone in `zones` (bottom to top) as a stacked step area: a row's slice
 * (lib/client/zone-split.ts splitFgi) holds from its bar close to the next, and a zone's area
 * sits on the slices of the zones below it, so the stack's top is the FGI itself. Rows with an
 * unknown FGI leave a gap.
 */
export function zoneAreas(rows: readonly SplitSeaRow[], zones: readonly ZoneName[], x: ScaleTime<number, number>, y: ScaleLinear<number, number>): Partial<Record<ZoneName, string>> {
  const paths: Partial<Record<ZoneName, string>> = {};
  const below = new Float64Array(rows.length);
  for (const zone of ZONES) {
    if (!zones.includes(zone)) continue;
    const shape = area<SplitSeaRow>()
      .curve(curveStepAfter)
      .digits(DIGITS)
      .defined((row) => row[zone] !== null)
      .x((row) => x(row.time))
      .y0((_, i) => y(below[i]))
      .y1((row, i) => y(below[i] + (row[zone] ?? 0)));
    paths[zone] = shape(rows as SplitSeaRow[]) ?? '';
    rows.forEach((row, i) => (below[i] += row[zone] ?? 0));
  }
  return paths;
}

/** A polyline through the points' `value` (gaps where it is null), as an SVG path. */
export function linePath<T extends { time: number }>(points: readonly T[], value: (point: T) => number | null, x: ScaleTime<number, number>, y: ScaleLinear<number, number>): string {
  return (
    line<T>()
      .digits(DIGITS)
      .defined((point) => value(point) !== null)
      .x((point) => x(point.time))
      .y((point) => y(value(point) ?? 0))(points as T[]) ?? ''
  );
}

/**
 * The band of one position side between `top` and `bottom` (px): filled over the bars during
 * which `inPosition` holds. A row holds the position at its bar close, i.e. during the bar
 * that ended there, so each step reaches back to the previous close.
 */
export function positionBand(rows: readonly SplitSeaRow[], inPosition: (row: SplitSeaRow) => boolean, x: ScaleTime<number, number>, top: number, bottom: number): string {
  return (
    area<SplitSeaRow>()
      .curve(curveStepBefore)
      .digits(DIGITS)
      .x((row) => x(row.time))
      .y0(bottom)
      .y1((row) => (inPosition(row) ? top : bottom))(rows as SplitSeaRow[]) ?? ''
  );
}

/** Index of the item whose `time` is nearest to `time` in items sorted by time (−1 when empty). */
export function nearestIndex(items: readonly { time: number }[], time: number): number {
  if (items.length === 0) return -1;
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && time - items[lo - 1].time < items[lo].time - time ? lo - 1 : lo;
}
