'use client';
/** Strategy equity against buy-and-hold (USDT at each bar close, drawn at the close time), synced with the split-sea chart. */
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DetailPoint } from '@/lib/engine/types';
import type { Timeframe } from '@/lib/schemas';
import { formatCompact, formatUsdt, formatUtcTime, timeTickFormatter } from '@/lib/client/format';
import { atBarClose, type ChartPoint } from '@/lib/client/zone-split';
import { AXIS_TICK, CHART_SYNC_ID, LEFT_AXIS_WIDTH, RIGHT_AXIS_WIDTH } from './split-sea-chart';
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

/** Two lines over the same bars as the split-sea chart (`timeframe`: the bars' length). */
export function EquityChart({ points: detailPoints, timeframe }: { points: readonly DetailPoint[]; timeframe: Timeframe }) {
  const points = useMemo(() => atBarClose(detailPoints, timeframe), [detailPoints, timeframe]);
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
      </ul>
      <div className={styles.equity} data-testid="equity-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 160 }}>
          <LineChart data={points} syncId={CHART_SYNC_ID} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={[first, last]}
              tickFormatter={timeTickFormatter(last - first)}
              tick={AXIS_TICK}
              stroke="var(--border)"
              minTickGap={24}
              height={20}
            />
            <YAxis domain={['auto', 'auto']} width={LEFT_AXIS_WIDTH} tick={AXIS_TICK} tickFormatter={formatCompact} stroke="var(--border)" />
            <YAxis yAxisId="spacer" orientation="right" width={RIGHT_AXIS_WIDTH} tick={false} stroke="none" />
            <Line dataKey="buyAndHold" stroke="var(--buy-and-hold)" strokeWidth={1.5} dot={false} isAnimationActive={false} data-series="buy-and-hold" />
            <Line dataKey="equity" stroke="var(--equity)" strokeWidth={2} dot={false} isAnimationActive={false} data-series="equity" />
            <Tooltip content={<EquityTooltip />} cursor={{ stroke: 'var(--muted)' }} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
