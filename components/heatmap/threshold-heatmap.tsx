'use client';
/**
 * The threshold heatmap: one `<canvas>` with one pixel per (low, high) cell (99 × 99 from the
 * API), scaled up by CSS, coloured by the chosen metric (lib/client/heatmap-scale.ts), low on the
 * rows and high on the columns; rows of a grid still arriving keep the previous values, dimmed.
 * A small SVG on top draws the selected cell, the keyboard cursor and an optional path (e.g. the
 * thresholds a walk-forward run chose per fold). Clicking a cell selects those thresholds.
 * Keyboard: the grid is one Tab stop; arrows move a cursor (Shift: 10 cells), Enter or Space
 * selects it, and the cursor's cell is announced. Narrower than 480 px the grid is drawn
 * coarser (every 5th threshold), so a finger can hit a cell.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { heatmapColor, heatmapScale } from '@/lib/client/heatmap-scale';
import { formatPercent, formatRatio } from '@/lib/client/format';
import type { HeatmapMetric } from '@/lib/schemas';
import styles from './threshold-heatmap.module.css';

/** The grid the heatmap draws (a HeatmapResponse or a HeatmapGrid still arriving). */
export interface HeatmapData {
  metric: HeatmapMetric;
  lows: number[];
  highs: number[];
  values: (number | null)[][];
  /** Rows received of a grid still arriving; absent = all. */
  arrived?: boolean[];
}

/** One point of a path over the grid (FGI thresholds). */
export interface ThresholdPoint {
  low: number;
  high: number;
}

/** Props: the grid, the thresholds now selected, the select handler and an optional path drawn over the cells. */
export interface ThresholdHeatmapProps {
  data: HeatmapData;
  selected: ThresholdPoint;
  onSelect: (low: number, high: number) => void;
  overlayPath?: ThresholdPoint[];
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

/** Width below which the grid is drawn every COARSE_STEP thresholds, px. */
export const COARSE_BELOW_PX = 480;
/** Threshold step of the coarse grid. */
export const COARSE_STEP = 5;

/** Row/column indices of the grid kept at threshold step `step` (all for 1; multiples of step otherwise). */
function keptIndices(axis: readonly number[], step: number): number[] {
  return axis.flatMap((v, k) => (step === 1 || v % step === 0 ? [k] : []));
}

/** Fills `canvas` (cols × rows pixels) with the cells' colours; dims rows not arrived yet. */
function paint(canvas: HTMLCanvasElement, data: HeatmapData, rows: number[], cols: number[]) {
  const context = canvas.getContext('2d');
  if (!context) return; // jsdom has no canvas
  const scale = heatmapScale(data.metric, data.values);
  const image = context.createImageData(cols.length, rows.length);
  rows.forEach((i, y) => {
    const alpha = data.arrived && !data.arrived[i] ? 90 : 255;
    cols.forEach((j, x) => {
      const colour = heatmapColor(data.values[i]?.[j] ?? null, scale);
      if (!colour) return;
      const [r, g, b] = colour.match(/\d+/g)!.map(Number);
      const at = (y * cols.length + x) * 4;
      image.data.set([r, g, b, alpha], at);
    });
  });
  context.putImageData(image, 0, 0);
}

/** The heatmap with axis labels, selection, keyboard cursor and overlay path. */
export function ThresholdHeatmap({ data, selected, onSelect, overlayPath }: ThresholdHeatmapProps) {
  const { lows, highs, values, metric } = data;
  const frameRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [step, setStep] = useState(1);
  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const measure = () => setStep(frame.clientWidth > 0 && frame.clientWidth < COARSE_BELOW_PX ? COARSE_STEP : 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(frame);
    return () => observer.disconnect();
  }, []);
  const rows = useMemo(() => keptIndices(lows, step), [lows, step]);
  const cols = useMemo(() => keptIndices(highs, step), [highs, step]);
  useEffect(() => {
    if (canvasRef.current) paint(canvasRef.current, data, rows, cols);
  }, [data, rows, cols]);

  const scale = useMemo(() => heatmapScale(metric, values), [metric, values]);
  // Positions are indices into `rows` / `cols` (the drawn grid).
  const selectedAt: [number, number] = [rows.indexOf(lows.indexOf(selected.low)), cols.indexOf(highs.indexOf(selected.high))];
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const [hover, setHover] = useState<[number, number] | null>(null);
  const [focused, setFocused] = useState(false);
  const readoutId = useId();
  const valueAt = ([y, x]: [number, number]) => values[rows[y]]?.[cols[x]] ?? null;
  const at = cursor ?? (selectedAt[0] >= 0 && selectedAt[1] >= 0 ? selectedAt : [0, cols.length - 1]);
  const atValue = valueAt(at);
  const describe = (p: [number, number]) => {
    const value = valueAt(p);
    return value === null ? '' : `Low ${lows[rows[p[0]]]}, high ${highs[cols[p[1]]]}: ${formatMetric(metric, value)}`;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.key === 'Enter' || event.key === ' ') && atValue !== null) {
      event.preventDefault();
      onSelect(lows[rows[at[0]]], highs[cols[at[1]]]);
      return;
    }
    const move = ARROWS[event.key];
    if (!move) return;
    event.preventDefault();
    // Shift moves 10 cells; near the edge of the grid or of the low < high triangle the cursor
    // stops at the last cell it can reach.
    for (let size = event.shiftKey ? 10 : 1; size > 0; size--) {
      const next: [number, number] = [at[0] + move[0] * size, at[1] + move[1] * size];
      if (valueAt(next) !== null) {
        setCursor(next);
        return;
      }
    }
  };

  const cellAt = (event: MouseEvent<HTMLElement>): [number, number] | null => {
    const box = event.currentTarget.getBoundingClientRect();
    const y = Math.floor(((event.clientY - box.top) / box.height) * rows.length);
    const x = Math.floor(((event.clientX - box.left) / box.width) * cols.length);
    return y >= 0 && y < rows.length && x >= 0 && x < cols.length && valueAt([y, x]) !== null ? [y, x] : null;
  };
  const onClick = (event: MouseEvent<HTMLElement>) => {
    const cell = cellAt(event);
    if (!cell) return;
    setCursor(cell);
    onSelect(lows[rows[cell[0]]], highs[cols[cell[1]]]);
  };

  const ticks = (axis: readonly number[], kept: number[]) =>
    kept.map((k, position) => [axis[k], position] as const).filter(([v]) => v % 10 === 0 || v === axis[kept[0]]);
  // A path point sits at the centre of its cell, interpolated between drawn cells on a coarse grid.
  const position = (axis: readonly number[], kept: number[], value: number) => {
    const first = axis[kept[0]];
    const spacing = kept.length > 1 ? axis[kept[1]] - first : 1;
    return (value - first) / spacing + 0.5;
  };
  const path = overlayPath?.length
    ? overlayPath
        .map((p, k) => `${k === 0 ? 'M' : 'L'}${position(highs, cols, p.high).toFixed(2)},${position(lows, rows, p.low).toFixed(2)}`)
        .join(' ')
    : null;

  return (
    <div className={styles.root}>
      <div className={styles.frame} ref={frameRef}>
        <span className={styles.axisTitleX} aria-hidden="true">
          High threshold →
        </span>
        <div className={styles.ticksX} aria-hidden="true">
          {ticks(highs, cols).map(([v, k]) => (
            <span key={v} style={{ left: `${((k + 0.5) / cols.length) * 100}%` }}>
              {v}
            </span>
          ))}
        </div>
        <span className={styles.axisTitleY} aria-hidden="true">
          Low threshold →
        </span>
        <div className={styles.ticksY} aria-hidden="true">
          {ticks(lows, rows).map(([v, k]) => (
            <span key={v} style={{ top: `${((k + 0.5) / rows.length) * 100}%` }}>
              {v}
            </span>
          ))}
        </div>
        <div
          className={styles.plot}
          role="application"
          aria-roledescription="heatmap"
          tabIndex={0}
          aria-label={`${METRIC_LABEL[metric]} by low threshold (rows) and high threshold (columns). Arrow keys move, Enter selects.`}
          aria-describedby={readoutId}
          data-testid="heatmap-plot"
          data-step={step}
          onClick={onClick}
          onMouseMove={(event) => setHover(cellAt(event))}
          onMouseLeave={() => setHover(null)}
          onKeyDown={onKeyDown}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            // The next visit starts from the selected cell, wherever the sliders have moved it.
            setFocused(false);
            setCursor(null);
          }}
        >
          <canvas ref={canvasRef} className={styles.canvas} width={cols.length} height={rows.length} aria-hidden="true" />
          <svg className={styles.overlay} viewBox={`0 0 ${cols.length} ${rows.length}`} preserveAspectRatio="none" aria-hidden="true">
            {selectedAt[0] >= 0 && selectedAt[1] >= 0 && (
              <g className={styles.selected} data-selected={`${selected.low}/${selected.high}`}>
                <line x1={0} x2={cols.length} y1={selectedAt[0] + 0.5} y2={selectedAt[0] + 0.5} vectorEffect="non-scaling-stroke" />
                <line x1={selectedAt[1] + 0.5} x2={selectedAt[1] + 0.5} y1={0} y2={rows.length} vectorEffect="non-scaling-stroke" />
                <rect x={selectedAt[1]} y={selectedAt[0]} width={1} height={1} vectorEffect="non-scaling-stroke" />
              </g>
            )}
            {path && <path className={styles.path} d={path} vectorEffect="non-scaling-stroke" data-testid="heatmap-overlay-path" />}
            {focused && atValue !== null && (
              <rect className={styles.cursor} x={at[1]} y={at[0]} width={1} height={1} vectorEffect="non-scaling-stroke" />
            )}
          </svg>
        </div>
      </div>
      {/* Announced only while the heatmap has focus: a slider drag must not speak every step. */}
      <p id={readoutId} className={styles.readout} aria-live={focused ? 'polite' : 'off'}>
        {focused ? describe(at) : hover ? describe(hover) : `Selected: low ${selected.low}, high ${selected.high}`}
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
