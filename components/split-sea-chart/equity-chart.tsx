'use client';
/**
 * Strategy equity against buy-and-hold (USDT at each bar close, drawn at the close time), synced
 * with the split-sea chart; a pinned result's equity is drawn dashed, its settings in the legend.
 * Memoised: it redraws only for a new result, a new pin or a new zoom. Drawn as SVG paths with
 * the split-sea chart's kit (./svg-chart.tsx), on the same horizontal scale, so it follows a drag.
 */
import { memo, useMemo } from 'react';
import type { DetailPoint } from '@/lib/engine/types';
import type { Timeframe } from '@/lib/schemas';
import { formatCompact, formatUsdt, formatUtcTime } from '@/lib/client/format';
import type { PinnedResult } from '@/lib/client/pinned-result';
import { extentOf, LEFT_AXIS_WIDTH, linePath, RIGHT_AXIS_WIDTH, TIME_AXIS_HEIGHT, timeScale, timeTicks, valueScale, valueTicks } from '@/lib/client/chart-geometry';
import { atBarClose, inRange, type ChartPoint, type TimeRange } from '@/lib/client/zone-split';
import { ChartFrame, GridLines, TimeAxis, useChartBox, ValueAxis } from './svg-chart';
import styles from './split-sea-chart.module.css';

const EQUITY_SIZE = { width: 800, height: 170 };

/** Strategy and buy-and-hold equity at the hovered bar close. */
function EquityTooltip({ point }: { point: ChartPoint }) {
  return (
    <div className={styles.tooltip} role="status">
      <div className={styles.tooltipTime}>Bar close {formatUtcTime(point.time)}</div>
      <dl>
        <dt>Strategy</dt>
        <dd>{formatUsdt(point.equity)}</dd>
        <dt>Buy &amp; hold</dt>
        <dd>{formatUsdt(point.buyAndHold)}</dd>
      </dl>
    </div>
  );
}

/** Props: the result's points and bar length, an optional pinned result and zoom. */
export interface EquityChartProps {
  points: readonly DetailPoint[];
  timeframe: Timeframe;
  pinned?: PinnedResult | null;
  zoom?: TimeRange | null;
}

/** Two lines over the same bars as the split-sea chart, plus the pinned equity (dashed). */
export const EquityChart = memo(function EquityChart({ points: detailPoints, timeframe, pinned, zoom }: EquityChartProps) {
  const all = useMemo(() => atBarClose(detailPoints, timeframe), [detailPoints, timeframe]);
  const points = useMemo(() => inRange(all, zoom) as ChartPoint[], [all, zoom]);
  // A pinned result on other dates is drawn only where it overlaps the shown bars.
  const pinnedPoints = useMemo(() => {
    if (!pinned || points.length === 0) return null;
    return inRange(pinned.points, { from: points[0].time, to: points[points.length - 1].time }) as ChartPoint[];
  }, [pinned, points]);
  const box = useChartBox(EQUITY_SIZE);
  const { size } = box;
  const drawn = useMemo(() => {
    const box = { ...size, top: 4, right: RIGHT_AXIS_WIDTH + 4, bottom: TIME_AXIS_HEIGHT, left: LEFT_AXIS_WIDTH };
    const x = timeScale(points[0]?.time ?? 0, points[points.length - 1]?.time ?? 0, box);
    const [low, high] = extentOf<ChartPoint>([points, pinnedPoints ?? []], (p) => p.equity);
    const [bhLow, bhHigh] = extentOf<ChartPoint>([points], (p) => p.buyAndHold);
    const y = valueScale(Math.min(low, bhLow), Math.max(high, bhHigh), box);
    return {
      x,
      y,
      axisY: size.height - TIME_AXIS_HEIGHT,
      timeTicks: timeTicks(x),
      valueTicks: valueTicks(y, formatCompact),
      buyAndHold: linePath(points, (p) => p.buyAndHold, x, y),
      equity: linePath(points, (p) => p.equity, x, y),
      pinned: pinnedPoints && linePath(pinnedPoints, (p) => p.equity, x, y),
    };
  }, [points, pinnedPoints, size]);
  const [left, right] = drawn.x.range();
  return (
    <figure className={styles.figure} aria-label="Equity of the strategy against buy-and-hold, USDT">
      <ul className={styles.legend} aria-label="Equity legend">
        <li>
          <span className={styles.line} style={{ background: 'var(--equity)' }} aria-hidden="true" />
          Strategy equity
        </li>
        <li>
          <span className={styles.line} style={{ background: 'var(--buy-and-hold)' }} aria-hidden="true" />
          Buy &amp; hold
        </li>
        {pinned && (
          <li data-testid="pinned-legend">
            <span className={styles.dashed} aria-hidden="true" />
            Pinned: {pinned.label}
          </li>
        )}
      </ul>
      <ChartFrame
        className={styles.equity}
        testId="equity-chart"
        name="Equity of the strategy against buy-and-hold"
        box={box}
        x={drawn.x}
        items={points}
        tooltip={(point) => <EquityTooltip point={point} />}
      >
        <GridLines ticks={drawn.valueTicks} left={left} right={right} />
        <ValueAxis ticks={drawn.valueTicks} x={left} top={drawn.y.range()[1]} bottom={drawn.axisY} side="left" />
        <TimeAxis ticks={drawn.timeTicks} y={drawn.axisY} left={left} right={right} />
        <path d={drawn.buyAndHold} fill="none" stroke="var(--buy-and-hold)" strokeWidth={1.5} data-series="buy-and-hold" />
        {drawn.pinned !== null && (
          <path d={drawn.pinned} fill="none" stroke="var(--pinned)" strokeWidth={1.5} strokeDasharray="6 4" data-series="pinned" />
        )}
        <path d={drawn.equity} fill="none" stroke="var(--equity)" strokeWidth={2} data-series="equity" />
      </ChartFrame>
    </figure>
  );
});
