/**
 * The trading model of SPEC §3 in one pass over the window's bars: FGI signals filled at the next
 * bar's open, taker fees, funding taken from the isolated wallet W, the three liquidation moments,
 * the 1 % stop; and, folded into the same pass, the running sums the equity statistics of SPEC §4
 * need (bar returns, their squared deviations, the downside, the drawdown), so no caller walks the
 * equity curve again. It never formats or assembles metrics (see metrics.ts).
 * Client-safe, pure: no I/O, no clock, no module state.
 */
import type { MarketSeries } from '../market-data/types';
import type { BacktestParams } from '../schemas';
import type { EngineConfig } from './config';
import type { ExitReason, PositionSide, Trade } from './types';
import type { BarWindow } from './window';

/** The parameters the simulation reads: BacktestParams without asset, timeframe and dateRange. */
export type StrategyParams = Pick<
  BacktestParams,
  | 'leverage'
  | 'lowThreshold'
  | 'highThreshold'
  | 'strategy'
  | 'extremeLowThreshold'
  | 'extremeHighThreshold'
>;

/** Sums over all closed trades (SPEC §4). Money in USDT, returns in %. */
export interface TradeTally {
  /** Trades closed (by signal, liquidation or end of window). */
  count: number;
  /** Trades with net PnL > 0. */
  wins: number;
  /** Trades with net PnL < 0. */
  losses: number;
  /** Sum of positive net PnL, USDT. */
  grossProfit: number;
  /** Sum of negative net PnL, USDT (≤ 0). */
  grossLoss: number;
  /** Sum of net PnL / margin × 100 over winning trades, %. */
  winReturnSum: number;
  /** Sum of net PnL / margin × 100 over losing trades, %. */
  lossReturnSum: number;
  /** Taker fees paid on both legs, USDT. */
  fees: number;
  /** Funding paid from the wallets, USDT (negative when received). */
  funding: number;
  liquidations: number;
}

/**
 * Running statistics of the bar-close equity e_1..e_n (e_0 = capital, r_i = e_i / e_{i−1} − 1),
 * accumulated during the simulation (SPEC §4 notation).
 */
export interface EquityStats {
  /** e_n: equity at the last bar's close, after the end-of-window close, USDT. */
  finalEquity: number;
  /** Σ r_i in bar order (the same float sum as a plain loop over the curve). */
  returnSum: number;
  /**
   * Σ (r_i − mean r)², from shifted sums (the "shifted data" algorithm): with K = the first
   * non-zero r, Σ(r − K)² − (Σr − n·K)² / n. No division in the loop; the relative error is
   * about ε × (1 + (mean − K)² / variance), i.e. tiny because K is one of the returns (unlike
   * the textbook Σr² − (Σr)²/n, which fails when |mean| ≫ std).
   */
  squaredDeviations: number;
  /** Σ min(r_i, 0)², in bar order. */
  downsideSquares: number;
  /** max_i (peak_i − e_i) / peak_i as a fraction (0..1), peak_i = max(e_0..e_i). */
  drawdown: number;
}

/** What one simulation leaves for the metrics and the chart detail. */
export interface SimulationRecord {
  window: BarWindow;
  stats: EquityStats;
  tally: TradeTally;
  /** Window bars with a position open at their close (one paying funding there counts). */
  exposureBars: number;
  /** Window bars whose series.fundingRate is known (not NaN). */
  fundingBars: number;
  /** Bars where the extreme-threshold override switched on from off. */
  overrides: number;
  /**
   * Equity at each window bar's close, USDT (index k is bar window.from + k; the last value is
   * after the end-of-window close); only when asked.
   */
  equity: Float64Array | null;
  /** Position held at each window bar's close (before a liquidation by funding or the end-of-window close); only when asked. */
  positions: Int8Array | null;
  /** Every trade in order; only when asked. */
  trades: Trade[] | null;
}

/** Optional recording (for the chart detail) and a record to reuse (for callers running many backtests). */
export interface SimulationOptions {
  recordEquity?: boolean;
  recordTrades?: boolean;
  recordPositions?: boolean;
  /**
   * A record (from newSimulationRecord or an earlier run) that is overwritten and returned
   * instead of allocating one: with no recording asked, a run then allocates nothing.
   */
  into?: SimulationRecord;
}

/** An empty record for `window`, to pass as `options.into`. */
export function newSimulationRecord(window: BarWindow): SimulationRecord {
  return {
    window,
    stats: { finalEquity: 0, returnSum: 0, squaredDeviations: 0, downsideSquares: 0, drawdown: 0 },
    tally: {
      count: 0,
      wins: 0,
      losses: 0,
      grossProfit: 0,
      grossLoss: 0,
      winReturnSum: 0,
      lossReturnSum: 0,
      fees: 0,
      funding: 0,
      liquidations: 0,
    },
    exposureBars: 0,
    fundingBars: 0,
    overrides: 0,
    equity: null,
    positions: null,
    trades: null,
  };
}

/**
 * Simulates `params` over `window` of `series` (SPEC §3). Opening at P with leverage L: margin
 * M = marginFraction × cash, Q = M × L / P, cash −= M + fee, wallet W = M. The liquidation price
 * follows W: long LP = (Q·E − W) / (Q·(1 − MMR)), short LP = (Q·E + W) / (Q·(1 + MMR)).
 * A liquidation loses what is left of W (cash unchanged, no fee). Closing at P:
 * cash += W + Q × (P − E) × side − fee. Equity = cash + W + Q × (close − E) × side.
 * Per bar i, in this order:
 * 1. at the open (i > from): a carried position whose LP the open has reached is liquidated (a
 *    gap); then the target decided at the close of bar i − 1 is filled: close the position if the
 *    target differs (taker fee), then open the target side if not FLAT and trading has not
 *    stopped; cash below stopEquityFraction × capital at that moment stops trading instead.
 *    After a gap liquidation the fill still happens (re-entry). Gaps in the arrays: the next bar
 *    is the next fill.
 * 2. intrabar, from the fill bar on: long liquidated when low ≤ LP, short when high ≥ LP.
 * 3. at the close: funding rate × Q × close × side taken from W (rate = series.fundingRate[i],
 *    or fundingRatePer8h × bar hours / 8 where that is NaN); LP recomputed; liquidated when LP is
 *    now at or beyond the close; on the last bar an open position is closed at the close with
 *    the fee (exit `end`); then equity, and equity below stopEquityFraction × capital stops
 *    trading (the position is closed at the next fill, nothing new is opened).
 * 4. the signal from series.fgi[i], the FGI known at the bar's close (NaN → FLAT): contrarian
 *    FGI ≤ low → LONG, ≥ high → SHORT; momentum the reverse; contrarian with extreme thresholds
 *    uses the momentum rule while FGI ≤ extremeLow or ≥ extremeHigh (each switch-on counts one
 *    override). The last bar's signal is not filled. Stopped trading still counts overrides.
 * Trade times: entry = fill bar's open time; exit = fill bar's open time (signal), the open time
 * of the bar in which it was liquidated (at its open, within it, or at its close), or the last
 * bar's close time (end). A liquidated trade's exit price is the LP it reached.
 * Net PnL (SPEC §4): Q × (exit − E) × side − both fees − funding paid; −M − open fee when liquidated.
 */
export function simulate(
  series: MarketSeries,
  window: BarWindow,
  params: StrategyParams,
  config: Readonly<EngineConfig>,
  options: SimulationOptions = {},
): SimulationRecord {
  const { from, to } = window;
  const n = to - from;
  const { openTime, open, high, low, close, fgi, fundingRate, intervalMs } = series;
  const record = options.into ?? newSimulationRecord(window);
  record.window = window;
  const equity = options.recordEquity ? new Float64Array(n) : null;
  const positions = options.recordPositions ? new Int8Array(n) : null;
  const trades: Trade[] | null = options.recordTrades ? [] : null;
  resetTally(record.tally);
  record.trades = trades;

  const leverage = params.leverage;
  const lowThreshold = params.lowThreshold;
  const highThreshold = params.highThreshold;
  // Side taken in fear (FGI ≤ low): contrarian buys fear, momentum sells it; greed the reverse.
  const fearSide: PositionSide = params.strategy === 'contrarian' ? 1 : -1;
  const greedSide: PositionSide = fearSide === 1 ? -1 : 1;
  const hasExtreme =
    params.strategy === 'contrarian' &&
    params.extremeLowThreshold !== undefined &&
    params.extremeHighThreshold !== undefined;
  const extremeLow = params.extremeLowThreshold ?? -Infinity;
  const extremeHigh = params.extremeHighThreshold ?? Infinity;
  const fixedRate = (config.fundingRatePer8h * intervalMs) / (8 * 3_600_000);
  const stopLevel = config.stopEquityFraction * config.capital;
  const { marginFraction, takerFeeRate, maintenanceMarginRate: mmr, capital } = config;

  // The open position (side 0 = flat): quantity Q, entry E, margin M, wallet W, open fee, funding
  // paid so far, liquidation price LP = (Q·E − side·W) × lpScale with lpScale = 1 / (Q·(1 − side·MMR)).
  // "At or beyond LP" for either side: (price − LP) × side ≤ 0.
  let side: PositionSide = 0;
  let quantity = 0;
  let entryPrice = 0;
  let entryTime = 0;
  let margin = 0;
  let wallet = 0;
  let openFee = 0;
  let paid = 0;
  let entryNotional = 0;
  let lpScale = 0;
  let liquidationPrice = 0;
  let cash = capital;

  let target: PositionSide = 0;
  let stopped = false;
  let extremeOn = false;
  let overrides = 0;
  let exposureBars = 0;
  let fundingBars = 0;

  // Equity statistics (see EquityStats): previous e, running peak, worst drawdown; Σ r; the
  // shift K (first non-zero r) and Σ (r − K)² over the bars whose equity changed; Σ min(r, 0)².
  let previous = capital;
  let peak = capital;
  let drawdown = 0;
  let returnSum = 0;
  let changedBars = 0;
  let shift = 0;
  let shiftedSquares = 0;
  let downsideSquares = 0;

  const last = to - 1;
  for (let i = from; i < to; i++) {
    if (i > from) {
      if (side !== 0 && (open[i] - liquidationPrice) * side <= 0) {
        cash += exitPosition(record, side, entryTime, entryPrice, quantity, margin, openFee, wallet, paid, openTime[i], liquidationPrice, 'liquidation', 0);
        side = 0;
      }
      const wanted = stopped ? 0 : target;
      if (wanted !== side) {
        const price = open[i];
        if (side !== 0) {
          cash += exitPosition(record, side, entryTime, entryPrice, quantity, margin, openFee, wallet, paid, openTime[i], price, 'signal', takerFeeRate);
          side = 0;
        }
        if (wanted !== 0) {
          if (cash < stopLevel) {
            stopped = true;
          } else {
            margin = marginFraction * cash;
            quantity = (margin * leverage) / price;
            openFee = takerFeeRate * quantity * price;
            cash -= margin + openFee;
            side = wanted;
            entryPrice = price;
            entryTime = openTime[i];
            wallet = margin;
            paid = 0;
            entryNotional = quantity * price;
            lpScale = 1 / (quantity * (1 - side * mmr));
            liquidationPrice = (entryNotional - side * wallet) * lpScale;
          }
        }
      }
    }
    if (side !== 0 && ((side === 1 ? low[i] : high[i]) - liquidationPrice) * side <= 0) {
      cash += exitPosition(record, side, entryTime, entryPrice, quantity, margin, openFee, wallet, paid, openTime[i], liquidationPrice, 'liquidation', 0);
      side = 0;
    }

    const price = close[i];
    const rate = fundingRate[i];
    const known = rate === rate;
    if (known) fundingBars++;
    if (positions) positions[i - from] = side;
    if (side !== 0) {
      const amount = (known ? rate : fixedRate) * quantity * price * side;
      wallet -= amount;
      paid += amount;
      exposureBars++;
      liquidationPrice = (entryNotional - side * wallet) * lpScale;
      if ((price - liquidationPrice) * side <= 0) {
        cash += exitPosition(record, side, entryTime, entryPrice, quantity, margin, openFee, wallet, paid, openTime[i], liquidationPrice, 'liquidation', 0);
        side = 0;
      }
    }
    if (side !== 0 && i === to - 1) {
      cash += exitPosition(record, side, entryTime, entryPrice, quantity, margin, openFee, wallet, paid, openTime[i] + intervalMs, price, 'end', takerFeeRate);
      side = 0;
    }
    const barEquity = side === 0 ? cash : cash + wallet + quantity * (price - entryPrice) * side;
    if (equity) equity[i - from] = barEquity;
    if (barEquity !== previous) {
      // Bars with r = 0 (equity unchanged) are added after the loop; they leave the drawdown as is.
      const r = barEquity / previous - 1;
      returnSum += r;
      if (changedBars++ === 0) shift = r;
      const shifted = r - shift;
      shiftedSquares += shifted * shifted;
      // min(r, 0) = (r − |r|) / 2, exactly and without a branch (the sign of r is a coin toss).
      const downside = (r - Math.abs(r)) * 0.5;
      downsideSquares += downside * downside;
      if (barEquity > peak) peak = barEquity;
      const fall = peak - barEquity;
      if (fall > drawdown * peak) drawdown = fall / peak;
      previous = barEquity;
    }
    if (barEquity < stopLevel) stopped = true;

    const value = fgi[i];
    if (value !== value) {
      extremeOn = false;
      target = 0;
    } else {
      const extreme = hasExtreme && (value <= extremeLow || value >= extremeHigh);
      if (extreme && !extremeOn) overrides++;
      extremeOn = extreme;
      if (value <= lowThreshold) target = extreme ? greedSide : fearSide;
      else if (value >= highThreshold) target = extreme ? fearSide : greedSide;
      else target = 0;
    }

    // Fast-forward over the following bars that keep this bar's FGI value (the FGI is daily, so
    // 23 of 24 bars on 1h), up to but not including the last bar: their target cannot change,
    // so nothing is filled at their open and their signal needs no evaluation. Flat, such a bar
    // changes nothing but the funding coverage count. Holding, it is steps 2–3 above without
    // their exits, in the same float operations (so the record is bit-identical, which
    // __tests__/engine/fast-forward.test.ts checks against the plain loop): the first bar that
    // would be liquidated is left to the loop above, and so is every bar after the one whose
    // equity stops trading. A small loop without calls is what makes it fast (about 2× on held
    // bars, and flat stretches nearly free), hence the repeated lines.
    if (value !== value || i + 1 >= last) continue;
    const wanted = stopped ? 0 : target;
    let j = i + 1;
    if (side === 0 && wanted === 0) {
      for (; j < last && fgi[j] === value; j++) {
        if (fundingRate[j] === fundingRate[j]) fundingBars++;
      }
      if (equity) equity.fill(cash, i + 1 - from, j - from);
    } else if (side === wanted) {
      for (; j < last && fgi[j] === value; ) {
        if ((open[j] - liquidationPrice) * side <= 0) break;
        if (((side === 1 ? low[j] : high[j]) - liquidationPrice) * side <= 0) break;
        const price = close[j];
        const rate = fundingRate[j];
        const known = rate === rate;
        const amount = (known ? rate : fixedRate) * quantity * price * side;
        const nextWallet = wallet - amount;
        const nextLiquidationPrice = (entryNotional - side * nextWallet) * lpScale;
        if ((price - nextLiquidationPrice) * side <= 0) break;
        if (known) fundingBars++;
        if (positions) positions[j - from] = side;
        wallet = nextWallet;
        paid += amount;
        exposureBars++;
        liquidationPrice = nextLiquidationPrice;
        const barEquity = cash + wallet + quantity * (price - entryPrice) * side;
        if (equity) equity[j - from] = barEquity;
        if (barEquity !== previous) {
          const r = barEquity / previous - 1;
          returnSum += r;
          if (changedBars++ === 0) shift = r;
          const shifted = r - shift;
          shiftedSquares += shifted * shifted;
          const downside = (r - Math.abs(r)) * 0.5;
          downsideSquares += downside * downside;
          if (barEquity > peak) peak = barEquity;
          const fall = peak - barEquity;
          if (fall > drawdown * peak) drawdown = fall / peak;
          previous = barEquity;
        }
        j++;
        if (barEquity < stopLevel) {
          stopped = true;
          break;
        }
      }
    }
    i = j - 1;
  }

  const stats = record.stats;
  stats.finalEquity = previous;
  stats.returnSum = returnSum;
  // Σ(r − mean)² = Σ(r − K)² − (Σ(r − K))² / n over all n bars; each r = 0 bar adds K².
  const shiftedSum = returnSum - n * shift;
  const squaredDeviations = shiftedSquares + (n - changedBars) * shift * shift - (shiftedSum * shiftedSum) / n;
  stats.squaredDeviations = n === 0 ? 0 : Math.max(squaredDeviations, 0);
  stats.downsideSquares = downsideSquares;
  stats.drawdown = drawdown;
  record.exposureBars = exposureBars;
  record.fundingBars = fundingBars;
  record.overrides = overrides;
  record.equity = equity;
  record.positions = positions;
  return record;
}

/**
 * Books the exit of the open position in `record` (tally, and the trade list when recording; the
 * position's fields come as arguments so the simulation keeps them in local variables) and returns the cash it gives back: W + Q × (exit − E) × side − fee for a
 * close (fee = feeRate × Q × exit), 0 for a liquidation (W is lost, no fee). Net PnL (SPEC §4):
 * Q × (exit − E) × side − both fees − funding paid; −M − open fee for a liquidation.
 */
function exitPosition(
  record: SimulationRecord,
  side: PositionSide,
  entryTime: number,
  entryPrice: number,
  quantity: number,
  margin: number,
  openFee: number,
  wallet: number,
  funding: number,
  exitTime: number,
  exitPrice: number,
  reason: ExitReason,
  feeRate: number,
): number {
  const liquidated = reason === 'liquidation';
  const closeFee = feeRate * quantity * exitPrice;
  const gross = quantity * (exitPrice - entryPrice) * side;
  const pnl = liquidated ? -margin - openFee : gross - openFee - closeFee - funding;
  const fees = openFee + closeFee;
  const { tally, trades } = record;
  tally.count++;
  tally.fees += fees;
  tally.funding += funding;
  if (liquidated) tally.liquidations++;
  if (pnl > 0) {
    tally.wins++;
    tally.grossProfit += pnl;
    tally.winReturnSum += (pnl / margin) * 100;
  } else if (pnl < 0) {
    tally.losses++;
    tally.grossLoss += pnl;
    tally.lossReturnSum += (pnl / margin) * 100;
  }
  trades?.push({
    side: side === 1 ? 'long' : 'short',
    entryTime,
    entryPrice,
    exitTime,
    exitPrice,
    quantity,
    margin,
    fees,
    funding,
    pnl,
    exitReason: reason,
  });
  return liquidated ? 0 : wallet + gross - closeFee;
}

function resetTally(tally: TradeTally): void {
  tally.count = 0;
  tally.wins = 0;
  tally.losses = 0;
  tally.grossProfit = 0;
  tally.grossLoss = 0;
  tally.winReturnSum = 0;
  tally.lossReturnSum = 0;
  tally.fees = 0;
  tally.funding = 0;
  tally.liquidations = 0;
}
