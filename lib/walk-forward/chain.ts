/**
 * The chained out-of-sample equity of SPEC §11 and its SPEC §4 metrics. The test windows are
 * consecutive; window k's bar-close equity (from capital) is scaled by S_k = Π_{j<k} (final
 * equity_j / capital), so the curve is what capital would have become had each window started
 * from where the previous one ended. A flat step keeps the level unchanged over its bars.
 * Equity never goes below 0 (SPEC §3); a chain that reached 0 stays there.
 * Statistics reuse the engine's metric kernels (lib/engine/metrics.ts). Pure.
 */
import type { BacktestMetrics, Trade } from '../engine/types';
import {
  barsPerYear,
  calmarRatio,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
  tradeMetrics,
} from '../engine/metrics';
import type { TradeTally } from '../engine/simulate';
import type { MarketSeries } from '../market-data/types';
import type { OutOfSampleMetrics } from './types';

/** One test window on the chain: bars [from, to) of the series and, when traded, its backtest. */
export interface ChainSegment {
  from: number;
  to: number;
  /** Bar-close equity from capital, one per bar (length to − from); null when flat. */
  equity: ArrayLike<number> | null;
  metrics: BacktestMetrics | null;
  trades: readonly Trade[];
}

/** The chained curve: series bar index and equity (USDT) of each out-of-sample bar, and S_k per segment. */
export interface ChainedEquity {
  bars: Int32Array;
  equity: Float64Array;
  /** S_k: the factor window k's equity was multiplied by. */
  scales: number[];
  /** Chained equity after each segment, USDT. */
  ends: number[];
  /** Whether segment k's backtest is on the chain (false when flat). */
  active: boolean[];
}

/** Chains `segments` (in time order) from `capital`. */
export function chainEquity(segments: readonly ChainSegment[], capital: number): ChainedEquity {
  const total = segments.reduce((n, s) => n + (s.to - s.from), 0);
  const bars = new Int32Array(total);
  const equity = new Float64Array(total);
  const scales: number[] = [];
  const ends: number[] = [];
  const active: boolean[] = [];
  let level = capital;
  let k = 0;
  for (const segment of segments) {
    const scale = level / capital;
    const traded = segment.equity !== null && segment.to > segment.from;
    scales.push(scale);
    active.push(traded);
    for (let i = segment.from; i < segment.to; i++, k++) {
      bars[k] = i;
      equity[k] = traded ? Math.max(0, segment.equity![i - segment.from] * scale) : level;
    }
    if (traded) level = equity[k - 1];
    ends.push(level);
  }
  return { bars, equity, scales, ends, active };
}

/** ((1 + returns/100)^(B / bars) − 1) × 100: a window's return annualised, % (−100 when wiped out); null without bars. */
export function annualisedReturn(returns: number, bars: number, periodsPerYear: number): number | null {
  if (bars === 0) return null;
  const growth = Math.max(1 + returns / 100, 0);
  const value = (growth ** (periodsPerYear / bars) - 1) * 100;
  return Number.isFinite(value) ? value : null;
}

/**
 * SPEC §4 metrics of the chained curve: returns, maxDrawdown, Sharpe, Sortino and Calmar from its
 * bar-close equity with e_0 = capital (the engine's kernels); trade statistics over the trades of
 * all windows, with money (PnL, fees, funding) scaled by its window's S_k and winRate, avgWin,
 * avgLoss (PnL / margin, scale-free) as in one backtest; exposure = Σ exposed bars / bars;
 * liquidations and overrides summed; buyAndHoldReturn = last close / first open of the span − 1;
 * fundingCoverage = % of the span's bars whose funding rate is known; period = first bar's open
 * time to last bar's close time (ISO UTC; the given fallback when the span has no bar).
 */
export function outOfSampleMetrics(
  series: MarketSeries,
  segments: readonly ChainSegment[],
  chain: ChainedEquity,
  capital: number,
  emptyPeriod: { start: string; end: string },
): OutOfSampleMetrics {
  const n = chain.equity.length;
  const periodsPerYear = barsPerYear(series.intervalMs);
  const finalEquity = n > 0 ? chain.equity[n - 1] : capital;
  const drawdown = maxDrawdown(chain.equity, capital);
  // The engine's tally over every window's trades: money scaled by the window's S_k, returns on margin scale-free.
  const tally: TradeTally = {
    count: 0, wins: 0, losses: 0, grossProfit: 0, grossLoss: 0, winReturnSum: 0, lossReturnSum: 0, fees: 0, funding: 0, liquidations: 0,
  };
  let exposedBars = 0;
  let overrides = 0;
  segments.forEach((segment, k) => {
    if (!chain.active[k]) return;
    const scale = chain.scales[k];
    for (const trade of segment.trades) {
      tally.count++;
      tally.fees += trade.fees * scale;
      tally.funding += trade.funding * scale;
      const pct = (trade.pnl / trade.margin) * 100;
      if (trade.pnl > 0) {
        tally.wins++;
        tally.grossProfit += trade.pnl * scale;
        tally.winReturnSum += pct;
      } else if (trade.pnl < 0) {
        tally.losses++;
        tally.grossLoss += trade.pnl * scale;
        tally.lossReturnSum += pct;
      }
    }
    if (segment.metrics) {
      exposedBars += (segment.metrics.exposure / 100) * segment.metrics.bars;
      tally.liquidations += segment.metrics.liquidations;
      overrides += segment.metrics.overrides;
    }
  });
  let fundingKnown = 0;
  for (let k = 0; k < n; k++) if (!Number.isNaN(series.fundingRate[chain.bars[k]])) fundingKnown++;
  const first = n > 0 ? chain.bars[0] : -1;
  const last = n > 0 ? chain.bars[n - 1] : -1;
  // liquidated and liquidations sit after fundingCoverage in BacktestMetrics' key order.
  const { liquidated, liquidations, ...trades } = tradeMetrics(tally);
  return {
    returns: totalReturn(finalEquity, capital),
    maxDrawdown: drawdown,
    // A curve that reached 0 has undefined bar returns after it: 0 as SPEC §4 does for undefined ratios.
    sharpeRatio: finiteOrZero(sharpeRatio(chain.equity, capital, periodsPerYear)),
    sortinoRatio: finiteOrZero(sortinoRatio(chain.equity, capital, periodsPerYear)),
    calmarRatio: finiteOrNull(calmarRatio(finalEquity, capital, n, periodsPerYear, drawdown)),
    ...trades,
    fundingCoverage: n === 0 ? 100 : (fundingKnown / n) * 100,
    liquidated,
    liquidations,
    exposure: n === 0 ? 0 : (Math.round(exposedBars) / n) * 100,
    buyAndHoldReturn: n === 0 ? 0 : (series.close[last] / series.open[first] - 1) * 100,
    overrides,
    bars: n,
    finalEquity,
    period:
      n === 0
        ? emptyPeriod
        : {
            start: new Date(series.openTime[first]).toISOString(),
            end: new Date(series.openTime[last] + series.intervalMs).toISOString(),
          },
  };
}

const finiteOrZero = (x: number) => (Number.isFinite(x) ? x : 0);
const finiteOrNull = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
