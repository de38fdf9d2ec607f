/**
 * The backtest window (SPEC §3): the trailing 90 days ending with the newest bar whose FGI is
 * known at its close, or the bars of an inclusive range of UTC days.
 */
import { describe, expect, it } from 'vitest';
import { resolveWindow } from '../../lib/engine';
import { NoDataInRangeError } from '../../lib/errors';
import { syntheticSeries } from '../helpers/synthetic-series';

/** 4h bars from 2024-01-01 00:00 UTC to 2024-04-30 20:00 UTC: 121 days × 6 = 726 bars. */
function fourMonths(fgiAt: (i: number) => number) {
  const n = 726;
  const prices = Array.from({ length: n }, () => 100);
  return syntheticSeries({ open: prices, close: prices, fgi: prices.map((_, i) => fgiAt(i)) });
}

describe('default window', () => {
  it('covers the trailing 90 days ending with the newest bar that has an FGI value', () => {
    // The last two bars (04-30 16:00 and 20:00) have no FGI yet: the window ends at bar 723,
    // open 2024-04-30 12:00. First open ≥ 04-30 12:00 + 4 h − 90 d = 2024-01-31 16:00
    // (Jan 31 + 90 d = Apr 30 in a leap year), bar 30 × 6 + 4 = 184 → bars 184..723: 540 bars.
    const series = fourMonths((i) => (i >= 724 ? Number.NaN : 50));
    const { from, to } = resolveWindow(series);
    expect(to - from).toBe(540);
    expect(from).toBe(184);
    expect(new Date(series.openTime[from]).toISOString()).toBe('2024-01-31T16:00:00.000Z');
    expect(new Date(series.openTime[to - 1]).toISOString()).toBe('2024-04-30T12:00:00.000Z');
  });

  it('holds fewer bars when the 90 days contain a gap', () => {
    // Every bar has an FGI: the window ends at 04-30 20:00 and starts at 05-01 00:00 − 90 d =
    // 2024-02-01 00:00 (540 bars); dropping 2024-03-10 (6 bars) leaves 534.
    const full = fourMonths(() => 50);
    const keep = Array.from(full.openTime.keys()).filter(
      (i) => new Date(full.openTime[i]).toISOString().slice(0, 10) !== '2024-03-10',
    );
    const pick = (a: Float64Array) => keep.map((i) => a[i]);
    const gapped = syntheticSeries({
      openTime: pick(full.openTime),
      open: pick(full.open),
      close: pick(full.close),
      fgi: pick(full.fgi),
    });
    const { from, to } = resolveWindow(gapped);
    expect(to - from).toBe(534);
    expect(new Date(gapped.openTime[from]).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(new Date(gapped.openTime[to - 1]).toISOString()).toBe('2024-04-30T20:00:00.000Z');
  });
});

describe('date range window', () => {
  const series = fourMonths(() => 50);

  it('includes every bar of the end day', () => {
    // [2024-02-01 00:00, 2024-03-01 00:00): 29 days (leap February) × 6 = 174 bars.
    const { from, to } = resolveWindow(series, { start: '2024-02-01', end: '2024-02-29' });
    expect(to - from).toBe(174);
    expect(new Date(series.openTime[from]).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(new Date(series.openTime[to - 1]).toISOString()).toBe('2024-02-29T20:00:00.000Z');
  });

  it('a single day holds its six 4h bars', () => {
    const { from, to } = resolveWindow(series, { start: '2024-03-15', end: '2024-03-15' });
    expect(to - from).toBe(6);
    expect(new Date(series.openTime[from]).toISOString()).toBe('2024-03-15T00:00:00.000Z');
  });

  it('is clipped to the bars that exist', () => {
    // From 2023-12-01 to 2024-01-02: only Jan 1 and Jan 2 exist → 12 bars from index 0.
    expect(resolveWindow(series, { start: '2023-12-01', end: '2024-01-02' })).toEqual({ from: 0, to: 12 });
  });
});

describe('NoDataInRangeError', () => {
  it('names the available span when the range holds no bar', () => {
    const series = fourMonths(() => 50);
    const error = (() => {
      try {
        resolveWindow(series, { start: '2010-01-01', end: '2010-12-31' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NoDataInRangeError);
    expect((error as Error).message).toContain('2010-01-01');
    expect((error as Error).message).toContain('2024-01-01 00:00 UTC');
    expect((error as Error).message).toContain('2024-04-30 20:00 UTC');
  });

  it('when the range has bars but none with an FGI value', () => {
    // FGI known from bar 60 (2024-01-11 00:00) on; January 1–5 has none.
    const series = fourMonths((i) => (i < 60 ? Number.NaN : 50));
    expect(() => resolveWindow(series, { start: '2024-01-01', end: '2024-01-05' })).toThrow(
      /Fear & Greed values are known from the bar opening 2024-01-11 00:00 UTC/,
    );
    expect(resolveWindow(series, { start: '2024-01-01', end: '2024-01-11' })).toEqual({ from: 0, to: 66 });
  });

  it('without a date range when no bar has an FGI value', () => {
    const series = fourMonths(() => Number.NaN);
    expect(() => resolveWindow(series)).toThrow(NoDataInRangeError);
    expect(() => resolveWindow(series)).toThrow(/no bar has a Fear & Greed value/);
  });
});
