import { describe, expect, it } from 'vitest';
import { NoDataInRangeError } from '@/lib/errors';
import { planWalkForward, walkForwardKey } from '@/lib/walk-forward/plan';
import { syntheticInput } from './input';
import { day, regimeSeries } from './regimes';

// Eight days 2024-01-01..2024-01-08 (day(0)..day(7)), every bar with an FGI value.
const series = regimeSeries(['contrarian', 'contrarian', 'rising', 'rising', 'falling', 'falling', 'contrarian', 'contrarian']);

describe('walk-forward plan', () => {
  it('rolls training windows of trainDays before consecutive test windows of testDays', () => {
    const plan = planWalkForward(series, syntheticInput());
    expect(plan.range).toEqual({ start: day(0), end: day(7) });
    expect(plan.outOfSample).toEqual({ start: day(2), end: day(7) });
    expect(plan.steps).toEqual([
      { index: 0, train: { start: day(0), end: day(1) }, test: { start: day(2), end: day(3) } },
      { index: 1, train: { start: day(2), end: day(3) }, test: { start: day(4), end: day(5) } },
      { index: 2, train: { start: day(4), end: day(5) }, test: { start: day(6), end: day(7) } },
    ]);
  });

  it('anchors every training window at the overall start', () => {
    const plan = planWalkForward(series, syntheticInput({ anchored: true }));
    expect(plan.steps.map((s) => s.train)).toEqual([
      { start: day(0), end: day(1) },
      { start: day(0), end: day(3) },
      { start: day(0), end: day(5) },
    ]);
    expect(plan.steps.map((s) => s.test.start)).toEqual([day(2), day(4), day(6)]);
  });

  it('cuts the last test window at the overall end', () => {
    // 8 days, 2 training + 4 test: tests day 2..5 and day 6..7 (2 of 4 days left).
    const plan = planWalkForward(series, syntheticInput({ testDays: 4 }));
    expect(plan.steps.map((s) => s.test)).toEqual([
      { start: day(2), end: day(5) },
      { start: day(6), end: day(7) },
    ]);
    expect(plan.steps[1].train).toEqual({ start: day(4), end: day(5) });
  });

  it('clips the requested range to the days with FGI data', () => {
    const plan = planWalkForward(series, syntheticInput({ dateRange: { start: '2023-12-01', end: day(5) } }));
    expect(plan.range).toEqual({ start: day(0), end: day(5) });
    expect(plan.steps.map((s) => s.test)).toEqual([
      { start: day(2), end: day(3) },
      { start: day(4), end: day(5) },
    ]);
  });

  it('refuses a range shorter than one training plus one test window, saying what is available', () => {
    const plan = () => planWalkForward(series, syntheticInput({ trainDays: 6, testDays: 3 }));
    expect(plan).toThrow(NoDataInRangeError);
    expect(plan).toThrow(/from 2024-01-01 to 2024-01-08 \(48 bars\).*needs at least 9 days/);
    const short = () => planWalkForward(series, syntheticInput({ dateRange: { start: day(1), end: day(3) } }));
    expect(short).toThrow(/holds 3 of those days \(2024-01-02 to 2024-01-04, 18 bars\).*needs at least 4 days/);
    expect(() => planWalkForward(series, syntheticInput({ dateRange: { start: '2025-01-01', end: '2025-02-01' } }))).toThrow(
      /none of them lies in 2025-01-01..2025-02-01/,
    );
  });

  it('builds the cache key of SPEC §11', () => {
    const base = { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', trainDays: 365, testDays: 90 } as const;
    expect(walkForwardKey({ ...base, objective: 'sharpeRatio', minTrades: 1, anchored: false })).toBe(
      'WF-ETH-4h-3x-contrarian-365-90-sharpeRatio',
    );
    expect(
      walkForwardKey({
        ...base,
        objective: 'calmarRatio',
        minTrades: 5,
        anchored: true,
        extremeLowThreshold: 10,
        extremeHighThreshold: 90,
        dateRange: { start: '2022-01-01', end: '2025-12-31' },
      }),
    ).toBe('WF-ETH-4h-3x-contrarian-365-90-calmarRatio-anchored-m5-e10-90-2022-01-01-2025-12-31');
    expect(walkForwardKey({ ...base, objective: 'returns', minTrades: 0, anchored: false })).toBe(
      'WF-ETH-4h-3x-contrarian-365-90-returns-m0',
    );
  });
});
