'use client';
/**
 * The split-sea chart (SPEC §8): the FGI known at each bar close drawn as water split by the
 * threshold lines into fear, neutral and greed zones (extreme zones darker when set), the price
 * on a second axis with entry, exit and liquidation markers, and the position as a long/short
 * band underneath. Each point is drawn at its bar's close time, each fill marker at the fill's time
 * (a bar open, i.e. the previous close). Drawn with recharts; data shaping is in
 * lib/client/zone-split.ts. Memoised and fed only by a result (its detail and thresholds) and the
 * zoom, so moving a slider never redraws it; `zoom` narrows it to a time range. The SVGs are
 * images with a name (role img + title), not Tab stops.
 */
import { memo, useMemo } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BacktestDetail } from '@/lib/engine/types';
import type { Timeframe } from '@/lib/schemas';
import { formatCompact, timeTickFormatter } from '@/lib/client/format';
import { inRange, toSplitSeaRows, tradeMarkers, type SplitSeaRow, type TimeRange, type TradeMarker, type ZoneName, type ZoneThresholds } from '@/lib/client/zone-split';
import { useNextTaskValue } from '@/lib/client/use-paced-value';
import { ChartTooltip } from './chart-tooltip';
import { ChartLegend } from './chart-legend';
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

/** Chart sync group shared with the equity chart (tooltips follow the same bar). */
export const CHART_SYNC_ID = 'split-sea';

/** Axis tick style shared by the charts. */
export const AXIS_TICK = { fill: 'var(--muted)', fontSize: 11 };
/** Widths of the left (FGI, equity) and right (price) axes, px: equal in all charts so bars line up. */
export const LEFT_AXIS_WIDTH = 40;
export const RIGHT_AXIS_WIDTH = 48;

/**
 * Props of the charts' grid: horizontal lines only. recharts computes the vertical lines' ticks
 * (measuring tick labels) even with `vertical={false}`; an empty generator skips that work.
 */
export const HORIZONTAL_GRID = { stroke: 'var(--grid)', vertical: false, verticalCoordinatesGenerator: () => [] } as const;

/** Props every chart SVG gets: no recharts keyboard layer (not a Tab stop), an image role and a name. */
export const chartImage = (name: string) => ({ accessibilityLayer: false, role: 'img', title: name }) as const;

/** XAxis props of a chart over bar times (Unix ms) from `first` to `last`: ticks as UTC dates or times. */
export const timeAxisProps = (first: number, last: number) =>
  ({
    dataKey: 'time',
    type: 'number',
    scale: 'time',
    domain: [first, last],
    tickFormatter: timeTickFormatter(last - first),
    tick: AXIS_TICK,
    stroke: 'var(--border)',
    minTickGap: 24,
    height: 20,
  }) as const;

/** The shared time axis of the main chart (hidden) and the position band (shown), over `rows`. */
function timeAxis(rows: readonly SplitSeaRow[], hide: boolean) {
  return <XAxis {...timeAxisProps(rows[0]?.time ?? 0, rows[rows.length - 1]?.time ?? 0)} hide={hide} />;
}

/**
 * The long/short band under the main chart, with the visible time axis. Each row holds the
 * position at its bar's close, i.e. during that bar: step back to the previous close.
 */
const PositionBand = memo(function PositionBand({ rows }: { rows: readonly SplitSeaRow[] }) {
  return (
    <div className={styles.band} data-testid="position-band">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 40 }}>
        <AreaChart
          data={rows as SplitSeaRowList}
          syncId={CHART_SYNC_ID}
          margin={{ top: 0, right: RIGHT_AXIS_WIDTH + 4, bottom: 0, left: LEFT_AXIS_WIDTH }}
          {...chartImage('Position band: long or short at each bar close')}
        >
          {timeAxis(rows, false)}
          <YAxis domain={[0, 1]} hide />
          <Area dataKey="long" type="stepBefore" stroke="none" fill="var(--long)" fillOpacity={0.85} isAnimationActive={false} activeDot={false} data-position="long" />
          <Area dataKey="short" type="stepBefore" stroke="none" fill="var(--short)" fillOpacity={0.85} isAnimationActive={false} activeDot={false} data-position="short" />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
});

/**
 * FGI zones over time with price, markers and the position band. The band draws a new result one
 * task after the main chart (useNextTaskValue), so the two recharts redraws are separate tasks.
 */
export const SplitSeaChart = memo(function SplitSeaChart({ detail, timeframe, thresholds, zoom }: SplitSeaChartProps) {
  const allRows = useMemo(() => toSplitSeaRows(detail.points, thresholds, timeframe), [detail.points, thresholds, timeframe]);
  const rows = useMemo(() => inRange(allRows, zoom), [allRows, zoom]);
  const markers = useMemo(() => {
    const all = tradeMarkers(detail.trades);
    return { entries: inRange(all.entries, zoom), exits: inRange(all.exits, zoom), liquidations: inRange(all.liquidations, zoom) };
  }, [detail.trades, zoom]);
  const markerSeries = [
    [markers.entries, EntryMarker, 'Entries'],
    [markers.exits, ExitMarker, 'Exits'],
    [markers.liquidations, LiquidationMarker, 'Liquidations'],
  ] as const;
  const hasExtremes = thresholds.extremeLow !== undefined && thresholds.extremeHigh !== undefined;
  const zones: ZoneName[] = hasExtremes
    ? ['extremeFear', 'fear', 'neutral', 'greed', 'extremeGreed']
    : ['fear', 'neutral', 'greed'];
  const bandRows = useNextTaskValue(rows);
  const lines: [number | undefined, string][] = [
    [thresholds.extremeLow, 'extreme-low'],
    [thresholds.low, 'low'],
    [thresholds.high, 'high'],
    [thresholds.extremeHigh, 'extreme-high'],
  ];

  return (
    <figure className={styles.figure} aria-label="FGI split into fear, neutral and greed zones, with price and position">
      <ChartLegend zones={zones} thresholds={thresholds} />
      <div className={styles.main} data-testid="split-sea-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 300 }}>
          {/* recharts stacks areas in the order they first mounted: remount when the zone set changes. */}
          <ComposedChart
            key={zones.join()}
            data={rows as SplitSeaRowList}
            syncId={CHART_SYNC_ID}
            margin={{ top: 8, right: 4, bottom: 0, left: 0 }}
            {...chartImage('FGI zones and price')}
          >
            <CartesianGrid {...HORIZONTAL_GRID} />
            {timeAxis(rows, true)}
            <YAxis yAxisId="fgi" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} width={LEFT_AXIS_WIDTH} tick={AXIS_TICK} stroke="var(--border)" />
            <YAxis
              yAxisId="price"
              orientation="right"
              domain={['auto', 'auto']}
              width={RIGHT_AXIS_WIDTH}
              tick={AXIS_TICK}
              tickFormatter={formatCompact}
              stroke="var(--border)"
            />
            {zones.map((zone) => (
              <Area
                key={zone}
                yAxisId="fgi"
                dataKey={zone}
                stackId="fgi"
                type="stepAfter"
                stroke="none"
                fill={ZONE_FILL[zone]}
                fillOpacity={0.9}
                isAnimationActive={false}
                activeDot={false}
                data-zone={ZONE_ATTR[zone]}
              />
            ))}
            {lines.map(([y, name]) =>
              y === undefined ? null : (
                <ReferenceLine
                  key={name}
                  yAxisId="fgi"
                  y={y}
                  className={styles.thresholdLine}
                  stroke="var(--text)"
                  strokeDasharray={name.startsWith('extreme') ? '2 4' : '6 4'}
                  strokeOpacity={0.7}
                  data-threshold={name}
                />
              ),
            )}
            <Line
              yAxisId="price"
              dataKey="price"
              type="linear"
              stroke="var(--price)"
              strokeWidth={1.5}
              dot={false}
              activeDot={{ r: 3 }}
              isAnimationActive={false}
              data-series="price"
            />
            {/* recharts draws a Scatter with empty data from the chart's rows: skip empty ones. */}
            {markerSeries.map(([data, shape, name]) =>
              data.length === 0 ? null : (
                <Scatter key={name} name={name} yAxisId="price" data={data as TradeMarker[]} dataKey="price" shape={shape} isAnimationActive={false} />
              ),
            )}
            <Tooltip content={<ChartTooltip />} cursor={{ stroke: 'var(--muted)' }} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <PositionBand rows={bandRows} />
    </figure>
  );
});

type SplitSeaRowList = SplitSeaRow[];
