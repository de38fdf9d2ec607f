'use client';
/**
 * Segmented toggle built on native radio buttons inside a fieldset: one Tab stop, arrow keys
 * move the choice, and the legend is the visible label.
 */
import { useId } from 'react';
import styles from './toggle-group.module.css';

/** One choice of the group. */
export interface ToggleOption<T extends string> {
  value: T;
  label: string;
  disabled?: boolean;
}

/** Props: legend (visible label), options, selected value and change handler. */
export interface ToggleGroupProps<T extends string> {
  legend: string;
  options: readonly ToggleOption<T>[];
  value: T;
  onChange: (value: T) => void;
}

/** A labelled group of mutually exclusive choices drawn as one segmented control. */
export function ToggleGroup<T extends string>({ legend, options, value, onChange }: ToggleGroupProps<T>) {
  const name = useId();
  return (
    <fieldset className={styles.root}>
      <legend className={styles.legend}>{legend}</legend>
      <div className={styles.options}>
        {options.map((option) => (
          <label key={option.value} className={styles.option}>
            <input
              className={styles.radio}
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              disabled={option.disabled}
              onChange={() => onChange(option.value)}
            />
            <span className={styles.text}>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
