/**
 * The isolated wallet W of SPEC §3 and historical funding, on small synthetic 4h series with
 * the default config (capital 10,000, margin 95 % of cash, taker fee 0.05 %, fixed funding
 * 0.01 % per 8 h = 0.005 % per 4h bar where series.fundingRate is NaN, MMR 0.5 %, stop at 1 %
 * of capital = 100 USDT). Every expected number is worked out by hand in the comments.
 *
 * Wallet rules used throughout: opening at P with leverage L: M = 0.95 × cash, Q = M × L / P,
 * fee 0.0005 × Q × P, cash −= M + fee, W = M. Funding at a close: W −= rate × Q × close × side.
 * Liquidation price: long (Q·E − W) / (Q × 0.995), short (Q·E + W) / (Q × 1.005).
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../lib/engine';
import type { BacktestParams } from '../../lib/schemas';
import { syntheticOpenTime as t, syntheticSeries, type SyntheticBars } from '../helpers/synthetic-series';

const EXACT = 8;
const NaN_ = Number.NaN;

function run(bars: SyntheticBars, overrides: Partial<BacktestParams> = {}) {
  const params: BacktestParams = {
    asset: 'ETH',
    timeframe: '4h',
    leverage: 10,
    lowThreshold: 25,
    highThreshold: 75,
    strategy: 'contrarian',
    ...overrides,
  };
  const { metrics, detail } = runBacktest(syntheticSeries(bars), params, { detail: true });
  return { metrics, trades: detail!.trades, points: detail!.points };
}

describe('funding taken from the wallet moves the liquidation price', () => {
  it('a 1 % settlement lifts a 10× long’s LP above a low the fixed rate would survive', () => {
    // bar1 open 100: M = W = 9,500, Q = 950, fee 47.5, cash 452.5;
    //   LP = (95,000 − 9,500) / 945.25 = 90.4522613.
    // bar1 close 100, fundingRate 0.01: 0.01 × 950 × 100 = 950 from W → W = 8,550;
    //   LP = (95,000 − 8,550) / 945.25 = 86,450 / 945.25 = 91.4578154.
    //   equity = 452.5 + 8,550 = 9,002.5.
    // bar2 low 91: above the opening LP 90.45 but ≤ 91.4578 → liquidated within bar2.
    //   W (8,550) is lost; PnL = −9,500 − 47.5 = −9,547.5; trade funding 950; cash = equity 452.5.
    const bars: SyntheticBars = {
      open: [100, 100, 100],
      close: [100, 100, 100],
      low: [100, 100, 91],
      fgi: [20, 20, 50],
      fundingRate: [NaN_, 0.01, NaN_],
    };
    const { trades, metrics, points } = run(bars);
    expect(points[1].equity).toBeCloseTo(9002.5, EXACT);
    expect(trades).toHaveLength(1);
    expect(trades[0].exitReason).toBe('liquidation');
    expect(trades[0].exitTime).toBe(t(2));
    expect(trades[0].exitPrice).toBeCloseTo(86450 / 945.25, EXACT);
    expect(trades[0].funding).toBeCloseTo(950, EXACT);
    expect(trades[0].pnl).toBeCloseTo(-9547.5, EXACT);
    expect(metrics.funding).toBeCloseTo(950, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(452.5, EXACT);

    // The same bars with funding unknown (fixed 0.005 %: 4.75 from W at bar1's close, LP
    // 90.4573): bar2's low 91 does not reach it, so the long is still open at bar2's close
    // (another 4.75 of funding) and closed there, the last bar, with fee 47.5:
    // PnL = −47.5 − 47.5 − 4.75 − 4.75 = −104.5.
    const fixed = run({ ...bars, fundingRate: undefined });
    expect(fixed.trades[0].exitReason).toBe('end');
    expect(fixed.trades[0].pnl).toBeCloseTo(-104.5, EXACT);
  });
});

describe('liquidation at a bar close caused by funding', () => {
  it('liquidates a long when the funding just taken moves LP to or past the close', () => {
    // bar1 open 100: M = W = 9,500, Q = 950, fee 47.5, cash 452.5, LP 90.4523.
    // bar1 low 92 > 90.45: no intrabar liquidation. Close 92, fundingRate 0.02:
    //   0.02 × 950 × 92 = 1,748 from W → W = 7,752; LP = (95,000 − 7,752) / 945.25
    //   = 87,248 / 945.25 = 92.3015075 ≥ 92 → liquidated at the close.
    // The bar still counts as exposed (it paid funding at its close); equity = cash = 452.5.
    // PnL = −9,500 − 47.5 = −9,547.5; trade funding 1,748.
    const { trades, metrics, points } = run({
      open: [100, 100, 92],
      close: [100, 92, 92],
      low: [100, 92, 92],
      high: [100, 100, 92],
      fgi: [20, 50, 50],
      fundingRate: [NaN_, 0.02, NaN_],
    });
    expect(trades).toHaveLength(1);
    expect(trades[0].exitReason).toBe('liquidation');
    expect(trades[0].exitTime).toBe(t(1));
    expect(trades[0].exitPrice).toBeCloseTo(87248 / 945.25, EXACT);
    expect(trades[0].funding).toBeCloseTo(1748, EXACT);
    expect(trades[0].pnl).toBeCloseTo(-9547.5, EXACT);
    expect(points[1].position).toBe(1);
    expect(points[1].equity).toBeCloseTo(452.5, EXACT);
    expect(metrics.exposure).toBeCloseTo(100 / 3, EXACT);
    expect(metrics.liquidations).toBe(1);
    expect(metrics.finalEquity).toBeCloseTo(452.5, EXACT);
  });

  it('keeps the position when LP stays below the close', () => {
    // As above with fundingRate 0.01: 874 from W → W = 8,626; LP = 86,374 / 945.25 = 91.3769 < 92.
    // Closed by the signal at bar2's open 92: fee 0.0005 × 950 × 92 = 43.7;
    //   PnL = 950 × (92 − 100) − 47.5 − 43.7 − 874 = −8,565.2.
    const { trades } = run({
      open: [100, 100, 92],
      close: [100, 92, 92],
      low: [100, 92, 92],
      fgi: [20, 50, 50],
      fundingRate: [NaN_, 0.01, NaN_],
    });
    expect(trades[0].exitReason).toBe('signal');
    expect(trades[0].pnl).toBeCloseTo(-8565.2, EXACT);
  });
});

describe('a short and the sign of funding', () => {
  it('receives a positive rate and pays a negative one', () => {
    // Momentum 2×: FGI 20 ≤ 25 → SHORT at bar1's open 100: M = W = 9,500, Q = 190, fee 9.5,
    //   cash 490.5.
    // bar1 close 100, rate +0.001: amount 0.001 × 190 × 100 × (−1) = −19 → W = 9,519 (received);
    //   LP = (19,000 + 9,519) / (190 × 1.005) = 28,519 / 190.95; equity 490.5 + 9,519 = 10,009.5.
    // bar2 close 100, rate −0.002: amount −0.002 × 190 × 100 × (−1) = +38 → W = 9,481 (paid);
    //   LP = 28,481 / 190.95; equity 9,971.5.
    // bar3 open 100: closed (FGI 50 at bar2): fee 9.5; cash = 490.5 + 9,481 − 9.5 = 9,962.
    // Funding paid −19 + 38 = 19; PnL = 0 − 9.5 − 9.5 − 19 = −38.
    const { trades, metrics, points } = run(
      {
        open: [100, 100, 100, 100],
        close: [100, 100, 100, 100],
        fgi: [20, 20, 50, 50],
        fundingRate: [0.001, 0.001, -0.002, 0.003],
      },
      { strategy: 'momentum', leverage: 2 },
    );
    expect(trades).toHaveLength(1);
    expect(trades[0].side).toBe('short');
    expect(points.map((p) => p.equity)).toEqual([
      10000,
      expect.closeTo(10009.5, EXACT),
      expect.closeTo(9971.5, EXACT),
      expect.closeTo(9962, EXACT),
    ]);
    expect(trades[0].funding).toBeCloseTo(19, EXACT);
    expect(trades[0].pnl).toBeCloseTo(-38, EXACT);
    expect(metrics.funding).toBeCloseTo(19, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(9962, EXACT);
    expect(metrics.fundingCoverage).toBe(100);
  });
});

describe('historical funding per bar', () => {
  it('charges the sum of two 2-hourly settlements inside one 4h bar', () => {
    // SOL, November 2022 style: settlements −0.004 (02:00) and −0.006 (04:00) inside bar1
    // [00:00, 04:00] → series.fundingRate[1] = −0.01. Long 1× at bar1's open 100:
    //   M = 9,500, Q = 95, fee 4.75, cash 495.25.
    // bar1 close 100: −0.01 × 95 × 100 = −95 → the long receives 95, W = 9,595.
    // bar2 open 100: closed, fee 4.75; cash = 495.25 + 9,595 − 4.75 = 10,085.5.
    // PnL = 0 − 4.75 − 4.75 + 95 = 85.5; funding −95.
    const { trades, metrics } = run(
      {
        open: [100, 100, 100],
        close: [100, 100, 100],
        fgi: [20, 50, 50],
        fundingRate: [0, -0.004 + -0.006, 0],
      },
      { leverage: 1 },
    );
    expect(trades[0].funding).toBeCloseTo(-95, EXACT);
    expect(trades[0].pnl).toBeCloseTo(85.5, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(10085.5, EXACT);
  });

  it('uses the fixed rate on a bar the history does not cover and reports the coverage', () => {
    // Long 1× at bar1's open 100 (M = 9,500, Q = 95, fee 4.75), held at the closes of bars 1, 2.
    // bar1 fundingRate NaN → fixed 0.0001 × 4 / 8 = 0.00005: 0.00005 × 9,500 = 0.475.
    // bar2 fundingRate 0.0003: 0.0003 × 9,500 = 2.85. Funding 3.325.
    // bar3 open 100: closed, fee 4.75. PnL = −4.75 − 4.75 − 3.325 = −12.825.
    // Known rates on bars 0 and 2 of 4 → fundingCoverage 50 %.
    const { trades, metrics } = run(
      {
        open: [100, 100, 100, 100],
        close: [100, 100, 100, 100],
        fgi: [20, 20, 50, 50],
        fundingRate: [0.0001, NaN_, 0.0003, NaN_],
      },
      { leverage: 1 },
    );
    expect(trades[0].funding).toBeCloseTo(3.325, EXACT);
    expect(trades[0].pnl).toBeCloseTo(-12.825, EXACT);
    expect(metrics.fundingCoverage).toBe(50);
  });

  it('reports 0 % coverage without any known rate, 100 % with all', () => {
    const bars = { open: [100, 100, 100], close: [100, 100, 100], fgi: [20, 50, 50] };
    expect(run(bars).metrics.fundingCoverage).toBe(0);
    expect(run({ ...bars, fundingRate: [0, 0.0001, -0.0001] }).metrics.fundingCoverage).toBe(100);
  });
});

describe('gap liquidation at an open, then the fill of that open', () => {
  it('re-enters at the same open after the gap liquidation', () => {
    // 10× long at bar1's open 100: M = 9,500, Q = 950, fee 47.5, cash 452.5; bar1 close 100:
    //   fixed funding 4.75 from W → W = 9,495.25, LP 90.4573. FGI stays 20 (LONG).
    // bar2 open 85 ≤ LP → liquidated before the fill: PnL −9,547.5, cash 452.5.
    //   Then the fill of bar2's open (target LONG, now flat): M = 0.95 × 452.5 = 429.875,
    //   Q = 4,298.75 / 85, fee 2.149375, cash 20.475625 (452.5 ≥ 100: trading goes on).
    // bar2 close 85 (last bar): fixed funding 0.00005 × 4,298.75 = 0.2149375 from W; end close
    //   at 85 with fee 2.149375: PnL = −2.149375 × 2 − 0.2149375 = −4.5136875.
    // Final = 452.5 − 4.5136875 = 447.9863125.
    const { trades, metrics } = run({
      open: [100, 100, 85],
      close: [100, 100, 85],
      fgi: [20, 20, 20],
    });
    expect(trades.map((x) => [x.exitReason, x.entryTime, x.exitTime])).toEqual([
      ['liquidation', t(1), t(2)],
      ['end', t(2), t(3)],
    ]);
    expect(trades[0].pnl).toBeCloseTo(-9547.5, EXACT);
    expect(trades[1].entryPrice).toBe(85);
    expect(trades[1].margin).toBeCloseTo(429.875, EXACT);
    expect(trades[1].pnl).toBeCloseTo(-4.5136875, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(447.9863125, EXACT);
  });
});

describe('the stop on cash at a fill', () => {
  it('stops trading when cash is below 1 % of capital as a position is about to open', () => {
    // 10×, FGI 20 throughout (always LONG).
    // bar1 open 100: M = 9,500, Q = 950, fee 47.5, cash 452.5, LP 90.4523; low 90 → liquidated
    //   within the bar: PnL −9,547.5. Flat at the close: equity 452.5 ≥ 100.
    // bar2 open 95: cash 452.5 ≥ 100 → long: M = 429.875, Q = 4,298.75 / 95 = 45.25,
    //   fee 2.149375, cash 20.475625. Close 95: fixed funding 0.00005 × 45.25 × 95 = 0.2149375
    //   → W = 429.6600625, LP = (4,298.75 − 429.6600625) / (45.25 × 0.995) = 85.93438…;
    //   equity = 20.475625 + 429.6600625 = 450.1356875 ≥ 100: not stopped by equity.
    // bar3 open 80 ≤ LP → gap liquidation: PnL −429.875 − 2.149375 = −432.024375, cash 20.475625.
    //   The target is LONG, but cash 20.48 < 100 as the position is about to open → trading
    //   stops; nothing is opened at bar3 or bar4.
    // Final = 10,000 − 9,547.5 − 432.024375 = 20.475625.
    const { trades, metrics, points } = run({
      open: [100, 100, 95, 80, 100],
      close: [100, 95, 95, 80, 100],
      high: [100, 100, 95, 80, 100],
      low: [100, 90, 95, 80, 100],
      fgi: [20, 20, 20, 20, 20],
    });
    expect(trades.map((x) => x.exitReason)).toEqual(['liquidation', 'liquidation']);
    expect(trades[1].exitTime).toBe(t(3));
    expect(trades[1].pnl).toBeCloseTo(-432.024375, EXACT);
    expect(points[2].equity).toBeCloseTo(450.1356875, EXACT);
    expect(points.map((p) => p.position)).toEqual([0, 0, 1, 0, 0]);
    expect(metrics.finalEquity).toBeCloseTo(20.475625, EXACT);
    expect(metrics.returns).toBeCloseTo(-99.79524375, EXACT);
  });
});

describe('equity never below 0', () => {
  it('ends ≥ 0 where funding paid from cash drove the 1.0.0 engine below 0', () => {
    // 12× long at bar1's open 100: M = 9,500, Q = 1,140, fee 57, cash 443; LP 92.1273.
    // bar1 close 100, fundingRate 0.02: 0.02 × 1,140 × 100 = 2,280.
    //   1.0.0 took it from cash: cash −1,837; bar2's low 90 ≤ 92.13 liquidated the margin and
    //   left equity −1,837 (returns −118.37 %).
    //   Now it comes from W: W = 7,220, LP = (114,000 − 7,220) / (1,140 × 0.995) = 94.1373…
    //   (close 100 is above it); bar2's low 90 liquidates: W lost, cash stays 443 ≥ 0.
    const { trades, metrics, points } = run(
      {
        open: [100, 100, 100],
        close: [100, 100, 100],
        low: [100, 100, 90],
        fgi: [20, 20, 50],
        fundingRate: [NaN_, 0.02, NaN_],
      },
      { leverage: 12 },
    );
    expect(trades[0].exitReason).toBe('liquidation');
    expect(trades[0].exitPrice).toBeCloseTo(106780 / 1134.3, EXACT);
    expect(trades[0].funding).toBeCloseTo(2280, EXACT);
    expect(trades[0].pnl).toBeCloseTo(-9557, EXACT);
    expect(points.map((p) => p.equity)).toEqual([
      10000,
      expect.closeTo(443 + 7220, EXACT),
      expect.closeTo(443, EXACT),
    ]);
    expect(metrics.finalEquity).toBeCloseTo(443, EXACT);
    expect(metrics.returns).toBeCloseTo(-95.57, EXACT);
  });
});
