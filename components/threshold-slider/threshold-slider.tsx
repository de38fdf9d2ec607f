'use client';
/**
 * FGI threshold controls: the two-handle low/high slider (low < high enforced) and the optional
 * extreme thresholds (contrarian only), each handle keyboard-operable with a visible label.
 */
import { useId } from 'react';
import { RangeSlider } from '@/components/ui/range-slider';
import { Slider } from '@/components/ui/slider';
import { setHighThreshold, setLowThreshold, THRESHOLD_MAX, THRESHOLD_MIN } from '@/lib/client/threshold-range';
import styles from './threshold-slider.module.css';

/** The threshold part of the page's controls. */
export interface ThresholdValues {
  low: number;
  high: number;
  extremeEnabled: boolean;
  extremeLow: number;
  extremeHigh: number;
}

/**
 * Props: current values, whether extremes apply (contrarian), a patch-style change handler
 * (`drag` while a slider moves, `choice` for the checkbox) and the end of a drag.
 */
export interface ThresholdSliderProps {
  values: ThresholdValues;
  extremesAllowed: boolean;
  onChange: (patch: Partial<ThresholdValues>, kind?: 'drag' | 'choice') => void;
  onDragEnd?: () => void;
}

/** Low/high FGI thresholds plus the optional extreme thresholds. */
export function ThresholdSlider({ values, extremesAllowed, onChange, onDragEnd }: ThresholdSliderProps) {
  const { low, high } = values;
  const showExtremes = values.extremeEnabled && extremesAllowed;
  const hintId = useId();
  return (
    <div className={styles.root}>
      <RangeSlider
        min={THRESHOLD_MIN}
        max={THRESHOLD_MAX}
        low={low}
        high={high}
        lowLabel="Low threshold"
        highLabel="High threshold"
        valueText={(value, handle) => `${value}, ${handle === 'low' ? 'fear at or below' : 'greed at or above'}`}
        onLowChange={(value) => onChange(setLowThreshold({ low, high }, value), 'drag')}
        onHighChange={(value) => onChange(setHighThreshold({ low, high }, value), 'drag')}
        onCommit={onDragEnd}
      />
      <div className={styles.toggle}>
        <label className={styles.checkbox}>
          <input
            type="checkbox"
            checked={showExtremes}
            disabled={!extremesAllowed}
            aria-describedby={`${hintId}`}
            onChange={(e) => onChange({ extremeEnabled: e.target.checked }, 'choice')}
          />
          Extreme thresholds
        </label>
        <span id={hintId} className={styles.hint}>
          {extremesAllowed ? 'momentum rule beyond them' : 'contrarian only'}
        </span>
      </div>
      {showExtremes && (
        <div className={styles.extremes}>
          <Slider
            label="Extreme low"
            min={0}
            max={low}
            value={values.extremeLow}
            onChange={(value) => onChange({ extremeLow: value }, 'drag')}
            onCommit={onDragEnd}
          />
          <Slider
            label="Extreme high"
            min={high}
            max={THRESHOLD_MAX}
            value={values.extremeHigh}
            onChange={(value) => onChange({ extremeHigh: value }, 'drag')}
            onCommit={onDragEnd}
          />
        </div>
      )}
    </div>
  );
}
