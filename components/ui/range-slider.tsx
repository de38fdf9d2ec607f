'use client';
/**
 * Two-handle range slider built on two native `<input type="range">` laid over one track, so
 * each handle keeps the browser's keyboard (arrows, Page Up/Down, Home/End), screen-reader and
 * touch behaviour. The parent keeps low < high (see lib/client/threshold-range.ts); the track is
 * painted in three parts (below low, between, above high). The handle pressed or focused last is
 * drawn on top, so close handles stay grabbable with the mouse. Each handle announces the range
 * it can really take (aria-valuemin/max: low up to high − 1, high from low + 1). `onCommit` runs
 * when a drag or key press ends (pointer up, key up, touch end).
 */
import { useId, useState, type CSSProperties } from 'react';
import styles from './range-slider.module.css';

/** Props: integer bounds, the two values, visible labels and the change handlers. */
export interface RangeSliderProps {
  min: number;
  max: number;
  low: number;
  high: number;
  lowLabel: string;
  highLabel: string;
  onLowChange: (value: number) => void;
  onHighChange: (value: number) => void;
  /** Screen-reader text of a value, e.g. `25 (fear at or below)`. */
  valueText?: (value: number, handle: 'low' | 'high') => string;
  /** A drag or key press on either handle ended. */
  onCommit?: () => void;
}

/** The two-handle slider with its visible labels and current values. */
export function RangeSlider({ min, max, low, high, lowLabel, highLabel, onLowChange, onHighChange, valueText, onCommit }: RangeSliderProps) {
  const id = useId();
  const pct = (value: number) => ((value - min) / (max - min)) * 100;
  const track = { '--low': `${pct(low)}%`, '--high': `${pct(high)}%` } as CSSProperties;
  const [lastActive, setLastActive] = useState<'low' | 'high' | null>(null);
  // The last pressed/focused handle goes on top. Before any press, and whenever the high handle is
  // pinned at the top end (it can then only move into the low one), the rule is: near the top end
  // the low handle must stay reachable, so it goes on top.
  const nearTop = low > max - (max - min) / 10;
  const lowOnTop = (high === max && nearTop) || (lastActive ? lastActive === 'low' : nearTop);
  const commit = { onPointerUp: onCommit, onKeyUp: onCommit, onTouchEnd: onCommit };
  return (
    <div className={styles.root}>
      <div className={styles.labels}>
        <span className={styles.label}>
          <label htmlFor={`${id}-low`}>{lowLabel}</label>
          <output htmlFor={`${id}-low`} className={styles.value}>
            {low}
          </output>
        </span>
        <span className={styles.label}>
          <label htmlFor={`${id}-high`}>{highLabel}</label>
          <output htmlFor={`${id}-high`} className={styles.value}>
            {high}
          </output>
        </span>
      </div>
      <div className={styles.slider} style={track}>
        <div className={styles.track} aria-hidden="true" />
        <input
          id={`${id}-low`}
          className={`${styles.input} ${lowOnTop ? styles.onTop : ''}`}
          data-on-top={lowOnTop}
          type="range"
          min={min}
          max={max}
          step={1}
          value={low}
          aria-valuemin={min}
          aria-valuemax={high - 1}
          aria-valuetext={valueText?.(low, 'low')}
          {...commit}
          onPointerDown={() => setLastActive('low')}
          onFocus={() => setLastActive('low')}
          onChange={(e) => onLowChange(Number(e.target.value))}
        />
        <input
          id={`${id}-high`}
          className={styles.input}
          data-on-top={!lowOnTop}
          type="range"
          min={min}
          max={max}
          step={1}
          value={high}
          aria-valuemin={low + 1}
          aria-valuemax={max}
          aria-valuetext={valueText?.(high, 'high')}
          {...commit}
          onPointerDown={() => setLastActive('high')}
          onFocus={() => setLastActive('high')}
          onChange={(e) => onHighChange(Number(e.target.value))}
        />
      </div>
    </div>
  );
}
