import { describe, expect, it } from 'vitest';
import { planHeatmap } from '@/lib/engine';
import { chooseStepPair, GRID_PAIRS, mergeChoices, pairsIn, ranksAbove, splitLows } from '@/lib/walk-forward/choose';
import type { ChoiceTask, WalkForwardInput } from '@/lib/walk-forward/types';
import { syntheticSeries } from '../helpers/synthetic-series';
import { syntheticInput } from './input';
import { day, regimeSeries } from './regimes';

// Days: 0–1 contrarian (long fear / short greed wins every bar), 2–3 rising, 4–5 falling, 6–7 contrarian.
const series = regimeSeries(['contrarian', 'contrarian', 'rising', 'rising', 'falling', 'falling', 'contrarian', 'contrarian']);
const input = syntheticInput();
const choose = (start: number, end: number, overrides = {}) =>
  chooseStepPair(series, syntheticInput(overrides), { train: { start: day(start), end: day(end) } });

describe('the choice on a training window', () => {
  it('picks the lowest pair of the best class in each regime', () => {
    // Contrarian days: (long at 20, short at 80) wins every bar → lowest pair of that class (20, 21).
    expect(choose(0, 1).pair).toEqual({ low: 20, high: 21 });
    // Rising: long at both 20 and 80 (low ≥ 80) → (80, 81).
    expect(choose(2, 3).pair).toEqual({ low: 80, high: 81 });
    // Falling: short at both (high ≤ 20) → (1, 2).
    expect(choose(4, 5).pair).toEqual({ low: 1, high: 2 });
  });

  it('scores the chosen pair exactly as its heatmap cell, over the training bars', () => {
    const choice = choose(0, 1);
    const cell = planHeatmap(series, { leverage: 3, strategy: 'contrarian', dateRange: { start: day(0), end: day(1) } }).cell(20, 21)!;
    expect(choice.training).toEqual({ ...cell, bars: 12 });
    expect(choice.objectiveValue).toBe(cell.returns);
    expect(choice.bars).toBe(12);
    // Every pair except the (flat, flat) class (low < 20, high > 80: 19 × 20 = 380 pairs) trades.
    expect(choice.eligiblePairs).toBe(4950 - 380);
  });

  it('breaks ties by the lowest low, then the lowest high', () => {
    // FGI 30 throughout and a rising price: every pair with low ≥ 30 is long all the time and
    // scores the same; the lowest such pair is (30, 31).
    const n = 12;
    const open = Array.from({ length: n }, (_, i) => 100 * 1.01 ** i);
    const flatFgi = syntheticSeries({ open, close: open.map((o) => o * 1.01), fgi: new Array(n).fill(30) });
    const choice = chooseStepPair(flatFgi, input, { train: { start: day(0), end: day(1) } });
    expect(choice.pair).toEqual({ low: 30, high: 31 });
    const plan = planHeatmap(flatFgi, { leverage: 3, strategy: 'contrarian', dateRange: { start: day(0), end: day(1) } });
    expect(plan.cell(99, 100)!.returns).toBe(choice.objectiveValue);
  });

  it('leaves out pairs with fewer than minTrades trades', () => {
    // Rising days: (long, long) = one trade held throughout; with minTrades 2 the best remaining
    // class is (long at 20, flat at 80), two trades → (20, 81).
    const cell = planHeatmap(series, { leverage: 3, strategy: 'contrarian', dateRange: { start: day(2), end: day(3) } }).cell(80, 81)!;
    expect(cell.trades).toBe(1);
    const choice = choose(2, 3, { minTrades: 2 });
    expect(choice.pair).toEqual({ low: 20, high: 81 });
    expect(choice.training!.trades).toBeGreaterThanOrEqual(2);
    expect(choice.eligiblePairs).toBeLessThan(choose(2, 3).eligiblePairs);
  });

  it('chooses nothing when no pair has minTrades trades, or the window has no FGI', () => {
    expect(choose(0, 1, { minTrades: 100 })).toEqual({ pair: null, objectiveValue: null, training: null, eligiblePairs: 0, bars: 12 });
    expect(chooseStepPair(series, input, { train: { start: '2023-01-01', end: '2023-01-31' } })).toMatchObject({ pair: null, bars: 0 });
  });

  it('ranks a null calmarRatio below any number', () => {
    expect(ranksAbove(-5, null)).toBe(true);
    expect(ranksAbove(null, -1e9)).toBe(false);
    expect(ranksAbove(null, null)).toBe(false);
    expect(ranksAbove(2, 2)).toBe(false);
    // Rising days: (long, long) never draws down (calmar null) although it returns the most;
    // the calmar choice is a pair with a number.
    const plan = planHeatmap(series, { leverage: 3, strategy: 'contrarian', dateRange: { start: day(2), end: day(3) } });
    expect(plan.cell(80, 81)!.calmarRatio).toBeNull();
    const choice = choose(2, 3, { objective: 'calmarRatio' });
    expect(choice.objectiveValue).not.toBeNull();
    expect(choice.pair).not.toEqual({ low: 80, high: 81 });
    expect(choice.pair!.low).toBeLessThan(80);
  });
});

/** The choice of `task` cut into `parts` parts over the lows, each part cloned as a worker would send it back. */
function chooseInParts(s: typeof series, partInput: WalkForwardInput, task: ChoiceTask, parts: number) {
  return mergeChoices(splitLows(parts).map((lows) => structuredClone(chooseStepPair(s, partInput, { ...task, lows }))));
}

describe('a search cut into parts over the lows', () => {
  it('splits the lows into consecutive ranges of about equally many pairs', () => {
    expect(GRID_PAIRS).toBe(4950);
    for (const parts of [1, 2, 3, 8, 16, 99]) {
      const ranges = splitLows(parts);
      expect(ranges).toHaveLength(parts);
      expect(ranges[0].first).toBe(1);
      expect(ranges.at(-1)!.last).toBe(99);
      ranges.forEach((range, k) => {
        expect(range.last).toBeGreaterThanOrEqual(range.first);
        if (k > 0) expect(range.first).toBe(ranges[k - 1].last + 1);
        // Within one low's pairs (at most 99) of an equal share.
        if (parts < 99) expect(Math.abs(pairsIn(range) - GRID_PAIRS / parts)).toBeLessThanOrEqual(99);
      });
      expect(ranges.reduce((n, range) => n + pairsIn(range), 0)).toBe(GRID_PAIRS);
    }
    expect(splitLows(0)).toEqual([{ first: 1, last: 99 }]);
    expect(splitLows(500)).toHaveLength(99);
  });

  it('scans only its lows', () => {
    // Contrarian days: the best pair overall is (20, 21); lows 21..99 hold the (long, short) class too, from (21, 22).
    const whole = choose(0, 1);
    const upper = chooseStepPair(series, input, { train: { start: day(0), end: day(1) }, lows: { first: 21, last: 99 } });
    expect(whole.pair).toEqual({ low: 20, high: 21 });
    expect(upper.pair).toEqual({ low: 21, high: 22 });
    expect(upper.eligiblePairs).toBe(pairsIn({ first: 21, last: 99 }));
  });

  it('joins into exactly the choice of the whole grid, ties and minTrades included', () => {
    const cases: [WalkForwardInput, ChoiceTask][] = [];
    for (const objective of ['returns', 'sharpeRatio', 'calmarRatio'] as const) {
      for (const [from, to] of [[0, 1], [2, 3], [4, 5], [0, 7], [1, 6]]) {
        for (const minTrades of [1, 2, 100]) {
          cases.push([syntheticInput({ objective, minTrades }), { train: { start: day(from), end: day(to) } }]);
        }
      }
    }
    // A window without FGI: every part chooses nothing.
    cases.push([input, { train: { start: '2023-01-01', end: '2023-01-31' } }]);
    for (const [caseInput, task] of cases) {
      const whole = chooseStepPair(series, caseInput, task);
      for (const parts of [2, 3, 7, 99]) expect(chooseInParts(series, caseInput, task, parts)).toEqual(whole);
    }
  });

  it('keeps the tie rule across parts: the lowest low wins over equal later parts', () => {
    // Every pair with low ≥ 30 scores the same (see the tie test above): parts after the one holding 30 tie with it.
    const n = 12;
    const open = Array.from({ length: n }, (_, i) => 100 * 1.01 ** i);
    const flatFgi = syntheticSeries({ open, close: open.map((o) => o * 1.01), fgi: new Array(n).fill(30) });
    const task = { train: { start: day(0), end: day(1) } };
    for (const parts of [2, 5, 16, 99]) expect(chooseInParts(flatFgi, input, task, parts).pair).toEqual({ low: 30, high: 31 });
  });

  it('matches the whole grid on a noisy series where the best pairs are scattered', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const n = 6 * 20;
    const open: number[] = [];
    const close: number[] = [];
    let price = 100;
    for (let i = 0; i < n; i++) {
      open.push(price);
      price *= 1 + (random() - 0.5) * 0.06;
      close.push(price);
    }
    const noisy = syntheticSeries({ open, close, fgi: Array.from({ length: n }, () => 1 + Math.floor(random() * 99)) });
    const task = { train: { start: day(0), end: day(19) } };
    for (const objective of ['returns', 'sharpeRatio', 'calmarRatio'] as const) {
      const caseInput = syntheticInput({ objective, minTrades: 3 });
      const whole = chooseStepPair(noisy, caseInput, task);
      expect(whole.pair).not.toBeNull();
      for (const parts of [2, 4, 8]) expect(chooseInParts(noisy, caseInput, task, parts)).toEqual(whole);
    }
  });

  it('refuses to join no parts', () => {
    expect(() => mergeChoices([])).toThrow(/at least one part/);
  });
});
