'use client';
/** One-handle slider on a native `<input type="range">` with a visible label and value. */
import { useId } from 'react';
import styles from './slider.module.css';

/** Props: integer bounds, value, visible label, an optional unit shown after the value. */
export interface SliderProps {
  label: string;
  min: number;
  max: number;
  value: number;
  unit?: string;
  onChange: (value: number) => void;
  disabled?: boolean;
  /** A drag or key press ended (pointer up, key up, touch end). */
  onCommit?: () => void;
}

/** A labelled slider whose value is shown next to its label. */
export function Slider({ label, min, max, value, unit = '', onChange, disabled, onCommit }: SliderProps) {
  const id = useId();
  return (
    <div className={styles.root}>
      <span className={styles.label}>
        <label htmlFor={id}>{label}</label>
        <output htmlFor={id} className={styles.value}>
          {value}
          {unit}
        </output>
      </span>
      <input
        id={id}
        className={styles.input}
        type="range"
        min={min}
        max={max}
        step={1}
        value={value}
        disabled={disabled}
        aria-valuetext={`${value}${unit}`}
        onChange={(e) => onChange(Number(e.target.value))}
        onPointerUp={onCommit}
        onKeyUp={onCommit}
        onTouchEnd={onCommit}
      />
    </div>
  );
}
