/**
 * The statistics of SPEC §4. Two forms of the equity statistics: small pure kernels over an
 * equity curve (the readable reference; the tests compare the one-pass figures against them),
 * and the same formulas over the running sums the simulation folds into its single pass
 * (EquityStats), which `computeMetrics` uses so no caller walks the equity again. Notation
 * (SPEC §4): e_0 = capital, e_1..e_n the equity at the n bar closes, r_i = e_i / e_{i−1} − 1,
 * B = bars per year = 365 × 24 / bar hours. Client-safe, pure.
 */
import type { MarketSeries } from '../market-data/types';
import type { EngineConfig } from './config';
import type { SimulationRecord, TradeTally } from './simulate';
import type { BacktestMetrics } from './types';
import type { BarWindow } from './window';

/** B = 365 × 24 / bar hours (bar length `intervalMs` in ms). SPEC §4. */
export function barsPerYear(intervalMs: number): number {
  return (365 * 24 * 3_600_000) / intervalMs;
}

/** returns = (e_n / e_0 − 1) × 100, %. SPEC §4. */
export function totalReturn(finalEquity: number, capital: number): number {
  return (finalEquity / capital - 1) * 100;
}

/** maxDrawdown = max_i (peak_i − e_i) / peak_i × 100, peak_i = max(e_0..e_i); % (≥ 0). SPEC §4. */
export function maxDrawdown(equity: Float64Array, capital: number): number {
  let peak = capital;
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i];
    if (e > peak) peak = e;
    else if ((peak - e) / peak > worst) worst = (peak - e) / peak;
  }
  return worst * 100;
}

/** Mean of r_i = e_i / e_{i−1} − 1 over i = 1..n (e_0 = capital). */
function meanBarReturn(equity: Float64Array, capital: number): number {
  let sum = 0;
  let previous = capital;
  for (let i = 0; i < equity.length; i++) {
    sum += equity[i] / previous - 1;
    previous = equity[i];
  }
  return sum / equity.length;
}

/**
 * sharpeRatio = mean(r) / std(r) × √B with the sample std (n − 1); 0 when n < 2 or std is 0.
 * SPEC §4 (risk-free rate 0, annualised by √B as in vectorbt's `sharpe_ratio`).
 */
export function sharpeRatio(equity: Float64Array, capital: number, periodsPerYear: number): number {
  const n = equity.length;
  if (n < 2) return 0;
  const mean = meanBarReturn(equity, capital);
  let squares = 0;
  let previous = capital;
  for (let i = 0; i < n; i++) {
    const deviation = equity[i] / previous - 1 - mean;
    squares += deviation * deviation;
    previous = equity[i];
  }
  const std = Math.sqrt(squares / (n - 1));
  return std === 0 ? 0 : (mean / std) * Math.sqrt(periodsPerYear);
}

/**
 * sharpeRatio from the running sums of one pass: mean = Σr / n, std = √(Σ(r − mean)² / (n − 1));
 * the same rule as the `sharpeRatio` kernel (0 when n < 2 or std is 0).
 */
export function sharpeFromSums(
  returnSum: number,
  squaredDeviations: number,
  bars: number,
  periodsPerYear: number,
): number {
  if (bars < 2) return 0;
  const std = Math.sqrt(squaredDeviations / (bars - 1));
  return std === 0 ? 0 : (returnSum / bars / std) * Math.sqrt(periodsPerYear);
}

/**
 * sortinoRatio = mean(r) / √(mean(min(r_i, 0)²)) × √B; 0 when the downside deviation is 0.
 * SPEC §4 (target return 0, as in vectorbt's `sortino_ratio`).
 */
export function sortinoRatio(equity: Float64Array, capital: number, periodsPerYear: number): number {
  const n = equity.length;
  if (n === 0) return 0;
  let sum = 0;
  let downside = 0;
  let previous = capital;
  for (let i = 0; i < n; i++) {
    const r = equity[i] / previous - 1;
    sum += r;
    if (r < 0) downside += r * r;
    previous = equity[i];
  }
  const deviation = Math.sqrt(downside / n);
  return deviation === 0 ? 0 : (sum / n / deviation) * Math.sqrt(periodsPerYear);
}

/**
 * sortinoRatio from the running sums of one pass: (Σr / n) / √(Σ min(r, 0)² / n) × √B; the same
 * rule as the `sortinoRatio` kernel (0 when the downside deviation is 0).
 */
export function sortinoFromSums(
  returnSum: number,
  downsideSquares: number,
  bars: number,
  periodsPerYear: number,
): number {
  if (bars === 0) return 0;
  const deviation = Math.sqrt(downsideSquares / bars);
  return deviation === 0 ? 0 : (returnSum / bars / deviation) * Math.sqrt(periodsPerYear);
}

/**
 * calmarRatio = ((e_n / e_0)^(B / n) − 1) × 100 / maxDrawdown (annualised return % over max
 * drawdown %). SPEC §4: null when maxDrawdown is 0 or the result is not a finite number (the
 * annualisation overflows for a large gain over a short window).
 */
export function calmarRatio(
  finalEquity: number,
  capital: number,
  bars: number,
  periodsPerYear: number,
  drawdown: number,
): number | null {
  if (drawdown === 0 || bars === 0) return null;
  const calmar = (((finalEquity / capital) ** (periodsPerYear / bars) - 1) * 100) / drawdown;
  return Number.isFinite(calmar) ? calmar : null;
}

/** The trade statistics of SPEC §4, in the order BacktestMetrics holds them (liquidated, liquidations after fundingCoverage). */
export type TradeMetrics = Pick<
  BacktestMetrics,
  'trades' | 'winRate' | 'profitFactor' | 'avgWin' | 'avgLoss' | 'fees' | 'funding' | 'liquidated' | 'liquidations'
>;

/**
 * The trade statistics of SPEC §4 from a tally of closed trades (one backtest's, or the chained
 * windows' of a walk-forward with money scaled): trades; winRate = trades with net PnL > 0 /
 * trades × 100 (0 without trades); profitFactor = Σ positive PnL / |Σ negative PnL| (null without
 * a losing trade); avgWin / avgLoss = mean of PnL / margin × 100 over winning / losing trades (0
 * when none); fees and funding (USDT); liquidated = any liquidation, and their count. A caller
 * places the fields where BacktestMetrics has them: `liquidated` and `liquidations` come after
 * `fundingCoverage` (cached results are compared as JSON text, so the key order is part of the shape).
 */
export function tradeMetrics(tally: Readonly<TradeTally>): TradeMetrics {
  return {
    trades: tally.count,
    winRate: tally.count === 0 ? 0 : (tally.wins / tally.count) * 100,
    profitFactor: tally.losses === 0 ? null : tally.grossProfit / -tally.grossLoss,
    avgWin: tally.wins === 0 ? 0 : tally.winReturnSum / tally.wins,
    avgLoss: tally.losses === 0 ? 0 : tally.lossReturnSum / tally.losses,
    fees: tally.fees,
    funding: tally.funding,
    liquidated: tally.liquidations > 0,
    liquidations: tally.liquidations,
  };
}

/** ISO UTC open time of the window's first bar and close time (open + interval) of its last. */
export function windowPeriod(series: MarketSeries, window: BarWindow): { start: string; end: string } {
  return {
    start: new Date(series.openTime[window.from]).toISOString(),
    end: new Date(series.openTime[window.to - 1] + series.intervalMs).toISOString(),
  };
}

/**
 * All metrics of SPEC §4 from a simulation's record: the running equity statistics and the trade
 * tally (no pass over the equity curve). Percentages in %, money in USDT. `series` gives
 * buy-and-hold and the period.
 */
export function computeMetrics(
  record: SimulationRecord,
  series: MarketSeries,
  config: Readonly<EngineConfig>,
): BacktestMetrics {
  const { stats, tally, window } = record;
  const { capital } = config;
  const bars = window.to - window.from;
  const periodsPerYear = barsPerYear(series.intervalMs);
  const drawdown = stats.drawdown * 100;
  // Field by field, not a rest/spread copy: this runs once per backtest (a heatmap runs thousands).
  const trade = tradeMetrics(tally);
  return {
    returns: totalReturn(stats.finalEquity, capital),
    maxDrawdown: drawdown,
    sharpeRatio: sharpeFromSums(stats.returnSum, stats.squaredDeviations, bars, periodsPerYear),
    sortinoRatio: sortinoFromSums(stats.returnSum, stats.downsideSquares, bars, periodsPerYear),
    calmarRatio: calmarRatio(stats.finalEquity, capital, bars, periodsPerYear, drawdown),
    trades: trade.trades,
    winRate: trade.winRate,
    profitFactor: trade.profitFactor,
    avgWin: trade.avgWin,
    avgLoss: trade.avgLoss,
    fees: trade.fees,
    funding: trade.funding,
    // fundingCoverage = window bars whose funding rate is known from history / n × 100.
    fundingCoverage: bars === 0 ? 100 : (record.fundingBars / bars) * 100,
    liquidated: trade.liquidated,
    liquidations: trade.liquidations,
    // exposure = bars with a position open at their close / n × 100.
    exposure: bars === 0 ? 0 : (record.exposureBars / bars) * 100,
    // buyAndHoldReturn = (last close / first open − 1) × 100.
    buyAndHoldReturn: (series.close[window.to - 1] / series.open[window.from] - 1) * 100,
    overrides: record.overrides,
    bars,
    finalEquity: stats.finalEquity,
    period: windowPeriod(series, window),
  };
}
