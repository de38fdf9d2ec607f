/**
 * Merging precedence, off-grid and newest-bar dropping, gap runs and the point-in-time FGI join,
 * on small hand-made columns.
 */
import { describe, expect, it } from 'vitest';
import { joinFgiAtBarClose, mergeFgi } from '@/lib/market-data/fgi';
import { DAY_MS } from '@/lib/market-data/intervals';
import { dropNewestBar, mergeKlines, type KlineColumns } from '@/lib/market-data/klines';
import { findGaps } from '@/lib/market-data/series';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Bars at the given hour offsets from T0, each with close = `price` (open = high = low = close). */
function bars(hours: number[], price: number, volume = 1): KlineColumns {
  const openTime = Float64Array.from(hours, (h) => T0 + h * H);
  const same = () => new Float64Array(hours.length).fill(price);
  return { openTime, open: same(), high: same(), low: same(), close: same(), volume: new Float64Array(hours.length).fill(volume) };
}

describe('mergeKlines', () => {
  it('merges by open time, drops exact duplicates, and the first source wins a conflict', () => {
    const native = bars([2, 3, 4], 100);
    const csv = bars([0, 1, 2, 3, 5], 100);
    csv.close[3] = 999; // hour 3 conflicts with the native bar
    const merged = mergeKlines([native, csv], H);
    expect([...merged.openTime].map((t) => (t - T0) / H)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(merged.close[3]).toBe(100);
    expect(mergeKlines([csv, native], H).close[3]).toBe(999);
  });

  it('drops bars whose open time is not a multiple of the interval', () => {
    const offset = bars([0, 1, 2], 1);
    offset.openTime[1] += 28 * 60_000 + 14_789; // like 2018-02-09 09:28:14.789
    const merged = mergeKlines([offset], H);
    expect([...merged.openTime].map((t) => (t - T0) / H)).toEqual([0, 2]);
  });

  it('keeps gaps as gaps (no invented bars); dropNewestBar removes the last bar only', () => {
    const merged = mergeKlines([bars([0, 1, 5, 6], 1)], H);
    expect(merged.openTime.length).toBe(4);
    const dropped = dropNewestBar(merged);
    expect([...dropped.openTime].map((t) => (t - T0) / H)).toEqual([0, 1, 5]);
    expect(dropped.volume.length).toBe(3);
    expect(dropNewestBar(dropNewestBar(dropNewestBar(dropped))).openTime.length).toBe(0);
  });
});

describe('findGaps', () => {
  it('reports runs of missing steps with first/last missing open time and count', () => {
    const times = Float64Array.from([0, 1, 5, 6, 8], (h) => T0 + h * H);
    expect(findGaps(times, H)).toEqual([
      { from: T0 + 2 * H, to: T0 + 4 * H, bars: 3 },
      { from: T0 + 7 * H, to: T0 + 7 * H, bars: 1 },
    ]);
    expect(findGaps(new Float64Array(0), H)).toEqual([]);
  });
});

describe('mergeFgi', () => {
  it('adds days of later sources only after the last day of earlier ones', () => {
    const d = (n: number) => T0 + n * DAY_MS;
    const primary = { day: Float64Array.from([d(0), d(1), d(3)]), value: Float64Array.from([10, 11, 13]) };
    const extended = { day: Float64Array.from([d(0), d(2), d(3), d(4), d(6)]), value: Float64Array.from([9, 12, 13, 14, 16]) };
    const merged = mergeFgi([primary, extended]);
    expect([...merged.day]).toEqual([d(0), d(1), d(3), d(4), d(6)]);
    expect([...merged.value]).toEqual([10, 11, 13, 14, 16]);
  });
});

describe('joinFgiAtBarClose', () => {
  // FGI days 2024-01-02 (20) and 2024-01-04 (40); 2024-01-03 is missing.
  const fgi = { day: Float64Array.from([T0 + DAY_MS, T0 + 3 * DAY_MS]), value: Float64Array.from([20, 40]) };
  const join = (openHours: number[], intervalMs: number) =>
    [...joinFgiAtBarClose(Float64Array.from(openHours, (h) => T0 + h * H), intervalMs, fgi)];

  it('a bar sees the value of day D only once it closes at or after D 00:00', () => {
    // 4h bars opening 2024-01-01 16:00 (closes 20:00) and 20:00 (closes 2024-01-02 00:00).
    expect(join([16, 20], 4 * H)).toEqual([NaN, 20]);
    // 1h bar opening 2024-01-01 23:00 closes at 2024-01-02 00:00: sees day 2; opening 22:00 does not.
    expect(join([22, 23], H)).toEqual([NaN, 20]);
  });

  it('carries the previous value over missing days and never back-fills', () => {
    // 2024-01-03 is missing: bars that close on it keep 20; 2024-01-04's 40 only from its 00:00.
    expect(join([24, 48, 70, 71, 72, 94], H)).toEqual([20, 20, 20, 40, 40, 40]);
  });

  it('stops at the end of the FGI: no value once the day after its last day has begun', () => {
    // The last day is 2024-01-04 (hours 72..95); a bar closing at 2024-01-05 00:00 (hour 96) or
    // later has no value of its day: the last one is not carried on.
    expect(join([94, 95, 96, 200], H)).toEqual([40, NaN, NaN, NaN]);
  });

  it('gives NaN before the first FGI day and when there is no FGI at all', () => {
    expect(join([0, 1, 2], H)).toEqual([NaN, NaN, NaN]);
    expect(joinFgiAtBarClose(Float64Array.from([T0]), H, { day: new Float64Array(0), value: new Float64Array(0) })[0]).toBeNaN();
  });
});
