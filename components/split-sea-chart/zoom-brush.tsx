'use client';
/**
 * Zoom brush under the split-sea chart: the whole window's price as a thin line with a recharts
 * Brush over it; dragging its handles (or the keyboard on the handles) zooms both charts to that
 * sub-range. Kept client-side: the result's ≤ 600 chart points are sliced, nothing is
 * re-requested. The zoom is a time range, so it survives a new result on the same window.
 */
import { memo, useMemo } from 'react';
import { Brush, Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';
import type { DetailPoint } from '@/lib/engine/types';
import type { Timeframe } from '@/lib/schemas';
import { formatUtcTime } from '@/lib/client/format';
import { atBarClose, type TimeRange } from '@/lib/client/zone-split';
import { chartImage } from '@/components/ui/recharts-props';
import { LEFT_AXIS_WIDTH, RIGHT_AXIS_WIDTH } from '@/lib/client/chart-geometry';
import styles from './split-sea-chart.module.css';

/** Props: the result's points, their bar length, the zoom and its change handler (null = whole window). */
export interface ZoomBrushProps {
  points: readonly DetailPoint[];
  timeframe: Timeframe;
  zoom: TimeRange | null;
  onZoom: (zoom: TimeRange | null) => void;
}

/** Index of the first point at or after `time` (the last index when none). */
function indexAtOrAfter(times: readonly number[], time: number): number {
  const index = times.findIndex((t) => t >= time);
  return index < 0 ? times.length - 1 : index;
}

/** Index of the last point at or before `time` (0 when none). */
function indexAtOrBefore(times: readonly number[], time: number): number {
  for (let i = times.length - 1; i >= 0; i--) if (times[i] <= time) return i;
  return 0;
}

/**
 * True when `a` and `b` cover the same window (same first and last bar). Two results on one
 * window have the same prices; their ≤ 600 chart points are thinned around each one's own
 * trades, so the points differ slightly, but the brush's price line would look the same.
 */
function sameWindow(a: readonly DetailPoint[], b: readonly DetailPoint[]): boolean {
  if (a === b) return true;
  return a.length > 0 && b.length > 0 && a[0].time === b[0].time && a[a.length - 1].time === b[b.length - 1].time;
}

/**
 * The brush strip with a reset button. Memoised on the window (sameWindow), so a new result on
 * the same window (a threshold drag) does not redraw it.
 */
export const ZoomBrush = memo(function ZoomBrush({ points, timeframe, zoom, onZoom }: ZoomBrushProps) {
  const rows = useMemo(() => atBarClose(points, timeframe), [points, timeframe]);
  const times = useMemo(() => rows.map((r) => r.time), [rows]);
  if (rows.length < 3) return null;
  const startIndex = zoom ? indexAtOrAfter(times, zoom.from) : 0;
  const endIndex = zoom ? indexAtOrBefore(times, zoom.to) : rows.length - 1;
  return (
    <div className={styles.brush} data-testid="zoom-brush">
      <div className={styles.brushHeader}>
        <span>Zoom: drag the handles to zoom both charts</span>
        {zoom && (
          <button type="button" className={styles.brushReset} onClick={() => onZoom(null)}>
            Show whole window
          </button>
        )}
      </div>
      <div className={styles.brushPlot}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 44 }}>
          <LineChart
            data={rows}
            margin={{ top: 2, right: RIGHT_AXIS_WIDTH + 4, bottom: 0, left: LEFT_AXIS_WIDTH }}
            {...chartImage('Zoom range over the whole window')}
          >
            <YAxis domain={['auto', 'auto']} hide />
            <Line dataKey="price" stroke="var(--muted)" strokeWidth={1} dot={false} isAnimationActive={false} />
            <Brush
              dataKey="time"
              height={28}
              travellerWidth={12}
              startIndex={startIndex}
              endIndex={endIndex}
              stroke="var(--accent)"
              fill="transparent"
              tickFormatter={(time: number) => formatUtcTime(time).slice(0, 10)}
              onChange={({ startIndex: from, endIndex: to }) => {
                if (from === undefined || to === undefined) return;
                onZoom(from <= 0 && to >= rows.length - 1 ? null : { from: times[from], to: times[to] });
              }}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}, (a, b) => a.timeframe === b.timeframe && a.zoom === b.zoom && a.onZoom === b.onZoom && sameWindow(a.points, b.points));
