import { describe, expect, it } from 'vitest';
import { annualisedReturn, chainEquity, outOfSampleMetrics, type ChainSegment } from '@/lib/walk-forward/chain';
import { syntheticSeries } from '../helpers/synthetic-series';

const C = 10_000;
// Six flat-priced bars; funding known on bars 0–2 only (coverage 50 %).
const series = syntheticSeries({
  open: [100, 100, 100, 100, 100, 100],
  close: [100, 100, 100, 100, 100, 100],
  fgi: [50, 50, 50, 50, 50, 50],
  fundingRate: [0.0001, 0.0001, 0.0001, NaN, NaN, NaN],
});
const segment = (from: number, to: number, equity: number[] | null): ChainSegment => ({ from, to, equity, metrics: null, trades: [] });
const EMPTY = { start: '', end: '' };

describe('chained out-of-sample equity', () => {
  it('scales each window by the product of the earlier final equity / capital', () => {
    // Window 0 ends at 12,000 (S_1 = 1.2); window 1 is flat; window 2 (from capital) ends at 9,000.
    const chain = chainEquity([segment(0, 2, [11_000, 12_000]), segment(2, 3, null), segment(3, 5, [10_500, 9_000])], C);
    expect(Array.from(chain.equity)).toEqual([11_000, 12_000, 12_000, 12_600, 10_800]);
    expect(chain.scales).toEqual([1, 1.2, 1.2]);
    expect(chain.ends).toEqual([12_000, 12_000, 10_800]);
    expect(chain.active).toEqual([true, false, true]);
    const m = outOfSampleMetrics(series, [segment(0, 2, [11_000, 12_000]), segment(2, 3, null), segment(3, 5, [10_500, 9_000])], chain, C, EMPTY);
    expect(m.returns).toBeCloseTo(8, 12); // 10,800 / 10,000 − 1
    expect(m.maxDrawdown).toBeCloseTo((1_800 / 12_600) * 100, 12); // peak 12,600, trough 10,800
    expect(m.fundingCoverage).toBeCloseTo(60, 12); // bars 0, 1, 2 of 5
    expect(m.bars).toBe(5);
  });

  it('never goes below 0, and a chain at 0 stays there with finite ratios', () => {
    const chain = chainEquity([segment(0, 2, [5_000, -3]), segment(2, 4, [20_000, 30_000])], C);
    expect(Array.from(chain.equity)).toEqual([5_000, 0, 0, 0]);
    expect(chain.scales).toEqual([1, 0]);
    const m = outOfSampleMetrics(series, [segment(0, 2, [5_000, -3]), segment(2, 4, [20_000, 30_000])], chain, C, EMPTY);
    expect(m.returns).toBe(-100);
    expect(m.maxDrawdown).toBe(100);
    expect(Number.isFinite(m.sharpeRatio)).toBe(true);
    expect(Number.isFinite(m.sortinoRatio)).toBe(true);
  });

  it('annualises a window return by B / bars', () => {
    // +10 % over 1,095 4h bars (half a year of 2,190): 1.1² − 1 = 21 %.
    expect(annualisedReturn(10, 1_095, 2_190)).toBeCloseTo(21, 10);
    expect(annualisedReturn(-100, 10, 2_190)).toBe(-100);
    expect(annualisedReturn(5, 0, 2_190)).toBeNull();
  });
});
