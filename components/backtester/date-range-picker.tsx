'use client';
/**
 * Date range choice: the trailing 90 days, each calendar year the data covers, or a custom
 * range whose inputs are bounded by the covered days (from `GET /api/market-data`).
 */
import { useId } from 'react';
import type { CoveredDays, DatePreset } from '@/lib/client/date-presets';
import type { DateRange } from '@/lib/schemas';
import { CUSTOM_PRESET_ID } from '@/lib/client/controls';
import styles from './controls-panel.module.css';

/** Props: presets, covered days (null when unknown), current choice and its change handler. */
export interface DateRangePickerProps {
  presets: readonly DatePreset[];
  covered: CoveredDays | null;
  preset: string;
  range?: DateRange;
  onChange: (choice: { datePreset: string; dateRange?: DateRange }) => void;
  /** What the result on screen really covers, when it differs from the dates asked. */
  notice?: string | null;
}

/** Preset select plus, for a custom range, two bounded date inputs. */
export function DateRangePicker({ presets, covered, preset, range, onChange, notice }: DateRangePickerProps) {
  const id = useId();
  const selectPreset = (value: string) => {
    if (value === CUSTOM_PRESET_ID) {
      const fallback = covered ? { start: covered.first, end: covered.last } : undefined;
      onChange({ datePreset: value, dateRange: range ?? fallback });
    } else {
      onChange({ datePreset: value, dateRange: presets.find((p) => p.id === value)?.range });
    }
  };
  return (
    <div className={styles.field}>
      <label htmlFor={`${id}-preset`} className={styles.fieldLabel}>
        Date range
      </label>
      <select id={`${id}-preset`} className={styles.select} value={preset} onChange={(e) => selectPreset(e.target.value)}>
        {presets.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
        <option value={CUSTOM_PRESET_ID} disabled={!covered}>
          Custom…
        </option>
      </select>
      {preset === CUSTOM_PRESET_ID && range && (
        <div className={styles.dates}>
          <label>
            <span className={styles.fieldLabel}>From</span>
            <input
              type="date"
              className={styles.select}
              value={range.start}
              min={covered?.first}
              max={range.end}
              required
              onChange={(e) => e.target.value && onChange({ datePreset: preset, dateRange: { ...range, start: e.target.value } })}
            />
          </label>
          <label>
            <span className={styles.fieldLabel}>To</span>
            <input
              type="date"
              className={styles.select}
              value={range.end}
              min={range.start}
              max={covered?.last}
              required
              onChange={(e) => e.target.value && onChange({ datePreset: preset, dateRange: { ...range, end: e.target.value } })}
            />
          </label>
        </div>
      )}
      {covered && (
        <span className={styles.fieldHint}>
          Data {covered.first} → {covered.last} (UTC)
        </span>
      )}
      {notice && (
        <p className={styles.notice} role="status" data-testid="range-notice">
          {notice}
        </p>
      )}
    </div>
  );
}
