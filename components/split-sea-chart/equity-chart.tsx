'use client';
/**
 * Strategy equity against buy-and-hold (USDT at each bar close, drawn at the close time), synced
 * with the split-sea chart; a pinned result's equity is drawn dashed, its settings in the legend.
 * Memoised: it redraws only for a new result, a new pin or a new zoom.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DetailPoint } from '@/lib/engine/types';
import type { Timeframe } from '@/lib/schemas';
import { formatCompact, formatUsdt, formatUtcTime } from '@/lib/client/format';
import type { PinnedResult } from '@/lib/client/pinned-result';
import { atBarClose, inRange, type ChartPoint, type TimeRange } from '@/lib/client/zone-split';
import { AXIS_TICK, CHART_SYNC_ID, chartImage, HORIZONTAL_GRID, LEFT_AXIS_WIDTH, RIGHT_AXIS_WIDTH, timeAxisProps } from './split-sea-chart';
import styles from './split-sea-chart.module.css';

interface EquityTooltipProps {
  active?: boolean;
  payload?: readonly { payload?: ChartPoint }[];
}

function EquityTooltip({ active, payload }: EquityTooltipProps) {
  const point = payload?.[0]?.payload;
  if (!active || !point) return null;
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
  const pinnedPoints = useMemo(() => (pinned ? (inRange(pinned.points, zoom) as ChartPoint[]) : null), [pinned, zoom]);
  const first = points[0]?.time ?? 0;
  const last = points[points.length - 1]?.time ?? 0;
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
      <div className={styles.equity} data-testid="equity-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 160 }}>
          <LineChart
            data={points}
            syncId={CHART_SYNC_ID}
            margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
            {...chartImage('Equity of the strategy against buy-and-hold')}
          >
            <CartesianGrid {...HORIZONTAL_GRID} />
            <XAxis {...timeAxisProps(first, last)} allowDataOverflow />
            <YAxis domain={['auto', 'auto']} width={LEFT_AXIS_WIDTH} tick={AXIS_TICK} tickFormatter={formatCompact} stroke="var(--border)" />
            <YAxis yAxisId="spacer" orientation="right" width={RIGHT_AXIS_WIDTH} tick={false} stroke="none" />
            <Line dataKey="buyAndHold" stroke="var(--buy-and-hold)" strokeWidth={1.5} dot={false} isAnimationActive={false} data-series="buy-and-hold" />
            {pinnedPoints && (
              <Line
                data={pinnedPoints}
                dataKey="equity"
                name="pinned"
                stroke="var(--pinned)"
                strokeWidth={1.5}
                strokeDasharray="6 4"
                dot={false}
                activeDot={false}
                isAnimationActive={false}
                data-series="pinned"
              />
            )}
            <Line dataKey="equity" stroke="var(--equity)" strokeWidth={2} dot={false} isAnimationActive={false} data-series="equity" />
            <Tooltip content={<EquityTooltip />} cursor={{ stroke: 'var(--muted)' }} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
