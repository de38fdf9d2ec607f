/**
 * Shapes of backtest results (SPEC §4) and of the optional chart detail. Client-safe.
 */
import type { BacktestParams } from '../schemas';

/** Position side: +1 long, −1 short, 0 flat. */
export type PositionSide = -1 | 0 | 1;

/** Why a trade ended. `end` = still open after the window's last bar, closed at its close. */
export type ExitReason = 'signal' | 'liquidation' | 'end';

/** The metrics of one backtest run. Percentages are in % (e.g. 12.5 = 12.5 %), money in USDT. */
export interface BacktestMetrics {
  /** Final equity / capital − 1, %. */
  returns: number;
  /** Largest peak-to-trough fall of bar-close equity, % (≥ 0). */
  maxDrawdown: number;
  /** Annualised mean/std of bar returns (sample std); 0 when undefined. */
  sharpeRatio: number;
  /** Annualised mean / downside deviation of bar returns; 0 when undefined. */
  sortinoRatio: number;
  /** Annualised return % / maxDrawdown; null when maxDrawdown is 0 or the annualised return is not finite. */
  calmarRatio: number | null;
  trades: number;
  /** % of trades with net PnL > 0. */
  winRate: number;
  /** Gross profit / gross loss; null with no losing trade. */
  profitFactor: number | null;
  /** Mean net PnL / margin over winning trades, %. */
  avgWin: number;
  /** Mean net PnL / margin over losing trades, % (≤ 0). */
  avgLoss: number;
  /** Taker fees paid, USDT (≥ 0). */
  fees: number;
  /** Funding paid from the positions' wallets, USDT (negative when received). */
  funding: number;
  /**
   * % of window bars whose funding rate is known from the history (series.fundingRate not NaN;
   * the other bars use the fixed rate), 0–100; 100 when all are.
   */
  fundingCoverage: number;
  liquidated: boolean;
  liquidations: number;
  /** % of window bars with a position open at their close. */
  exposure: number;
  /** (last close / first open − 1) × 100 over the window, %. */
  buyAndHoldReturn: number;
  /** Bars where the extreme-threshold override switched on. */
  overrides: number;
  /** Bars in the window (n). */
  bars: number;
  /** Equity at the last bar close, USDT. */
  finalEquity: number;
  /** ISO UTC open time of the first bar, close time of the last. */
  period: { start: string; end: string };
}

/** A backtest result as cached and returned by the API: metrics plus run bookkeeping. */
export interface BacktestResult extends BacktestMetrics {
  /** Wall time of the computation, ms. */
  executionTime: number;
  /** Unix ms when computed. */
  timestamp: number;
  /** The params it was computed for, exactly as requested. */
  params: BacktestParams;
}

/** One closed trade. Times are Unix ms UTC; prices USDT; quantity in the base asset. */
export interface Trade {
  side: 'long' | 'short';
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  quantity: number;
  /** Isolated margin posted at the open (the wallet's starting balance), USDT. */
  margin: number;
  /** Open + close taker fees, USDT (close fee is 0 on liquidation). */
  fees: number;
  /** Funding paid from its wallet while open, USDT (negative when received). */
  funding: number;
  /**
   * Net PnL, USDT (SPEC §4): Q × (exit − entry) × side − both fees − funding; for a liquidation
   * −margin − open fee (the whole wallet is lost, whatever funding moved through it).
   */
  pnl: number;
  exitReason: ExitReason;
}

/** One chart point (a bar close, possibly downsampled). */
export interface DetailPoint {
  /** Bar open time, Unix ms UTC. */
  time: number;
  /** Bar close, USDT. */
  price: number;
  /** FGI known at the bar's close (null when none). */
  fgi: number | null;
  /** Strategy equity at the bar close, USDT. */
  equity: number;
  /** Buy-and-hold equity (capital × close / first open), USDT. */
  buyAndHold: number;
  /** Position held at the bar close. */
  position: PositionSide;
}

/** Chart series (≤ 600 points) and the full trade list. */
export interface BacktestDetail {
  points: DetailPoint[];
  trades: Trade[];
}
