'use client';
/**
 * The phone's sticky result bar (SPEC §8: the result stays in view while the thresholds are
 * dragged): return, max drawdown, a small equity sparkline and the source badge of the result on
 * screen. Shown only on narrow screens (CSS), pinned to the top of the viewport; memoised, so
 * it redraws only when a new result (or loading state) arrives.
 */
import { memo, useMemo } from 'react';
import { resultSource } from '@/lib/client/api-types';
import { formatNumber } from '@/lib/client/format';
import type { LiveBacktest } from '@/lib/client/use-live-backtest';
import type { DetailPoint } from '@/lib/engine/types';
import { ResultBadge } from './result-badge';
import styles from './backtester.module.css';

/** `points` attribute of an SVG polyline of the equity, `width` × `height` px, 1 px inset. */
export function sparklinePoints(points: readonly DetailPoint[], width: number, height: number): string {
  if (points.length < 2) return '';
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    min = Math.min(min, p.equity);
    max = Math.max(max, p.equity);
  }
  const span = max - min || 1;
  return points
    .map((p, i) => `${((i / (points.length - 1)) * (width - 2) + 1).toFixed(1)},${(height - 1 - ((p.equity - min) / span) * (height - 2)).toFixed(1)}`)
    .join(' ');
}

/** The bar; nothing before the first result. */
export const StickySummary = memo(function StickySummary({ live }: { live: LiveBacktest }) {
  const { response, roundTripMs, isLoading } = live;
  const line = useMemo(() => sparklinePoints(response?.detail?.points ?? [], 72, 28), [response]);
  if (!response) return null;
  const r = response.result;
  return (
    <div className={styles.sticky} data-testid="sticky-summary" aria-label="Result summary" role="group">
      <span className={styles.stickyFigure}>
        <span className={styles.stickyLabel}>Return</span>
        <strong className={r.returns > 0 ? styles.gain : r.returns < 0 ? styles.loss : undefined} data-testid="sticky-return">
          {formatNumber(r.returns, { signed: true })} %
        </strong>
      </span>
      <span className={styles.stickyFigure}>
        <span className={styles.stickyLabel}>Drawdown</span>
        <strong>{formatNumber(r.maxDrawdown)} %</strong>
      </span>
      <svg className={styles.sparkline} width={72} height={28} viewBox="0 0 72 28" role="img" aria-label="Equity sparkline">
        <polyline points={line} fill="none" stroke="var(--equity)" strokeWidth={1.5} />
      </svg>
      {roundTripMs !== undefined && (
        <ResultBadge
          source={resultSource(response)}
          roundTripMs={roundTripMs}
          executionTime={r.executionTime}
          cacheAge={response.cacheAge}
          updating={isLoading}
          testId="sticky-badge"
        />
      )}
    </div>
  );
});
