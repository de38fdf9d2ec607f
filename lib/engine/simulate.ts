/**
 * The trading model of SPEC §3: one pass over the window's bars that fills FGI signals at the
 * next bar's open, charges taker fees and funding, liquidates isolated positions, and records
 * bar-close equity and trade aggregates. It never formats or computes statistics (see metrics.ts).
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
  /** Funding paid, USDT (negative when received). */
  funding: number;
  liquidations: number;
}

/** What one simulation leaves for the metrics and the chart detail. */
export interface SimulationRecord {
  window: BarWindow;
  /**
   * Equity at each window bar's close, USDT; index k is bar window.from + k. The last value is
   * after the end-of-window close.
   */
  equity: Float64Array;
  tally: TradeTally;
  /** Window bars with a position open at their close (the last bar before its end-of-window close). */
  exposureBars: number;
  /** Bars where the extreme-threshold override switched on from off. */
  overrides: number;
  /** Position held at each window bar's close (before the end-of-window close); only when asked. */
  positions: Int8Array | null;
  /** Every trade in order; only when asked. */
  trades: Trade[] | null;
}

/** Optional recording and a reusable buffer for callers that run many backtests. */
export interface SimulationOptions {
  /** Scratch of at least the window's length; `record.equity` is then a view into it (valid until reused). */
  equityBuffer?: Float64Array;
  recordTrades?: boolean;
  recordPositions?: boolean;
}

/** The open isolated position and the cash beside it. Side 0 = flat (all other fields 0). */
class Account {
  side: PositionSide = 0;
  quantity = 0;
  entryPrice = 0;
  entryTime = 0;
  margin = 0;
  openFee = 0;
  funding = 0;
  liquidationPrice = 0;
  cash: number;
  constructor(cash: number) {
    this.cash = cash;
  }

  /** Equity at `price`: cash + margin + Q × (price − E) × side (SPEC §3). */
  equityAt(price: number): number {
    return this.cash + this.margin + this.quantity * (price - this.entryPrice) * this.side;
  }
}

/**
 * Simulates `params` over `window` of `series` (SPEC §3). Per bar i, in this order:
 * 1. at the open (i > from): a carried position whose liquidation price the open has reached is
 *    liquidated first (a gap through it); then the target decided at the close of bar i − 1 is
 *    filled at the open: close the position if the target differs (taker fee), then open the
 *    target side if not FLAT and trading has not stopped (margin = marginFraction × cash,
 *    Q = margin × L / open, taker fee). Gaps: the next bar in the arrays is the next fill.
 * 2. liquidation from the fill bar on: long when low ≤ E·(1 − 1/L)/(1 − MMR), short when
 *    high ≥ E·(1 + 1/L)/(1 + MMR) (Binance isolated formula without fees): closed at its
 *    liquidation price, the margin is lost, no fee. Re-entry is possible at the next fill.
 * 3. at the close: funding cash −= rate × bar hours / 8 × Q × close × side (longs pay).
 * 4. equity = cash + margin + Q × (close − E) × side; at the last bar an open position is first
 *    closed at the close with the fee (exit reason `end`). Equity below stopEquityFraction ×
 *    capital stops trading: the position is closed at the next fill, nothing new is opened.
 * 5. the signal from series.fgi[i], the FGI known at the bar's close (NaN → FLAT): contrarian
 *    FGI ≤ low → LONG, ≥ high → SHORT; momentum the reverse; contrarian with extreme thresholds
 *    uses the momentum rule while FGI ≤ extremeLow or ≥ extremeHigh (each switch-on counts one
 *    override). The last bar's signal is not filled. Stopped trading still counts overrides.
 * Trade times: entry = fill bar's open time; exit = fill bar's open time (signal), the open time
 * of the bar in which it was liquidated, or the last bar's close time (end).
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
  const { openTime, open, high, low, close, fgi, intervalMs } = series;
  const equity =
    options.equityBuffer && options.equityBuffer.length >= n
      ? options.equityBuffer.subarray(0, n)
      : new Float64Array(n);
  const positions = options.recordPositions ? new Int8Array(n) : null;
  const trades: Trade[] | null = options.recordTrades ? [] : null;
  const tally: TradeTally = {
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
  };

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
  const fundingPerBar = (config.fundingRatePer8h * intervalMs) / (8 * 3_600_000);
  const stopEquity = config.stopEquityFraction * config.capital;

  const account = new Account(config.capital);
  let target: PositionSide = 0;
  let stopped = false;
  let extremeOn = false;
  let overrides = 0;
  let exposureBars = 0;

  for (let i = from; i < to; i++) {
    if (i > from) {
      const price = open[i];
      if (account.side !== 0 && reachesLiquidation(account, price, price)) {
        liquidate(account, openTime[i], tally, trades);
      }
      const wanted = stopped ? 0 : target;
      if (wanted !== account.side) {
        if (account.side !== 0) closeAt(account, price, openTime[i], 'signal', config, tally, trades);
        if (wanted !== 0) openAt(account, wanted, price, openTime[i], leverage, config);
      }
    }
    if (account.side !== 0 && reachesLiquidation(account, low[i], high[i])) {
      liquidate(account, openTime[i], tally, trades);
    }

    const price = close[i];
    if (account.side !== 0) {
      const paid = fundingPerBar * account.quantity * price * account.side;
      account.cash -= paid;
      account.funding += paid;
      exposureBars++;
    }
    if (positions) positions[i - from] = account.side;
    if (i === to - 1 && account.side !== 0) {
      closeAt(account, price, openTime[i] + intervalMs, 'end', config, tally, trades);
    }
    const barEquity = account.equityAt(price);
    equity[i - from] = barEquity;
    if (barEquity < stopEquity) stopped = true;

    const value = fgi[i];
    if (Number.isNaN(value)) {
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
  }

  return { window, equity, tally, exposureBars, overrides, positions, trades };
}

/** Whether a bar spanning [barLow, barHigh] reaches the open position's liquidation price. */
function reachesLiquidation(account: Account, barLow: number, barHigh: number): boolean {
  return account.side === 1
    ? barLow <= account.liquidationPrice
    : barHigh >= account.liquidationPrice;
}

function openAt(
  account: Account,
  side: PositionSide,
  price: number,
  time: number,
  leverage: number,
  config: Readonly<EngineConfig>,
): void {
  const margin = config.marginFraction * account.cash;
  const quantity = (margin * leverage) / price;
  const fee = config.takerFeeRate * quantity * price;
  const mmr = config.maintenanceMarginRate;
  account.cash -= margin + fee;
  account.side = side;
  account.quantity = quantity;
  account.entryPrice = price;
  account.entryTime = time;
  account.margin = margin;
  account.openFee = fee;
  account.funding = 0;
  account.liquidationPrice =
    side === 1 ? (price * (1 - 1 / leverage)) / (1 - mmr) : (price * (1 + 1 / leverage)) / (1 + mmr);
}

/** Closes at `price` with the taker fee: cash += margin + Q × (price − E) × side − fee. */
function closeAt(
  account: Account,
  price: number,
  time: number,
  reason: ExitReason,
  config: Readonly<EngineConfig>,
  tally: TradeTally,
  trades: Trade[] | null,
): void {
  const fee = config.takerFeeRate * account.quantity * price;
  const gross = account.quantity * (price - account.entryPrice) * account.side;
  account.cash += account.margin + gross - fee;
  const pnl = gross - account.openFee - fee - account.funding;
  settle(account, price, time, reason, fee, pnl, tally, trades);
}

/** Liquidation at the liquidation price: the margin is lost, cash is unchanged, no fee. */
function liquidate(account: Account, time: number, tally: TradeTally, trades: Trade[] | null): void {
  tally.liquidations++;
  const pnl = -account.margin - account.openFee - account.funding;
  settle(account, account.liquidationPrice, time, 'liquidation', 0, pnl, tally, trades);
}

/** Adds the closed trade to the tally (and the list when recording) and flattens the account. */
function settle(
  account: Account,
  exitPrice: number,
  exitTime: number,
  reason: ExitReason,
  closeFee: number,
  pnl: number,
  tally: TradeTally,
  trades: Trade[] | null,
): void {
  const fees = account.openFee + closeFee;
  tally.count++;
  tally.fees += fees;
  tally.funding += account.funding;
  const marginReturn = (pnl / account.margin) * 100;
  if (pnl > 0) {
    tally.wins++;
    tally.grossProfit += pnl;
    tally.winReturnSum += marginReturn;
  } else if (pnl < 0) {
    tally.losses++;
    tally.grossLoss += pnl;
    tally.lossReturnSum += marginReturn;
  }
  if (trades) {
    trades.push({
      side: account.side === 1 ? 'long' : 'short',
      entryTime: account.entryTime,
      entryPrice: account.entryPrice,
      exitTime,
      exitPrice,
      quantity: account.quantity,
      margin: account.margin,
      fees,
      funding: account.funding,
      pnl,
      exitReason: reason,
    });
  }
  account.side = 0;
  account.quantity = 0;
  account.entryPrice = 0;
  account.margin = 0;
  account.openFee = 0;
  account.funding = 0;
  account.liquidationPrice = 0;
}
