/**
 * The trading model of SPEC §3 pinned on small synthetic 4h series with the default config
 * (capital 10,000, margin 95 % of cash, taker fee 0.05 %, funding 0.01 % per 8 h = 0.005 % per
 * 4h bar where series.fundingRate is NaN, as here; MMR 0.5 %, stop at 1 % of capital). Funding
 * is taken from the isolated wallet W (W = margin at the open). Every expected number is derived
 * by hand in the comments; wallet.test.ts covers historical funding and the wallet rules.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../lib/engine';
import type { BacktestParams } from '../../lib/schemas';
import { syntheticOpenTime as t, syntheticSeries } from '../helpers/synthetic-series';

const EXACT = 8;

function params(overrides: Partial<BacktestParams> = {}): BacktestParams {
  return {
    asset: 'ETH',
    timeframe: '4h',
    leverage: 2,
    lowThreshold: 25,
    highThreshold: 75,
    strategy: 'contrarian',
    ...overrides,
  };
}

function run(series: Parameters<typeof runBacktest>[0], p: BacktestParams) {
  const { metrics, detail } = runBacktest(series, p, { detail: true });
  return { metrics, trades: detail!.trades, points: detail!.points };
}

describe('fills, fees and funding', () => {
  // bar0 FGI 20 → LONG decided at its close; filled at bar1's OPEN (110), not bar0's close (100).
  const series = syntheticSeries({
    open: [100, 110, 120, 120],
    close: [100, 110, 120, 120],
    fgi: [20, 50, 50, 50],
  });

  it('fills at the next bar open and charges the taker fee on both legs', () => {
    const { metrics, trades } = run(series, params());
    // Open at 110: margin = 0.95 × 10,000 = 9,500; Q = 9,500 × 2 / 110 = 172.7272…;
    //   notional 19,000, open fee 0.0005 × 19,000 = 9.5; cash = 10,000 − 9,500 − 9.5 = 490.5.
    // bar1 close 110: funding 0.0001 × 4/8 × 19,000 = 0.95 → cash 489.55; equity 9,989.55.
    // bar1 FGI 50 → FLAT; close at bar2 open 120: gross Q × 10 = 1,727.2727…;
    //   close fee 0.0005 × Q × 120 = 10.3636…; cash = 489.55 + 9,500 + 1,727.2727 − 10.3636 = 11,706.4591.
    // Net PnL = 1,727.2727 − 9.5 − 10.3636 − 0.95 = 1,706.4591.
    expect(trades).toHaveLength(1);
    const [trade] = trades;
    expect(trade.side).toBe('long');
    expect(trade.entryTime).toBe(t(1));
    expect(trade.entryPrice).toBe(110);
    expect(trade.exitTime).toBe(t(2));
    expect(trade.exitPrice).toBe(120);
    expect(trade.quantity).toBeCloseTo(172.727272727, EXACT);
    expect(trade.margin).toBeCloseTo(9500, EXACT);
    expect(trade.fees).toBeCloseTo(9.5 + 10.363636364, EXACT);
    expect(trade.funding).toBeCloseTo(0.95, EXACT);
    expect(trade.pnl).toBeCloseTo(1706.459090909, EXACT);
    expect(trade.exitReason).toBe('signal');
    expect(metrics.finalEquity).toBeCloseTo(11706.459090909, EXACT);
    expect(metrics.returns).toBeCloseTo(17.06459090909, EXACT);
    expect(metrics.fees).toBeCloseTo(19.863636364, EXACT);
    expect(metrics.funding).toBeCloseTo(0.95, EXACT);
    // One of four bar closes holds a position.
    expect(metrics.exposure).toBe(25);
    // One winning trade, no losing one: profit factor undefined (null), win rate 100 %.
    expect(metrics.profitFactor).toBeNull();
    expect(metrics.winRate).toBe(100);
    expect(metrics.avgWin).toBeCloseTo((1706.459090909 / 9500) * 100, EXACT);
    expect(metrics.avgLoss).toBe(0);
  });

  it('records bar-close equity before and after the fills', () => {
    const { points } = run(series, params());
    // bar0 flat 10,000; bar1 489.55 + 9,500 + Q × 0 = 9,989.55; bar2, bar3 flat 11,706.4591.
    expect(points.map((p) => p.equity)).toEqual([
      10000,
      expect.closeTo(9989.55, EXACT),
      expect.closeTo(11706.459090909, EXACT),
      expect.closeTo(11706.459090909, EXACT),
    ]);
    expect(points.map((p) => p.position)).toEqual([0, 1, 0, 0]);
  });

  // Held from bar1's open to bar4's open: funding at 3 bar closes (12 h) at close 110.
  const held = syntheticSeries({
    open: [100, 110, 110, 110, 110],
    close: [100, 110, 110, 110, 110],
    fgi: [20, 20, 20, 50, 50],
  });

  it('charges a long funding over its holding time', () => {
    const { trades, metrics } = run(held, params());
    // Notional Q × 110 = 19,000; 0.0001 × 12 h / 8 h × 19,000 = 2.85 paid.
    expect(trades[0].funding).toBeCloseTo(2.85, EXACT);
    expect(metrics.funding).toBeCloseTo(2.85, EXACT);
    // Price unchanged: PnL = −open fee 9.5 − close fee 9.5 − funding 2.85 = −21.85.
    expect(trades[0].pnl).toBeCloseTo(-21.85, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(10000 - 21.85, EXACT);
  });

  it('pays a short its funding (negative funding paid)', () => {
    // Momentum: FGI 20 ≤ low → SHORT. Same notional, funding received: −2.85.
    const { trades, metrics } = run(held, params({ strategy: 'momentum' }));
    expect(trades[0].side).toBe('short');
    expect(trades[0].funding).toBeCloseTo(-2.85, EXACT);
    expect(metrics.funding).toBeCloseTo(-2.85, EXACT);
    // PnL = −9.5 − 9.5 + 2.85 = −16.15.
    expect(trades[0].pnl).toBeCloseTo(-16.15, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(10000 - 16.15, EXACT);
  });

  it('a short loses when the price rises', () => {
    // Momentum short at 110 closed at 120: gross −1,727.2727; fees 9.5 + 10.3636; funding −0.95
    // (received at bar1's close): PnL = −1,727.2727 − 19.8636 + 0.95 = −1,746.1864.
    const { trades, metrics } = run(series, params({ strategy: 'momentum' }));
    expect(trades[0].pnl).toBeCloseTo(-1746.186363636, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(8253.813636364, EXACT);
    expect(metrics.profitFactor).toBe(0);
    expect(metrics.winRate).toBe(0);
  });

  it('does not fill the last bar signal and closes a position open at the end', () => {
    // FGI ≤ 25 on every bar: long from bar1's open (110) to the last close (120), exit `end`.
    const always = syntheticSeries({ open: [100, 110, 115], close: [100, 115, 120], fgi: [20, 20, 20] });
    const { trades, metrics, points } = run(always, params());
    expect(trades).toHaveLength(1);
    expect(trades[0].exitReason).toBe('end');
    expect(trades[0].exitTime).toBe(t(3)); // close time of bar2
    expect(trades[0].exitPrice).toBe(120);
    // Funding at bar1 close 115 and bar2 close 120: 0.00005 × Q × (115 + 120), Q = 19,000 / 110.
    const q = 19000 / 110;
    const funding = 0.00005 * q * 235;
    // PnL = Q × 10 − 9.5 − 0.0005 × Q × 120 − funding.
    const pnl = q * 10 - 9.5 - 0.0005 * q * 120 - funding;
    expect(trades[0].pnl).toBeCloseTo(pnl, EXACT);
    // e_n is the equity after the end close.
    expect(metrics.finalEquity).toBeCloseTo(10000 + pnl, EXACT);
    expect(points[2].equity).toBeCloseTo(10000 + pnl, EXACT);
    // Bars 1 and 2 (the last, before its end close) hold a position: 2 of 3.
    expect(metrics.exposure).toBeCloseTo(200 / 3, EXACT);
    expect(points[2].position).toBe(1);
  });

  it('fills at the next bar in the arrays across a gap', () => {
    // Bars at t0, t1, then a 2-bar gap, then t4: the signal at t1's close fills at t4's open (130).
    const gapped = syntheticSeries({
      openTime: [t(0), t(1), t(4), t(5)],
      open: [100, 100, 130, 130],
      close: [100, 100, 130, 130],
      fgi: [50, 20, 50, 50],
    });
    const { trades } = run(gapped, params());
    expect(trades[0].entryTime).toBe(t(4));
    expect(trades[0].entryPrice).toBe(130);
    // Funding only at the one held bar close (t4): 0.00005 × 19,000 = 0.95.
    expect(trades[0].funding).toBeCloseTo(0.95, EXACT);
  });
});

describe('liquidation', () => {
  it('liquidates a long on the bar low although the close stays above', () => {
    // Leverage 10, long at 100: liquidation price 100 × (1 − 1/10) / (1 − 0.005) = 90.4522613…
    // Open: margin 9,500 = W, Q = 950, fee 0.0005 × 95,000 = 47.5, cash 452.5.
    // bar1 close 100: funding 0.00005 × 95,000 = 4.75 from W → W = 9,495.25;
    //   LP = (950 × 100 − 9,495.25) / (950 × 0.995) = 85,504.75 / 945.25 = 90.4572864…
    // bar2: low 90 ≤ 90.4573 → liquidated (its close 99 would not be): W lost, cash 452.5.
    // PnL = −margin − open fee = −9,500 − 47.5 = −9,547.5 (the 4.75 of funding was part of W).
    const series = syntheticSeries({
      open: [100, 100, 100],
      close: [100, 100, 99],
      high: [100, 100, 101],
      low: [100, 100, 90],
      fgi: [20, 20, 50],
    });
    const { trades, metrics, points } = run(series, params({ leverage: 10 }));
    expect(trades).toHaveLength(1);
    expect(trades[0].exitReason).toBe('liquidation');
    expect(trades[0].exitTime).toBe(t(2));
    expect(trades[0].exitPrice).toBeCloseTo(85504.75 / 945.25, EXACT);
    expect(trades[0].fees).toBeCloseTo(47.5, EXACT); // no fee on the liquidation
    expect(trades[0].funding).toBeCloseTo(4.75, EXACT);
    expect(trades[0].pnl).toBeCloseTo(-9547.5, EXACT);
    expect(metrics.liquidated).toBe(true);
    expect(metrics.liquidations).toBe(1);
    expect(metrics.finalEquity).toBeCloseTo(452.5, EXACT);
    expect(points[2].position).toBe(0);
    expect(metrics.avgLoss).toBeCloseTo((-9547.5 / 9500) * 100, EXACT);
  });

  it('liquidates a short on the bar high', () => {
    // Momentum short at 100 with leverage 10: 100 × (1 + 1/10) / (1 + 0.005) = 109.4527363…
    // bar1 funding received 4.75 into W → W = 9,504.75;
    //   LP = (95,000 + 9,504.75) / (950 × 1.005) = 104,504.75 / 954.75 = 109.4577114…
    // bar2 high 110 ≥ 109.4577 (close 101): W lost, cash stays 452.5; PnL = −9,500 − 47.5.
    const series = syntheticSeries({
      open: [100, 100, 100],
      close: [100, 100, 101],
      high: [100, 100, 110],
      low: [100, 100, 99],
      fgi: [20, 20, 50],
    });
    const { trades, metrics } = run(series, params({ leverage: 10, strategy: 'momentum' }));
    expect(trades[0].exitReason).toBe('liquidation');
    expect(trades[0].exitPrice).toBeCloseTo(104504.75 / 954.75, EXACT);
    expect(trades[0].funding).toBeCloseTo(-4.75, EXACT);
    expect(trades[0].pnl).toBeCloseTo(-9547.5, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(452.5, EXACT);
  });

  it('re-enters at the next fill after a liquidation', () => {
    // As the long liquidation above (cash 452.5 after bar2), FGI stays 20 → LONG again at
    // bar3's open 99: margin 0.95 × 452.5 = 429.875, notional 4,298.75,
    //   fee 2.149375, cash 20.475625; funding at bar3's close 99: 0.00005 × 4,298.75 = 0.2149375.
    // bar3 is the last: closed at 99 (price unchanged) with fee 2.149375:
    //   PnL = −2.149375 × 2 − 0.2149375 = −4.5136875; final 452.5 − 4.5136875 = 447.9863125.
    const series = syntheticSeries({
      open: [100, 100, 100, 99],
      close: [100, 100, 99, 99],
      high: [100, 100, 101, 99],
      low: [100, 100, 90, 99],
      fgi: [20, 20, 20, 20],
    });
    const { trades, metrics } = run(series, params({ leverage: 10 }));
    expect(trades.map((x) => x.exitReason)).toEqual(['liquidation', 'end']);
    expect(trades[1].entryTime).toBe(t(3));
    expect(trades[1].margin).toBeCloseTo(429.875, EXACT);
    expect(trades[1].pnl).toBeCloseTo(-4.5136875, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(447.9863125, EXACT);
    expect(metrics.liquidations).toBe(1);
  });

  it('liquidates a carried position whose liquidation price the next open gaps through', () => {
    // Long 10× at 100; after bar1's funding (4.75 from W) LP = 90.4573; FGI turns neutral, and
    // the next open is 85, beyond LP: the isolated position is liquidated (W lost), not closed
    // at 85. PnL = −9,500 − 47.5 = −9,547.5; cash stays 452.5.
    const series = syntheticSeries({
      open: [100, 100, 85],
      close: [100, 100, 85],
      fgi: [20, 50, 50],
    });
    const { trades, metrics } = run(series, params({ leverage: 10 }));
    expect(trades[0].exitReason).toBe('liquidation');
    expect(trades[0].exitTime).toBe(t(2));
    expect(trades[0].pnl).toBeCloseTo(-9547.5, EXACT);
    expect(metrics.finalEquity).toBeCloseTo(452.5, EXACT);
  });
});

describe('1 % equity stop', () => {
  // Leverage 12, FGI 20 throughout (always LONG).
  // bar1: open 100: margin 9,500, Q 1,140, fee 0.0005 × 114,000 = 57, cash 443.
  //   liq = 100 × (11/12) / 0.995 = 92.1273…; low 90 → liquidated on its fill bar. Equity 443 ≥ 100.
  // bar2: open 100: margin 0.95 × 443 = 420.85, Q = 50.502, fee 0.0005 × 5,050.2 = 2.5251,
  //   cash 19.6249; low 93 > 92.13 (no liquidation); funding 0.00005 × 50.502 × 93 = 0.2348343
  //   from W → W = 420.6151657 (LP 92.13 → 92.14, still below the close 93);
  //   equity = 19.6249 + 420.6151657 + 50.502 × (93 − 100) = 86.7260657 < 100 → stop.
  // bar3: the position is closed at its open 93: fee 0.0005 × 50.502 × 93 = 2.3483430;
  //   cash = 19.6249 + 420.6151657 − 353.514 − 2.348343 = 84.3777227; nothing new is opened.
  const series = syntheticSeries({
    open: [100, 100, 100, 93, 100],
    close: [100, 95, 93, 93, 100],
    high: [100, 100, 100, 93, 100],
    low: [100, 90, 93, 93, 100],
    fgi: [20, 20, 20, 20, 20],
  });

  it('closes the open position at the next fill and opens nothing after', () => {
    const { trades, metrics, points } = run(series, params({ leverage: 12 }));
    expect(trades.map((x) => x.exitReason)).toEqual(['liquidation', 'signal']);
    expect(trades[0].pnl).toBeCloseTo(-9557, EXACT); // −9,500 − 57
    expect(trades[1].exitTime).toBe(t(3));
    expect(trades[1].exitPrice).toBe(93);
    // −353.514 − 2.5251 − 2.348343 − 0.2348343 = −358.6222773
    expect(trades[1].pnl).toBeCloseTo(-358.6222773, EXACT);
    expect(points.map((p) => p.equity)).toEqual([
      10000,
      expect.closeTo(443, EXACT),
      expect.closeTo(86.7260657, EXACT),
      expect.closeTo(84.3777227, EXACT),
      expect.closeTo(84.3777227, EXACT),
    ]);
    expect(points.map((p) => p.position)).toEqual([0, 0, 1, 0, 0]);
    expect(metrics.finalEquity).toBeCloseTo(84.3777227, EXACT);
    expect(metrics.liquidations).toBe(1);
  });
});

describe('extreme thresholds', () => {
  // Contrarian 25/75 with extremes 10/90. FGI per bar and (extreme?, target at the close):
  // 50 (no, FLAT) · 8 (yes ↑, SHORT) · 5 (yes, SHORT) · 20 (no, LONG) · 95 (yes ↑, LONG) ·
  // 92 (yes, LONG) · NaN (no, FLAT) · 5 (yes ↑, SHORT) · 50 (no, FLAT) · 5 (yes ↑, SHORT, never filled).
  // Switch-ons at bars 1, 4, 7, 9 → 4 overrides.
  const fgi = [50, 8, 5, 20, 95, 92, Number.NaN, 5, 50, 5];
  const flat = fgi.map(() => 100);
  const series = syntheticSeries({ open: flat, close: flat, fgi });
  const extreme = params({ extremeLowThreshold: 10, extremeHighThreshold: 90 });

  it('uses the momentum rule while extreme and counts each switch-on', () => {
    const { metrics, points, trades } = run(series, extreme);
    expect(metrics.overrides).toBe(4);
    // Position at each close = target of the previous close (filled at this bar's open).
    expect(points.map((p) => p.position)).toEqual([0, 0, -1, -1, 1, 1, 1, 0, -1, 0]);
    expect(trades.map((x) => [x.side, x.entryTime, x.exitTime])).toEqual([
      ['short', t(2), t(4)],
      ['long', t(4), t(7)],
      ['short', t(8), t(9)],
    ]);
    // 6 of 10 bar closes hold a position.
    expect(metrics.exposure).toBe(60);
  });

  it('counts no overrides without extreme thresholds', () => {
    const { metrics, points } = run(series, params());
    expect(metrics.overrides).toBe(0);
    // Plain contrarian: FGI ≤ 25 → LONG, ≥ 75 → SHORT.
    expect(points.map((p) => p.position)).toEqual([0, 0, 1, 1, 1, -1, -1, 0, 1, 0]);
  });
});
