import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DetailPoint, Trade } from '@/lib/engine/types';
import { ETH_4H_PARAMS } from '../helpers/params';
import { tradeFixture } from './api-mock';
import { atBarClose, splitFgi, thresholdsOf, toSplitSeaRows, tradeMarkers, zoneOf, ZONES } from '@/lib/client/zone-split';

const point = (time: number, fgi: number | null, position: DetailPoint['position'] = 0): DetailPoint => ({
  time,
  price: 100 + time,
  fgi,
  equity: 10_000,
  buyAndHold: 10_000,
  position,
});

describe('zone split of the FGI', () => {
  const t = { low: 25, high: 75 };

  it('puts a fear value entirely in the fear zone', () => {
    expect(splitFgi(10, t)).toEqual({ extremeFear: 0, fear: 10, neutral: 0, greed: 0, extremeGreed: 0 });
  });

  it('stacks fear up to the low line, then neutral', () => {
    expect(splitFgi(50, t)).toEqual({ extremeFear: 0, fear: 25, neutral: 25, greed: 0, extremeGreed: 0 });
  });

  it('fills fear and neutral and puts the rest above the high line in greed', () => {
    expect(splitFgi(90, t)).toEqual({ extremeFear: 0, fear: 25, neutral: 50, greed: 15, extremeGreed: 0 });
  });

  it('splits the outer parts into extreme zones when extreme thresholds are set', () => {
    const e = { low: 25, high: 75, extremeLow: 10, extremeHigh: 90 };
    expect(splitFgi(5, e)).toEqual({ extremeFear: 5, fear: 0, neutral: 0, greed: 0, extremeGreed: 0 });
    expect(splitFgi(20, e)).toEqual({ extremeFear: 10, fear: 10, neutral: 0, greed: 0, extremeGreed: 0 });
    expect(splitFgi(95, e)).toEqual({ extremeFear: 10, fear: 15, neutral: 50, greed: 15, extremeGreed: 5 });
  });

  it('gives slices that are non-negative and sum to the FGI for any thresholds', () => {
    const thresholds = fc
      .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.boolean())
      .filter(([a, b]) => a !== b)
      .chain(([a, b, extreme]) => {
        const low = Math.min(a, b);
        const high = Math.max(a, b);
        return extreme
          ? fc.tuple(fc.integer({ min: 0, max: low }), fc.integer({ min: high, max: 100 })).map(([extremeLow, extremeHigh]) => ({
              low,
              high,
              extremeLow,
              extremeHigh,
            }))
          : fc.constant({ low, high });
      });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), thresholds, (fgi, th) => {
        const slices = splitFgi(fgi, th);
        const values = ZONES.map((z) => slices[z] as number);
        for (const v of values) expect(v).toBeGreaterThanOrEqual(0);
        expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(fgi, 10);
        expect((slices.extremeFear ?? 0) + (slices.fear ?? 0)).toBeLessThanOrEqual(th.low);
      }),
    );
  });

  it('leaves a gap (all null) where the FGI is unknown', () => {
    expect(splitFgi(null, t)).toEqual({ extremeFear: null, fear: null, neutral: null, greed: null, extremeGreed: null });
  });

  it('names zones with the strategy rule: ≤ low is fear, ≥ high is greed', () => {
    expect(zoneOf(25, t)).toBe('fear');
    expect(zoneOf(26, t)).toBe('neutral');
    expect(zoneOf(75, t)).toBe('greed');
    expect(zoneOf(null, t)).toBeNull();
    const e = { ...t, extremeLow: 10, extremeHigh: 90 };
    expect(zoneOf(10, e)).toBe('extremeFear');
    expect(zoneOf(90, e)).toBe('extremeGreed');
    expect(zoneOf(89, e)).toBe('greed');
  });

  it('builds chart rows with the zone slices and the long/short band, each at its bar close', () => {
    const hour = 3_600_000;
    const rows = toSplitSeaRows([point(0, 10, 1), point(hour, 50, 0), point(2 * hour, 80, -1)], t, '1h');
    expect(rows.map((r) => [r.time, r.fear, r.neutral, r.greed, r.zone, r.long, r.short])).toEqual([
      [hour, 10, 0, 0, 'fear', 1, 0],
      [2 * hour, 25, 25, 0, 'neutral', 0, 0],
      [3 * hour, 25, 50, 5, 'greed', 0, 1],
    ]);
    expect(rows[0].price).toBe(100);
  });

  it('places points at open time + the bar length of their timeframe', () => {
    const open = Date.UTC(2024, 11, 31, 20);
    expect(atBarClose([point(open, 50)], '4h')[0].time).toBe(Date.UTC(2025, 0, 1));
    expect(atBarClose([point(open, 50)], '15m')[0]).toEqual({ ...point(open, 50), time: open + 15 * 60_000 });
  });

  it("takes a result's thresholds from its params, extremes only when it used them", () => {
    expect(thresholdsOf(ETH_4H_PARAMS)).toEqual({ low: 25, high: 75 });
    expect(thresholdsOf({ ...ETH_4H_PARAMS, extremeLowThreshold: 10, extremeHighThreshold: 90 })).toEqual({
      low: 25,
      high: 75,
      extremeLow: 10,
      extremeHigh: 90,
    });
  });
});

describe('trade markers', () => {
  const trade = (over: Partial<Trade>) =>
    tradeFixture({ entryTime: 1, entryPrice: 100, exitTime: 2, exitPrice: 110, pnl: 9.9, ...over });

  it('marks every entry, and each exit as an exit or a liquidation', () => {
    const m = tradeMarkers([trade({}), trade({ side: 'short', entryTime: 3, exitTime: 4, exitPrice: 150, exitReason: 'liquidation' })]);
    expect(m.entries).toEqual([
      { time: 1, price: 100, side: 'long', trade: 0 },
      { time: 3, price: 100, side: 'short', trade: 1 },
    ]);
    expect(m.exits).toEqual([{ time: 2, price: 110, side: 'long', trade: 0 }]);
    expect(m.liquidations).toEqual([{ time: 4, price: 150, side: 'short', trade: 1 }]);
  });
});
