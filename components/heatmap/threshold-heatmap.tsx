'use client';
/**
 * The threshold heatmap: one SVG cell per (low, high) pair of the grid (99 × 99 from the API),
 * coloured by the chosen metric (lib/client/heatmap-scale.ts), low on the rows and high on the
 * columns. Clicking a cell selects those thresholds. Keyboard: the grid is one Tab stop; the
 * arrow keys move a cursor (Shift for steps of 10), Enter or Space selects it, and the cursor's
 * cell is announced.
 */
import { memo, useId, useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { HeatmapResponse } from '@/lib/client/api-types';
import { heatmapColor, heatmapScale } from '@/lib/client/heatmap-scale';
import { formatPercent, formatRatio } from '@/lib/client/format';
import type { HeatmapMetric } from '@/lib/schemas';
import styles from './threshold-heatmap.module.css';

/** Props: the grid, the thresholds now selected, and what to do when a cell is chosen. */
export interface ThresholdHeatmapProps {
  data: HeatmapResponse;
  selected: { low: number; high: number };
  onSelect: (low: number, high: number) => void;
}

/** Metric label with its unit. */
export const METRIC_LABEL: Record<HeatmapMetric, string> = {
  returns: 'Return (%)',
  sharpeRatio: 'Sharpe ratio',
  maxDrawdown: 'Max drawdown (%)',
};

/** A metric value with its unit. */
export function formatMetric(metric: HeatmapMetric, value: number): string {
  return metric === 'sharpeRatio' ? formatRatio(value) : formatPercent(value, { signed: metric === 'returns' });
}

const ARROWS: Record<string, [number, number]> = {
  ArrowUp: [-1, 0],
  ArrowDown: [1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
};

/** All cells in one memoised layer, so moving the selection does not redraw thousands of rects. */
const Cells = memo(function Cells({ data }: { data: HeatmapResponse }) {
  const scale = heatmapScale(data.metric, data.values);
  return (
    <g>
      {data.values.flatMap((row, i) =>
        row.map((value, j) =>
          value === null ? null : (
            <rect
              key={`${i}:${j}`}
              x={j}
              y={i}
              width={1.02}
              height={1.02}
              fill={heatmapColor(value, scale) ?? undefined}
              data-low={data.lows[i]}
              data-high={data.highs[j]}
            >
              <title>{`Low ${data.lows[i]} / high ${data.highs[j]}: ${formatMetric(data.metric, value)}`}</title>
            </rect>
          ),
        ),
      )}
    </g>
  );
});

/** The heatmap with axis labels, selection and keyboard cursor. */
export function ThresholdHeatmap({ data, selected, onSelect }: ThresholdHeatmapProps) {
  const { lows, highs, values, metric } = data;
  const scale = useMemo(() => heatmapScale(metric, values), [metric, values]);
  const selectedCell: [number, number] = [lows.indexOf(selected.low), highs.indexOf(selected.high)];
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const [focused, setFocused] = useState(false);
  const readoutId = useId();
  const at = cursor ?? (selectedCell[0] >= 0 && selectedCell[1] >= 0 ? selectedCell : [0, highs.length - 1]);
  const atValue = values[at[0]]?.[at[1]] ?? null;

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.key === 'Enter' || event.key === ' ') && atValue !== null) {
      event.preventDefault();
      onSelect(lows[at[0]], highs[at[1]]);
      return;
    }
    const step = ARROWS[event.key];
    if (!step) return;
    event.preventDefault();
    // Shift moves 10 cells; near the edge of the grid or of the low < high triangle the cursor
    // stops at the last cell it can reach.
    for (let size = event.shiftKey ? 10 : 1; size > 0; size--) {
      const [i, j] = [at[0] + step[0] * size, at[1] + step[1] * size];
      if (values[i]?.[j] != null) {
        setCursor([i, j]);
        return;
      }
    }
  };

  const onClick = (event: MouseEvent<SVGSVGElement>) => {
    const cell = (event.target as Element).closest('rect[data-low]');
    if (!cell) return;
    const [low, high] = [Number(cell.getAttribute('data-low')), Number(cell.getAttribute('data-high'))];
    setCursor([lows.indexOf(low), highs.indexOf(high)]);
    onSelect(low, high);
  };

  const ticks = (axis: readonly number[]) => axis.map((v, k) => [v, k] as const).filter(([v]) => v % 10 === 0 || v === axis[0]);
  const description = atValue === null ? '' : `Low ${lows[at[0]]}, high ${highs[at[1]]}: ${formatMetric(metric, atValue)}`;

  return (
    <div className={styles.root}>
      <div className={styles.frame}>
        <span className={styles.axisTitleX} aria-hidden="true">
          High threshold →
        </span>
        <div className={styles.ticksX} aria-hidden="true">
          {ticks(highs).map(([v, k]) => (
            <span key={v} style={{ left: `${((k + 0.5) / highs.length) * 100}%` }}>
              {v}
            </span>
          ))}
        </div>
        <span className={styles.axisTitleY} aria-hidden="true">
          Low threshold →
        </span>
        <div className={styles.ticksY} aria-hidden="true">
          {ticks(lows).map(([v, k]) => (
            <span key={v} style={{ top: `${((k + 0.5) / lows.length) * 100}%` }}>
              {v}
            </span>
          ))}
        </div>
        <svg
          className={styles.plot}
          viewBox={`0 0 ${highs.length} ${lows.length}`}
          preserveAspectRatio="none"
          role="application"
          aria-roledescription="heatmap"
          tabIndex={0}
          aria-label={`${METRIC_LABEL[metric]} by low threshold (rows) and high threshold (columns). Arrow keys move, Enter selects.`}
          aria-describedby={readoutId}
          onClick={onClick}
          onKeyDown={onKeyDown}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            // The next visit starts from the selected cell, wherever the sliders have moved it.
            setFocused(false);
            setCursor(null);
          }}
          shapeRendering="crispEdges"
        >
          <Cells data={data} />
          {selectedCell[0] >= 0 && selectedCell[1] >= 0 && (
            <g className={styles.selected} data-selected={`${selected.low}/${selected.high}`}>
              <line x1={0} x2={highs.length} y1={selectedCell[0] + 0.5} y2={selectedCell[0] + 0.5} vectorEffect="non-scaling-stroke" />
              <line x1={selectedCell[1] + 0.5} x2={selectedCell[1] + 0.5} y1={0} y2={lows.length} vectorEffect="non-scaling-stroke" />
              <rect x={selectedCell[1]} y={selectedCell[0]} width={1} height={1} vectorEffect="non-scaling-stroke" />
            </g>
          )}
          {focused && atValue !== null && (
            <rect className={styles.cursor} x={at[1]} y={at[0]} width={1} height={1} vectorEffect="non-scaling-stroke" />
          )}
        </svg>
      </div>
      {/* Announced only while the heatmap has focus: a slider drag must not speak every step. */}
      <p id={readoutId} className={styles.readout} aria-live={focused ? 'polite' : 'off'}>
        {focused ? description : `Selected: low ${selected.low}, high ${selected.high}`}
      </p>
      <div className={styles.scale}>
        <span>{formatMetric(metric, scale.min)}</span>
        <span
          className={styles.scaleBar}
          style={{
            background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1]
              .map((t) => heatmapColor(scale.min + (scale.max - scale.min) * t, scale))
              .join(', ')})`,
          }}
          aria-hidden="true"
        />
        <span>{formatMetric(metric, scale.max)}</span>
      </div>
    </div>
  );
}
