'use client';
/**
 * The split-sea chart (SPEC §8): the FGI known at each bar close drawn as water split by the
 * threshold lines into fear, neutral and greed zones (extreme zones darker when set), the price
 * on a second axis with entry, exit and liquidation markers, and the position as a long/short
 * band underneath. Each point is drawn at its bar's close time, each fill marker at the fill's time
 * (a bar open, i.e. the previous close). Drawn as plain SVG paths (lib/client/chart-geometry.ts;
 * data shaping in lib/client/zone-split.ts), so a new result redraws in a few ms and the chart
 * follows a slider drag. Memoised and fed only by a result (its detail and thresholds) and the
 * zoom; `zoom` narrows it to a time range. The SVGs are images with a name (role img + title),
 * not Tab stops; hovering shows the bar's tooltip in every chart of the figure.
 */
import { memo, useMemo } from 'react';
import type { BacktestDetail } from '@/lib/engine/types';
import type { Timeframe } from '@/lib/schemas';
import { formatCompact } from '@/lib/client/format';
import {
  extentOf,
  LEFT_AXIS_WIDTH,
  linePath,
  positionBand,
  RIGHT_AXIS_WIDTH,
  TIME_AXIS_HEIGHT,
  timeScale,
  timeTicks,
  valueScale,
  valueTicks,
  zoneAreas,
  type PlotBox,
} from '@/lib/client/chart-geometry';
import { inRange, toSplitSeaRows, tradeMarkers, ZONES, type SplitSeaRow, type TimeRange, type ZoneName, type ZoneThresholds } from '@/lib/client/zone-split';
import { ChartTooltip } from './chart-tooltip';
import { ChartLegend } from './chart-legend';
import { ChartFrame, GridLines, TimeAxis, useChartBox, ValueAxis } from './svg-chart';
import { EntryMarker, ExitMarker, LiquidationMarker } from './trade-marker-shapes';
import { ZONE_ATTR, ZONE_FILL } from './zone-style';
import styles from './split-sea-chart.module.css';

/** Props: the response's chart detail, the timeframe of its bars, and the threshold lines to split the FGI at. */
export interface SplitSeaChartProps {
  detail: BacktestDetail;
  timeframe: Timeframe;
  thresholds: ZoneThresholds;
  /** Time range to show (all bars when absent). */
  zoom?: TimeRange | null;
}

/** Zones drawn bottom to top without extreme thresholds (with them: all of ZONES). */
const PLAIN_ZONES: readonly ZoneName[] = ['fear', 'neutral', 'greed'];
/** FGI axis ticks (the scale is fixed at 0–100). */
const FGI_TICKS = [0, 25, 50, 75, 100];
const MAIN_SIZE = { width: 800, height: 300 };
const BAND_SIZE = { width: 800, height: 34 };
const BAND_TOP = 2;

/** The box of the main plot: FGI axis on the left, price axis on the right, no time axis (the band has it). */
const mainBox = ({ width, height }: { width: number; height: number }): PlotBox => ({ width, height, top: 8, right: RIGHT_AXIS_WIDTH + 4, bottom: 7, left: LEFT_AXIS_WIDTH });

/** The threshold lines drawn across the FGI water (value, name): dashed, extreme ones dotted. */
function thresholdLines(t: ZoneThresholds): [number, string][] {
  const lines: [number | undefined, string][] = [
    [t.extremeLow, 'extreme-low'],
    [t.low, 'low'],
    [t.high, 'high'],
    [t.extremeHigh, 'extreme-high'],
  ];
  return lines.filter((line): line is [number, string] => line[0] !== undefined);
}

/**
 * The long/short band under the main chart, with the visible time axis, on the main plot's
 * horizontal scale.
 */
const PositionBand = memo(function PositionBand({ rows }: { rows: readonly SplitSeaRow[] }) {
  const box = useChartBox(BAND_SIZE);
  const { size } = box;
  const drawn = useMemo(() => {
    const box = mainBox(size);
    const x = timeScale(rows[0]?.time ?? 0, rows[rows.length - 1]?.time ?? 0, box);
    const axisY = size.height - TIME_AXIS_HEIGHT;
    return {
      x,
      axisY,
      ticks: timeTicks(x),
      long: positionBand(rows, (row) => row.position === 1, x, BAND_TOP, axisY),
      short: positionBand(rows, (row) => row.position === -1, x, BAND_TOP, axisY),
    };
  }, [rows, size]);
  const [left, right] = drawn.x.range();
  return (
    <ChartFrame className={styles.band} testId="position-band" name="Position band: long or short at each bar close" box={box} x={drawn.x} items={rows}>
      <path d={drawn.long} fill="var(--long)" fillOpacity={0.85} data-position="long" />
      <path d={drawn.short} fill="var(--short)" fillOpacity={0.85} data-position="short" />
      <TimeAxis ticks={drawn.ticks} y={drawn.axisY} left={left} right={right} />
    </ChartFrame>
  );
});

/** FGI zones over time with price, markers and the position band. */
export const SplitSeaChart = memo(function SplitSeaChart({ detail, timeframe, thresholds, zoom }: SplitSeaChartProps) {
  const allRows = useMemo(() => toSplitSeaRows(detail.points, thresholds, timeframe), [detail.points, thresholds, timeframe]);
  const rows = useMemo(() => inRange(allRows, zoom), [allRows, zoom]);
  const markers = useMemo(() => {
    const all = tradeMarkers(detail.trades);
    return { entries: inRange(all.entries, zoom), exits: inRange(all.exits, zoom), liquidations: inRange(all.liquidations, zoom) };
  }, [detail.trades, zoom]);
  const zones = thresholds.extremeLow !== undefined && thresholds.extremeHigh !== undefined ? ZONES : PLAIN_ZONES;
  const box = useChartBox(MAIN_SIZE);
  const { size } = box;
  const drawn = useMemo(() => {
    const box = mainBox(size);
    const x = timeScale(rows[0]?.time ?? 0, rows[rows.length - 1]?.time ?? 0, box);
    const fgi = valueScale(0, 100, box, false);
    const [low, high] = extentOf<{ price: number }>([rows, markers.entries, markers.exits, markers.liquidations], (item) => item.price);
    const price = valueScale(low, high, box);
    return {
      x,
      fgi,
      price,
      fgiTicks: FGI_TICKS.map((value) => ({ at: fgi(value), label: String(value) })),
      priceTicks: valueTicks(price, formatCompact),
      zones: zoneAreas(rows, zones, x, fgi),
      priceLine: linePath(rows, (row) => row.price, x, price),
    };
  }, [rows, markers, size, zones]);
  const [left, right] = drawn.x.range();
  const markerSeries = [
    [markers.entries, EntryMarker],
    [markers.exits, ExitMarker],
    [markers.liquidations, LiquidationMarker],
  ] as const;

  return (
    <figure className={styles.figure} aria-label="FGI split into fear, neutral and greed zones, with price and position">
      <ChartLegend zones={zones} thresholds={thresholds} />
      <ChartFrame
        className={styles.main}
        testId="split-sea-chart"
        name="FGI zones and price"
        box={box}
        x={drawn.x}
        items={rows}
        tooltip={(row) => <ChartTooltip row={row} />}
      >
        <GridLines ticks={drawn.fgiTicks} left={left} right={right} />
        {zones.map((zone) => (
          <path key={zone} d={drawn.zones[zone]} fill={ZONE_FILL[zone]} fillOpacity={0.9} data-zone={ZONE_ATTR[zone]} />
        ))}
        {thresholdLines(thresholds).map(([value, name]) => (
          <line
            key={name}
            x1={left}
            x2={right}
            y1={drawn.fgi(value)}
            y2={drawn.fgi(value)}
            className={styles.thresholdLine}
            stroke="var(--text)"
            strokeDasharray={name.startsWith('extreme') ? '2 4' : '6 4'}
            strokeOpacity={0.7}
            data-threshold={name}
          />
        ))}
        <ValueAxis ticks={drawn.fgiTicks} x={left} top={drawn.fgi(100)} bottom={drawn.fgi(0)} side="left" />
        <ValueAxis ticks={drawn.priceTicks} x={right} top={drawn.fgi(100)} bottom={drawn.fgi(0)} side="right" />
        <path d={drawn.priceLine} fill="none" stroke="var(--price)" strokeWidth={1.5} data-series="price" />
        {markerSeries.map(([items, Marker]) =>
          items.map((marker) => <Marker key={`${marker.trade}-${marker.time}`} cx={drawn.x(marker.time)} cy={drawn.price(marker.price)} payload={marker} />),
        )}
      </ChartFrame>
      <PositionBand rows={rows} />
    </figure>
  );
});
