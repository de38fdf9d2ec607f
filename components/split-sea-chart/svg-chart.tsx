'use client';
/**
 * The small SVG kit of the split-sea figure (split-sea chart, position band, equity chart):
 * a measured box, a named SVG image, axes, and a hover cursor with a tooltip that follows the
 * same bar close in every chart of the figure. Hovering re-renders only the cursor layer, never
 * the paths. Geometry is in lib/client/chart-geometry.ts.
 */
import { createContext, useContext, useLayoutEffect, useRef, useState, useSyncExternalStore, type ReactNode, type RefObject } from 'react';
import type { ScaleTime } from 'd3-scale';
import { nearestIndex, type Tick } from '@/lib/client/chart-geometry';
import styles from './split-sea-chart.module.css';

/** The bar close time (Unix ms UTC) the pointer is over in any chart of a figure, or null. */
export interface HoverStore {
  get(): number | null;
  set(time: number | null): void;
  subscribe(listener: () => void): () => void;
}

/** A new hover store, for one figure's charts. */
export function createHoverStore(): HoverStore {
  let time: number | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => time,
    set(next) {
      if (next === time) return;
      time = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The hover store the charts under it share; charts outside a provider share one of their own. */
export const ChartHoverContext = createContext<HoverStore>(createHoverStore());

/** Provides one hover store to the charts of a figure. */
export function ChartHoverProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createHoverStore);
  return <ChartHoverContext.Provider value={store}>{children}</ChartHoverContext.Provider>;
}

/** The hovered time, re-rendering the caller when it changes. */
function useHoverTime(): number | null {
  const store = useContext(ChartHoverContext);
  return useSyncExternalStore(store.subscribe, store.get, () => null);
}

/** A chart's measured box: the div to measure (`ref`) and its size, px. */
export interface ChartBox {
  ref: RefObject<HTMLDivElement | null>;
  size: { width: number; height: number };
}

/**
 * The box of a chart: `initial` until its div is measured (before paint), then kept up to date
 * with a ResizeObserver. Pass it to ChartFrame; compute the chart's geometry from `size`.
 */
export function useChartBox(initial: { width: number; height: number }): ChartBox {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState(initial);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => {
      const { width, height } = element.getBoundingClientRect();
      if (width > 0 && height > 0) setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, size };
}

/** Props of a chart's frame: its measured box, name (the SVG's title), time scale, tooltip and SVG content. */
export interface ChartFrameProps<T extends { time: number }> {
  className: string;
  testId: string;
  name: string;
  /** The chart's box (useChartBox). */
  box: ChartBox;
  x: ScaleTime<number, number>;
  /** The drawn items, sorted by time: the cursor snaps to the one nearest the hovered time. */
  items: readonly T[];
  /** The tooltip of the hovered item, or nothing. */
  tooltip?: (item: T) => ReactNode;
  children: ReactNode;
}

/**
 * A chart: a measured div holding a named SVG image (role img with a title, not a Tab stop)
 * whose pointer moves set the figure's hovered time, and the cursor layer above it.
 */
export function ChartFrame<T extends { time: number }>({ className, testId, name, box, x, items, tooltip, children }: ChartFrameProps<T>) {
  const store = useContext(ChartHoverContext);
  const { size } = box;
  return (
    <div ref={box.ref} className={`${className} ${styles.frame}`} data-testid={testId}>
      <svg
        width={size.width}
        height={size.height}
        role="img"
        className={styles.svg}
        onPointerMove={(event) => {
          const [left, right] = x.range();
          const px = event.clientX - event.currentTarget.getBoundingClientRect().left;
          store.set(px < left || px > right ? null : +x.invert(px));
        }}
        onPointerLeave={() => store.set(null)}
      >
        <title>{name}</title>
        {children}
      </svg>
      <HoverLayer x={x} height={size.height} items={items} tooltip={tooltip} />
    </div>
  );
}

/**
 * The cursor line at the item nearest the hovered time and its tooltip beside it (left of the
 * cursor in the plot's right half). Subscribes to the hover store, so only this layer re-renders.
 */
function HoverLayer<T extends { time: number }>({ x, height, items, tooltip }: { x: ScaleTime<number, number>; height: number; items: readonly T[]; tooltip?: (item: T) => ReactNode }) {
  const time = useHoverTime();
  const item = time === null ? undefined : items[nearestIndex(items, time)];
  if (!item) return null;
  const at = x(item.time);
  const [left, right] = x.range();
  if (!(at >= left && at <= right)) return null;
  const flip = at > (left + right) / 2;
  return (
    <>
      <div className={styles.cursor} style={{ left: at, height }} aria-hidden="true" />
      {tooltip && (
        <div className={styles.tooltipBox} style={flip ? { right: `calc(100% - ${at - 12}px)` } : { left: at + 12 }}>
          {tooltip(item)}
        </div>
      )}
    </>
  );
}

/** Horizontal grid lines at `ticks` across `[left, right]`. */
export function GridLines({ ticks, left, right }: { ticks: readonly Tick[]; left: number; right: number }) {
  return (
    <g className={styles.grid} aria-hidden="true">
      {ticks.map((tick) => (
        <line key={tick.at} x1={left} x2={right} y1={tick.at} y2={tick.at} />
      ))}
    </g>
  );
}

/** A value axis at `x` (px): its line from `top` to `bottom` and labels on the `side` away from the plot. */
export function ValueAxis({ ticks, x, top, bottom, side }: { ticks: readonly Tick[]; x: number; top: number; bottom: number; side: 'left' | 'right' }) {
  const dx = side === 'left' ? -6 : 6;
  return (
    <g className={styles.axis} aria-hidden="true">
      <line x1={x} x2={x} y1={top} y2={bottom} />
      {ticks.map((tick) => (
        <text key={tick.at} x={x + dx} y={tick.at} dy="0.32em" textAnchor={side === 'left' ? 'end' : 'start'}>
          {tick.label}
        </text>
      ))}
    </g>
  );
}

/** A time axis at `y` (px): its line across `[left, right]` and the labels under it. */
export function TimeAxis({ ticks, y, left, right }: { ticks: readonly Tick[]; y: number; left: number; right: number }) {
  return (
    <g className={styles.axis} aria-hidden="true">
      <line x1={left} x2={right} y1={y} y2={y} />
      {ticks.map((tick) => (
        <text key={tick.at} x={tick.at} y={y + 14} textAnchor="middle">
          {tick.label}
        </text>
      ))}
    </g>
  );
}
