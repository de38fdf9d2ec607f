'use client';
/**
 * The threshold heatmap: one cell per (low, high) pair of the grid, coloured by the chosen metric
 * (lib/client/heatmap-scale.ts). A click, Enter or Space on a cell selects those thresholds; the
 * arrow keys move between cells (one Tab stop, roving focus).
 */
import { useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
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

/** The grid of cells with low on the rows and high on the columns. */
export function ThresholdHeatmap({ data, selected, onSelect }: ThresholdHeatmapProps) {
  const { lows, highs, values, metric } = data;
  const scale = heatmapScale(metric, values);
  const cellRefs = useRef(new Map<string, HTMLButtonElement>());
  const selectedRow = lows.indexOf(selected.low);
  const selectedCol = highs.indexOf(selected.high);
  const firstCell = (): [number, number] => {
    for (let i = 0; i < lows.length; i++) for (let j = 0; j < highs.length; j++) if (values[i]?.[j] != null) return [i, j];
    return [0, 0];
  };
  const [focus, setFocus] = useState<[number, number] | null>(null);
  const active: [number, number] =
    focus && values[focus[0]]?.[focus[1]] != null
      ? focus
      : selectedRow >= 0 && selectedCol >= 0 && values[selectedRow]?.[selectedCol] != null
        ? [selectedRow, selectedCol]
        : firstCell();

  const onKeyDown = (event: KeyboardEvent, i: number, j: number) => {
    const step = ARROWS[event.key];
    if (!step) return;
    event.preventDefault();
    let [r, c] = [i + step[0], j + step[1]];
    while (r >= 0 && r < lows.length && c >= 0 && c < highs.length) {
      if (values[r]?.[c] != null) {
        setFocus([r, c]);
        cellRefs.current.get(`${r}:${c}`)?.focus();
        return;
      }
      [r, c] = [r + step[0], c + step[1]];
    }
  };

  const labelEvery = Math.max(1, Math.ceil(highs.length / 10));
  return (
    <div className={styles.root}>
      <div
        className={styles.grid}
        style={{ '--columns': `2.2em repeat(${highs.length}, minmax(0, 1fr))` } as CSSProperties}
        role="grid"
        aria-label={`${METRIC_LABEL[metric]} by low threshold (rows) and high threshold (columns)`}
      >
        <div role="row" className={styles.headerRow}>
          <div role="columnheader" className={styles.corner}>
            <span className="visually-hidden">Low \ high</span>
            <span aria-hidden="true">L\H</span>
          </div>
          {highs.map((high, j) => (
            <div key={high} role="columnheader" className={styles.colHeader} aria-label={`High ${high}`}>
              {j % labelEvery === 0 ? high : ''}
            </div>
          ))}
        </div>
        {lows.map((low, i) => (
          <div key={low} role="row" className={styles.row}>
            <div role="rowheader" className={styles.rowHeader} aria-label={`Low ${low}`}>
              {i % labelEvery === 0 ? low : ''}
            </div>
            {highs.map((high, j) => {
              const value = values[i]?.[j] ?? null;
              if (value === null) return <div key={high} role="gridcell" className={styles.empty} />;
              const isSelected = i === selectedRow && j === selectedCol;
              const isActive = active[0] === i && active[1] === j;
              return (
                <div key={high} role="gridcell" className={styles.cellWrap}>
                  <button
                    type="button"
                    ref={(el) => {
                      if (el) cellRefs.current.set(`${i}:${j}`, el);
                      else cellRefs.current.delete(`${i}:${j}`);
                    }}
                    className={`${styles.cell} ${isSelected ? styles.selected : ''}`}
                    style={{ background: heatmapColor(value, scale) ?? undefined }}
                    tabIndex={isActive ? 0 : -1}
                    aria-pressed={isSelected}
                    aria-label={`Low ${low}, high ${high}: ${formatMetric(metric, value)}`}
                    title={`Low ${low} / high ${high}: ${formatMetric(metric, value)}`}
                    data-low={low}
                    data-high={high}
                    onClick={() => onSelect(low, high)}
                    onFocus={() => setFocus([i, j])}
                    onKeyDown={(event) => onKeyDown(event, i, j)}
                  />
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <div className={styles.scale} aria-label="Colour scale">
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
