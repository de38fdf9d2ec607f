import { describe, expect, it } from 'vitest';
import { planHeatmap } from '@/lib/engine';
import { chooseStepPair, ranksAbove } from '@/lib/walk-forward/choose';
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
