'use client';
/** The chained out-of-sample equity against buy-and-hold and against the hindsight pair (USDT at bar closes). */
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact, formatUsdt, formatUtcTime } from '@/lib/client/format';
import type { WalkForwardChart as ChartSeries } from '@/lib/walk-forward/types';
import { AXIS_TICK, chartImage, timeAxisProps } from '@/components/ui/recharts-props';
import styles from './walk-forward-panel.module.css';

const SERIES = [
  { key: 'walkForward', name: 'Walk-forward (out of sample)', color: 'var(--equity)', width: 2 },
  { key: 'buyAndHold', name: 'Buy & hold', color: 'var(--buy-and-hold)', width: 1.5 },
  { key: 'hindsight', name: 'Hindsight pair', color: 'var(--muted)', width: 1.5 },
] as const;

/** Three equity lines over the out-of-sample span. */
export function WalkForwardChart({ chart }: { chart: ChartSeries }) {
  const points = useMemo(
    () =>
      chart.time.map((time, i) => ({
        time,
        walkForward: chart.walkForward[i],
        buyAndHold: chart.buyAndHold[i],
        hindsight: chart.hindsight[i],
      })),
    [chart],
  );
  const first = points[0]?.time ?? 0;
  const last = points[points.length - 1]?.time ?? 0;
  return (
    <figure className={styles.figure} aria-label="Out-of-sample equity against buy-and-hold and the hindsight pair, USDT">
      <div className={styles.chart} data-testid="walk-forward-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 220 }}>
          <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} {...chartImage('Walk-forward equity against buy-and-hold and the hindsight pair')}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis {...timeAxisProps(first, last)} />
            <YAxis domain={['auto', 'auto']} width={56} tick={AXIS_TICK} tickFormatter={formatCompact} stroke="var(--border)" />
            {SERIES.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                strokeWidth={s.width}
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
            <Legend verticalAlign="top" height={24} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(time) => `Bar open ${formatUtcTime(Number(time))}`}
              formatter={(value) => (typeof value === 'number' ? formatUsdt(value) : '—')}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
