import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clampExtremes,
  setHighThreshold,
  setLowThreshold,
  setThresholdRange,
  THRESHOLD_MAX,
  THRESHOLD_MIN,
} from '@/lib/client/threshold-range';

const validRange = fc
  .tuple(fc.integer({ min: THRESHOLD_MIN, max: THRESHOLD_MAX - 1 }), fc.integer({ min: 1, max: 99 }))
  .map(([low, gap]) => ({ low, high: Math.min(THRESHOLD_MAX, low + gap) }));

describe('threshold slider rules', () => {
  it('moves the low handle freely below the high one', () => {
    expect(setLowThreshold({ low: 25, high: 75 }, 40)).toEqual({ low: 40, high: 75 });
  });

  it('stops the low handle one below the high handle and at the minimum', () => {
    expect(setLowThreshold({ low: 25, high: 75 }, 90)).toEqual({ low: 74, high: 75 });
    expect(setLowThreshold({ low: 25, high: 75 }, -5)).toEqual({ low: 1, high: 75 });
  });

  it('stops the high handle one above the low handle and at 100', () => {
    expect(setHighThreshold({ low: 25, high: 75 }, 10)).toEqual({ low: 25, high: 26 });
    expect(setHighThreshold({ low: 25, high: 75 }, 140)).toEqual({ low: 25, high: 100 });
  });

  it('keeps low < high within 1..100 for any handle move', () => {
    fc.assert(
      fc.property(validRange, fc.integer({ min: -50, max: 150 }), fc.boolean(), (range, value, moveLow) => {
        const next = moveLow ? setLowThreshold(range, value) : setHighThreshold(range, value);
        expect(next.low).toBeLessThan(next.high);
        expect(next.low).toBeGreaterThanOrEqual(THRESHOLD_MIN);
        expect(next.high).toBeLessThanOrEqual(THRESHOLD_MAX);
        // The other handle never moves.
        expect(moveLow ? next.high : next.low).toBe(moveLow ? range.high : range.low);
      }),
    );
  });

  it('turns any heatmap cell into a valid pair', () => {
    expect(setThresholdRange(30, 70)).toEqual({ low: 30, high: 70 });
    expect(setThresholdRange(70, 30)).toEqual({ low: 70, high: 71 });
    expect(setThresholdRange(100, 100)).toEqual({ low: 99, high: 100 });
  });

  it('keeps extreme thresholds outside the low/high band', () => {
    expect(clampExtremes({ low: 25, high: 75 }, { extremeLow: 10, extremeHigh: 90 })).toEqual({ extremeLow: 10, extremeHigh: 90 });
    expect(clampExtremes({ low: 8, high: 95 }, { extremeLow: 10, extremeHigh: 90 })).toEqual({ extremeLow: 8, extremeHigh: 95 });
  });
});
