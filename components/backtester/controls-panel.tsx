'use client';
/** The control column: asset, timeframe, strategy, thresholds, leverage and date range. */
import { Card } from '@/components/ui/card';
import { Slider } from '@/components/ui/slider';
import { ToggleGroup } from '@/components/ui/toggle-group';
import { ThresholdSlider } from '@/components/threshold-slider/threshold-slider';
import type { Controls } from '@/lib/client/controls';
import type { CoveredDays, DatePreset } from '@/lib/client/date-presets';
import { ASSETS, TIMEFRAMES, type Asset, type Strategy, type Timeframe } from '@/lib/schemas';
import { DateRangePicker } from './date-range-picker';
import styles from './controls-panel.module.css';

const ASSET_OPTIONS = ASSETS.map((value) => ({ value, label: value }));
const TIMEFRAME_OPTIONS = TIMEFRAMES.map((value) => ({ value, label: value }));
const STRATEGY_OPTIONS = [
  { value: 'contrarian', label: 'Contrarian' },
  { value: 'momentum', label: 'Momentum' },
] as const;

/**
 * Props: the controls, a patch-style change handler (`drag` while a slider moves, `choice`
 * otherwise), the end of a drag, the date presets of the selection, and the range notice (what
 * the result on screen really covers) shown beside the dates.
 */
export interface ControlsPanelProps {
  controls: Controls;
  onChange: (patch: Partial<Controls>, kind?: 'drag' | 'choice') => void;
  onDragEnd: () => void;
  presets: readonly DatePreset[];
  covered: CoveredDays | null;
  coverageError?: string;
  rangeNotice?: string | null;
}

/** Every control of the backtest, each with a visible label and keyboard support. */
export function ControlsPanel({ controls, onChange, onDragEnd, presets, covered, coverageError, rangeNotice }: ControlsPanelProps) {
  return (
    <Card title="Strategy">
      <div className={styles.stack}>
        <ToggleGroup<Asset> legend="Asset" options={ASSET_OPTIONS} value={controls.asset} onChange={(asset) => onChange({ asset })} />
        <ToggleGroup<Timeframe>
          legend="Timeframe"
          options={TIMEFRAME_OPTIONS}
          value={controls.timeframe}
          onChange={(timeframe) => onChange({ timeframe })}
        />
        <ToggleGroup<Strategy>
          legend="Strategy"
          options={STRATEGY_OPTIONS}
          value={controls.strategy}
          onChange={(strategy) => onChange({ strategy })}
        />
        <p className={styles.fieldHint}>
          {controls.strategy === 'contrarian'
            ? 'Long at or below the low threshold, short at or above the high one.'
            : 'Short at or below the low threshold, long at or above the high one.'}
        </p>
        <ThresholdSlider values={controls} extremesAllowed={controls.strategy === 'contrarian'} onChange={onChange} onDragEnd={onDragEnd} />
        <Slider
          label="Leverage"
          min={1}
          max={12}
          unit="×"
          value={controls.leverage}
          onChange={(leverage) => onChange({ leverage }, 'drag')}
          onCommit={onDragEnd}
        />
        <DateRangePicker
          presets={presets}
          covered={covered}
          preset={controls.datePreset}
          range={controls.dateRange}
          onChange={onChange}
          notice={rangeNotice}
        />
        {coverageError && (
          <p className={styles.error} role="alert">
            Market data coverage unavailable: {coverageError}
          </p>
        )}
      </div>
    </Card>
  );
}
