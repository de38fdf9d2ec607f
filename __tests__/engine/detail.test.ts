/**
 * The chart detail: at most 600 points, trade bars and the last bar always kept, full trade list.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../lib/engine';
import { selectDetailBars } from '../../lib/engine/detail';
import { loadSeries } from '../../lib/market-data';
import { syntheticSeries } from '../helpers/synthetic-series';

describe('selectDetailBars', () => {
  it('keeps every bar when they fit', () => {
    expect(selectDetailBars(5, [1, 3], 600)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the trade bars and the last bar, fills the rest evenly, never exceeds the limit', () => {
    // 1,000 bars, limit 10, must keep 7 and 500 (+ last 999): 7 evenly spaced bars over 0..999
    // at step 999 / 6 = 166.5 → 0, 167, 333, 500, 666, 833, 999; merged with 7, 500, 999.
    expect(selectDetailBars(1000, [500, 7], 10)).toEqual([0, 7, 167, 333, 500, 666, 833, 999]);
  });

  it('thins the required bars evenly when they alone exceed the limit', () => {
    const required = Array.from({ length: 50 }, (_, k) => k * 10);
    const selected = selectDetailBars(1000, required, 5);
    // 51 required (with the last, 999) → indices 0, 12.5→13, 25, 37.5→38, 50 of that list.
    expect(selected).toEqual([0, 130, 250, 380, 999]);
  });
});

describe('buildDetail', () => {
  it('gives price, FGI (null when unknown), equity, buy-and-hold and position per point', () => {
    const series = syntheticSeries({
      open: [100, 110, 120, 130],
      close: [105, 115, 125, 140],
      fgi: [Number.NaN, 20, 50, 50],
    });
    const { detail } = runBacktest(
      series,
      { asset: 'ETH', timeframe: '4h', leverage: 1, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian' },
      { detail: true },
    );
    const points = detail!.points;
    expect(points.map((p) => p.time)).toEqual(Array.from(series.openTime));
    expect(points.map((p) => p.price)).toEqual([105, 115, 125, 140]);
    expect(points.map((p) => p.fgi)).toEqual([null, 20, 50, 50]);
    // Buy-and-hold = 10,000 × close / first open (100).
    expect(points.map((p) => p.buyAndHold)).toEqual([10500, 11500, 12500, 14000]);
    // Long decided at bar1's close, held over bar2 only.
    expect(points.map((p) => p.position)).toEqual([0, 0, 1, 0]);
    expect(detail!.trades).toHaveLength(1);
  });

  it('downsamples a year of 15m bars to ≤ 600 points with every trade bar and the last bar', async () => {
    const series = await loadSeries('ETH', '15m');
    const { metrics, detail } = runBacktest(
      series,
      {
        asset: 'ETH',
        timeframe: '15m',
        leverage: 2,
        lowThreshold: 30,
        highThreshold: 70,
        strategy: 'contrarian',
        dateRange: { start: '2025-01-01', end: '2025-10-31' },
      },
      { detail: true },
    );
    const { points, trades } = detail!;
    expect(metrics.bars).toBeGreaterThan(20_000);
    expect(points.length).toBeLessThanOrEqual(600);
    expect(points.length).toBeGreaterThan(590);
    const times = new Set(points.map((p) => p.time));
    const lastOpen = Date.parse(metrics.period.end) - series.intervalMs;
    expect(times.has(lastOpen)).toBe(true);
    expect(trades.length).toBe(metrics.trades);
    expect(trades.length).toBeGreaterThan(0);
    for (const trade of trades) {
      expect(times.has(trade.entryTime)).toBe(true);
      if (trade.exitReason !== 'end') expect(times.has(trade.exitTime)).toBe(true);
    }
    expect(points.at(-1)!.equity).toBe(metrics.finalEquity);
    expect(points.every((p, k) => k === 0 || p.time > points[k - 1].time)).toBe(true);
  });
});
