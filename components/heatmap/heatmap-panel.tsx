'use client';
/**
 * The heatmap card: streams the threshold grid for the current asset, timeframe, leverage,
 * strategy and date range (rows painted as they arrive), lets the trader pick the metric, and
 * moves the sliders on a click. Leaving the settings aborts the old grid's request.
 */
import { memo, useState } from 'react';
import { Card } from '@/components/ui/card';
import { ToggleGroup } from '@/components/ui/toggle-group';
import { formatDuration, lastCoveredDay } from '@/lib/client/format';
import { useDebouncedValue } from '@/lib/client/use-debounced-value';
import { useHeatmap } from '@/lib/client/use-heatmap';
import type { HeatmapMetric, HeatmapRequest } from '@/lib/schemas';
import { ThresholdHeatmap, type ThresholdPoint } from './threshold-heatmap';
import styles from './heatmap-panel.module.css';

/** Quiet time after the last change of the grid's fixed params before it is requested, ms. */
export const HEATMAP_DEBOUNCE_MS = 400;

const METRIC_OPTIONS = [
  { value: 'returns', label: 'Return' },
  { value: 'sharpeRatio', label: 'Sharpe' },
  { value: 'maxDrawdown', label: 'Drawdown' },
] as const;

/** Props: the grid's fixed params (null while invalid), the selected cell, the select handler and an optional overlay path. */
export interface HeatmapPanelProps {
  base: Omit<HeatmapRequest, 'metric'> | null;
  selected: ThresholdPoint;
  onSelect: (low: number, high: number) => void;
  overlayPath?: ThresholdPoint[];
}

/** The heatmap card with its metric toggle, progress and error states. Memoised: it redraws only when its props change. */
export const HeatmapPanel = memo(function HeatmapPanel({ base, selected, onSelect, overlayPath }: HeatmapPanelProps) {
  const [metric, setMetric] = useState<HeatmapMetric>('returns');
  const currentKey = base ? JSON.stringify({ ...base, metric }) : null;
  const requestKey = useDebouncedValue(currentKey, HEATMAP_DEBOUNCE_MS);
  const { data, error, loading, rowsArrived } = useHeatmap(requestKey);
  const busy = loading || requestKey !== currentKey;
  const complete = data && rowsArrived === data.lows.length;
  return (
    <Card
      title="Threshold heatmap"
      actions={<ToggleGroup legend="Heatmap metric" options={METRIC_OPTIONS} value={metric} onChange={setMetric} />}
    >
      {error && (
        <p className={styles.error} role="alert">
          Heatmap failed{error.status ? ` (HTTP ${error.status})` : ''}: {error.message}
        </p>
      )}
      {data ? (
        <div className={busy ? styles.stale : undefined} aria-busy={busy}>
          <ThresholdHeatmap data={data} selected={selected} onSelect={onSelect} overlayPath={overlayPath} />
          <p className={styles.caption} data-testid="heatmap-caption">
            {[
              `${data.bars.toLocaleString('en-US')} bars`,
              `${data.period.start.slice(0, 10)} → ${lastCoveredDay(data.period.end)} UTC`,
              complete && data.executionTime !== undefined
                ? `${data.cached ? 'kept in server memory, computed' : 'computed'} in ${formatDuration(data.executionTime)}`
                : `${rowsArrived}/${data.lows.length} rows`,
              busy && 'updating…',
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </div>
      ) : (
        !error && <p className={styles.placeholder}>Computing the threshold grid…</p>
      )}
    </Card>
  );
});
