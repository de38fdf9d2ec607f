/**
 * The statistics of SPEC §4 on equity series and trades computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../lib/engine';
import {
  barsPerYear,
  calmarRatio,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
} from '../../lib/engine/metrics';
import { syntheticSeries } from '../helpers/synthetic-series';

const EXACT = 8;

describe('equity kernels', () => {
  // e_0 = 100, e_1..e_4 = 110, 99, 108.9, 108.9 → r = +0.1, −0.1, +0.1, 0.
  const equity = Float64Array.from([110, 99, 108.9, 108.9]);
  // With B = 4 bars per year (√B = 2) the annualisation is easy to follow.
  const B = 4;

  it('returns and maximum drawdown', () => {
    expect(totalReturn(108.9, 100)).toBeCloseTo(8.9, EXACT);
    // Peak 110 then 99: (110 − 99) / 110 = 10 %.
    expect(maxDrawdown(equity, 100)).toBeCloseTo(10, EXACT);
    // Never below the running peak → 0; a fall from e_0 itself counts.
    expect(maxDrawdown(Float64Array.from([100, 120, 130]), 100)).toBe(0);
    expect(maxDrawdown(Float64Array.from([80, 90]), 100)).toBeCloseTo(20, EXACT);
  });

  it('Sharpe ratio with the sample standard deviation', () => {
    // mean = 0.1 / 4 = 0.025; deviations 0.075, −0.125, 0.075, −0.025;
    // squares 0.005625 + 0.015625 + 0.005625 + 0.000625 = 0.0275; / (n − 1 = 3) = 0.00916667;
    // std = 0.0957427; Sharpe = 0.025 / 0.0957427 × √4 = 0.5222330.
    expect(sharpeRatio(equity, 100, B)).toBeCloseTo(0.522233, 6);
    // Constant equity: std 0 → 0; a single bar: n < 2 → 0.
    expect(sharpeRatio(Float64Array.from([100, 100, 100]), 100, B)).toBe(0);
    expect(sharpeRatio(Float64Array.from([110]), 100, B)).toBe(0);
  });

  it('Sortino ratio with the downside deviation over all bars', () => {
    // min(r, 0)² = 0, 0.01, 0, 0 → mean 0.0025 → √ = 0.05; 0.025 / 0.05 × 2 = 1.
    expect(sortinoRatio(equity, 100, B)).toBeCloseTo(1, EXACT);
    // No negative bar → denominator 0 → 0.
    expect(sortinoRatio(Float64Array.from([110, 120]), 100, B)).toBe(0);
  });

  it('Calmar ratio: annualised return over maximum drawdown', () => {
    // (108.9 / 100)^(4/4) − 1 = 8.9 %; / 10 % = 0.89.
    expect(calmarRatio(108.9, 100, 4, B, 10)).toBeCloseTo(0.89, EXACT);
    // Two bars at B = 4: (1.21)^(4/2) − 1 = 0.4641 → 46.41 % / 5 % = 9.282.
    expect(calmarRatio(121, 100, 2, B, 5)).toBeCloseTo(9.282, EXACT);
    expect(calmarRatio(108.9, 100, 4, B, 0)).toBeNull();
  });

  it('bars per year from the bar length', () => {
    // 365 × 24 / 4 = 2,190; / 1 = 8,760; / 0.25 = 35,040.
    expect(barsPerYear(14_400_000)).toBe(2190);
    expect(barsPerYear(3_600_000)).toBe(8760);
    expect(barsPerYear(900_000)).toBe(35040);
  });
});

describe('trade metrics on a win and a loss (leverage 1, contrarian 25/75)', () => {
  // bar0 FGI 20 → LONG. bar1 open 100: margin 9,500, Q 95, fee 4.75, cash 495.25;
  //   funding 0.00005 × 9,500 = 0.475 → cash 494.775; equity 9,994.775. FGI 50 → FLAT.
  // bar2 open 110: close fee 0.0005 × 95 × 110 = 5.225, gross 950 → cash 10,939.55;
  //   PnL₁ = 950 − 4.75 − 5.225 − 0.475 = 939.55. FGI 80 → SHORT.
  // bar3 open 110: margin 0.95 × 10,939.55 = 10,392.5725, fee 5.19628625, cash 541.78121375;
  //   funding at close 121 received 0.00005 × 10,392.5725 × 1.1 = 0.5715914875 → cash 542.3528052375;
  //   equity = 542.3528052375 + 10,392.5725 − 1,039.25725 = 9,895.6680552375. FGI 50 → FLAT.
  // bar4 open 121: close fee 0.0005 × 11,431.82975 = 5.715914875, gross −1,039.25725;
  //   PnL₂ = −1,039.25725 − 5.19628625 − 5.715914875 + 0.5715914875 = −1,049.5978596375;
  //   cash = equity = 9,889.9521403625 = 10,000 + 939.55 − 1,049.5978596375.
  const series = syntheticSeries({
    open: [100, 100, 110, 110, 121],
    close: [100, 100, 110, 121, 121],
    fgi: [20, 50, 80, 50, 50],
  });
  const { metrics } = runBacktest(series, {
    asset: 'ETH',
    timeframe: '4h',
    leverage: 1,
    lowThreshold: 25,
    highThreshold: 75,
    strategy: 'contrarian',
  });

  it('profit factor, win rate, average win and loss', () => {
    expect(metrics.trades).toBe(2);
    expect(metrics.winRate).toBe(50);
    // 939.55 / 1,049.5978596375 = 0.8951505…
    expect(metrics.profitFactor).toBeCloseTo(939.55 / 1049.5978596375, EXACT);
    // 939.55 / 9,500 × 100 = 9.89 %; −1,049.5978596375 / 10,392.5725 × 100 = −10.0993…%.
    expect(metrics.avgWin).toBeCloseTo(9.89, EXACT);
    expect(metrics.avgLoss).toBeCloseTo((-1049.5978596375 / 10392.5725) * 100, EXACT);
    // Fees 4.75 + 5.225 + 5.19628625 + 5.715914875; funding 0.475 − 0.5715914875.
    expect(metrics.fees).toBeCloseTo(20.887201125, EXACT);
    expect(metrics.funding).toBeCloseTo(-0.0965914875, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(9889.9521403625, EXACT);
    // Positions at the closes of bars 1 and 3: 2 of 5.
    expect(metrics.exposure).toBe(40);
    // Buy-and-hold: 121 / 100 − 1 = 21 %.
    expect(metrics.buyAndHoldReturn).toBeCloseTo(21, EXACT);
    expect(metrics.bars).toBe(5);
    expect(metrics.liquidated).toBe(false);
  });

  it('equity statistics use B = 2,190 for 4h bars', () => {
    // e = 10,000 | 10,000, 9,994.775, 10,939.55, 9,895.6680552375, 9,889.9521403625.
    // r = 0, −0.0005225, 0.0945286…, −0.0954225…, −0.000577604…
    const r = [0, -0.0005225, 10939.55 / 9994.775 - 1, 9895.6680552375 / 10939.55 - 1, 9889.9521403625 / 9895.6680552375 - 1];
    const mean = r.reduce((a, b) => a + b) / 5;
    const std = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / 4);
    const downside = Math.sqrt(r.reduce((a, x) => a + Math.min(x, 0) ** 2, 0) / 5);
    expect(metrics.sharpeRatio).toBeCloseTo((mean / std) * Math.sqrt(2190), EXACT);
    expect(metrics.sortinoRatio).toBeCloseTo((mean / downside) * Math.sqrt(2190), EXACT);
    // Peak 10,939.55, trough 9,889.9521403625 → 9.5945…%.
    const drawdown = ((10939.55 - 9889.9521403625) / 10939.55) * 100;
    expect(metrics.maxDrawdown).toBeCloseTo(drawdown, EXACT);
    expect(metrics.calmarRatio).toBeCloseTo(
      (((9889.9521403625 / 10000) ** (2190 / 5) - 1) * 100) / drawdown,
      EXACT,
    );
    expect(metrics.returns).toBeCloseTo(-1.10047859637, EXACT);
  });

  it('period: open time of the first bar to close time of the last', () => {
    expect(metrics.period).toEqual({ start: '2024-01-01T00:00:00.000Z', end: '2024-01-01T20:00:00.000Z' });
  });
});
