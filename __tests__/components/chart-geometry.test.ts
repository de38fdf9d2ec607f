import { describe, expect, it } from 'vitest';
import { linePath, nearestIndex, positionBand, timeScale, timeTicks, valueScale, zoneAreas, type PlotBox } from '@/lib/client/chart-geometry';
import { toSplitSeaRows } from '@/lib/client/zone-split';
import type { DetailPoint } from '@/lib/engine/types';

/** A 100 × 100 box without margins: x = 0…100 over the rows, y(v) = 100 − v on the FGI scale. */
const BOX: PlotBox = { width: 100, height: 100, top: 0, right: 0, bottom: 0, left: 0 };
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

/** Detail points one hour apart with these FGI values and positions. */
const points = (fgi: (number | null)[], position: DetailPoint['position'][] = fgi.map(() => 0)): DetailPoint[] =>
  fgi.map((value, i) => ({ time: T0 + i * HOUR, price: 100 + i, fgi: value, equity: 1_000, buyAndHold: 1_000, position: position[i] }));

/** The vertices `[x, y]` of an SVG path, one array per subpath (M starts one). */
const subpaths = (d: string) =>
  d.split('M').filter(Boolean).map((part) => part.replace(/Z$/, '').split('L').map((xy) => xy.split(',').map(Number)));
const ys = (d: string) => new Set(subpaths(d).flat().map(([, y]) => y));

describe('chart geometry', () => {
  it('stacks the zone slices so each zone sits on the ones below and the top is the FGI', () => {
    const rows = toSplitSeaRows(points([60, 10, 90]), { low: 25, high: 75 }, '1h');
    const x = timeScale(rows[0].time, rows[2].time, BOX);
    const y = valueScale(0, 100, BOX, false);
    const areas = zoneAreas(rows, ['fear', 'neutral', 'greed'], x, y);
    expect(Object.keys(areas)).toEqual(['fear', 'neutral', 'greed']);
    // FGI 60, 10, 90 at 25/75: fear 25, 10, 25 from the axis (y 100) up.
    expect(ys(areas.fear!)).toEqual(new Set([100, 75, 90]));
    // neutral 25→60, nothing at 10 (an empty slice at 10), 25→75.
    expect(ys(areas.neutral!)).toEqual(new Set([75, 40, 90, 25]));
    // greed only in the third bar: 75→90; empty slices at 60 and 10.
    expect(ys(areas.greed!)).toEqual(new Set([40, 90, 25, 10]));
    // Steps after: the first bar's top holds until the next bar's time.
    const top = subpaths(areas.fear!)[0];
    expect(top.slice(0, 3)).toEqual([[0, 75], [50, 75], [50, 90]]);
  });

  it('stacks extreme zones under fear and over greed', () => {
    const rows = toSplitSeaRows(points([5, 95]), { low: 25, high: 75, extremeLow: 10, extremeHigh: 90 }, '1h');
    const x = timeScale(rows[0].time, rows[1].time, BOX);
    const y = valueScale(0, 100, BOX, false);
    const areas = zoneAreas(rows, ['extremeFear', 'fear', 'neutral', 'greed', 'extremeGreed'], x, y);
    expect(ys(areas.extremeFear!)).toEqual(new Set([100, 95, 90]));
    expect(ys(areas.extremeGreed!)).toEqual(new Set([95, 10, 5]));
  });

  it('leaves a gap where the FGI is unknown', () => {
    const rows = toSplitSeaRows(points([40, null, 40, 40]), { low: 25, high: 75 }, '1h');
    const x = timeScale(rows[0].time, rows[3].time, BOX);
    const areas = zoneAreas(rows, ['fear', 'neutral', 'greed'], x, valueScale(0, 100, BOX, false));
    expect(subpaths(areas.fear!)).toHaveLength(2);
    expect(subpaths(linePath(rows, (r) => r.fgi, x, valueScale(0, 100, BOX, false)))).toHaveLength(2);
  });

  it('fills the position band over the bars that ended in the position', () => {
    const rows = toSplitSeaRows(points([50, 50, 50, 50, 50], [0, 1, 1, -1, 0]), { low: 25, high: 75 }, '1h');
    const x = timeScale(rows[0].time, rows[4].time, BOX);
    const long = subpaths(positionBand(rows, (r) => r.position === 1, x, 0, 10))[0];
    // Step before: the band rises at the previous close (x 0) and falls at the long rows' end (x 50).
    const topEdge = long.filter(([, yy]) => yy === 0).map(([xx]) => xx);
    expect(Math.min(...topEdge)).toBe(0);
    expect(Math.max(...topEdge)).toBe(50);
    const short = subpaths(positionBand(rows, (r) => r.position === -1, x, 0, 10))[0];
    expect(short.filter(([, yy]) => yy === 0).map(([xx]) => xx)).toEqual([50, 75]);
  });

  it('rounds the value domain to nice ticks and widens an empty one', () => {
    const y = valueScale(3_012, 4_480, BOX);
    const [lo, hi] = y.domain();
    expect(lo).toBeLessThanOrEqual(3_012);
    expect(hi).toBeGreaterThanOrEqual(4_480);
    expect([y.ticks(5)[0], y.ticks(5).at(-1)]).toEqual([lo, hi]); // the domain ends on ticks
    expect(valueScale(7, 7, BOX).domain()).toEqual([6, 8]);
    expect(valueScale(Infinity, -Infinity, BOX).domain()).toEqual([0, 1]);
  });

  it('puts about one UTC time tick per 100 px, labelled by the shown span', () => {
    const x = timeScale(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), { ...BOX, width: 600 });
    const ticks = timeTicks(x);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(13);
    for (const tick of ticks) expect(tick.label).toMatch(/^\d{4}-\d{2}$/);
    expect(ticks[0].at).toBeGreaterThanOrEqual(0);
    expect(ticks.at(-1)!.at).toBeLessThanOrEqual(600);
  });

  it('finds the item nearest a time', () => {
    const items = [{ time: 0 }, { time: 10 }, { time: 20 }];
    expect(nearestIndex(items, -5)).toBe(0);
    expect(nearestIndex(items, 4)).toBe(0);
    expect(nearestIndex(items, 6)).toBe(1);
    expect(nearestIndex(items, 15)).toBe(2);
    expect(nearestIndex(items, 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
