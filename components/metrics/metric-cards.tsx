/**
 * Metric cards of one backtest result (SPEC §4), each with its unit: % for returns, drawdown,
 * win rate, average win/loss and exposure; USDT for fees, funding and equity; plain numbers for
 * ratios and counts. Each card is a Tab stop whose formula (SPEC §4 words) shows as a tooltip on
 * hover and on focus.
 */
import { memo, useId } from 'react';
import type { BacktestResult } from '@/lib/engine/types';
import { formatNumber, formatRatio } from '@/lib/client/format';
import styles from './metric-cards.module.css';

type Tone = 'gain' | 'loss' | undefined;

/** One card: label, value and unit as shown, an optional hint and a colour tone. */
export interface MetricCard {
  key: string;
  label: string;
  value: string;
  unit?: '%' | 'USDT';
  hint?: string;
  tone?: Tone;
}

/**
 * How each metric is computed, in the words of SPEC §4: e_0 = capital, e_1..e_n the equity at
 * the n bar closes, r_i = e_i/e_{i−1} − 1, B bars per year, M a trade's margin.
 */
export const METRIC_FORMULAS: Record<string, string> = {
  returns: 'Return = (e_n / e_0 − 1) × 100, e_0 the capital and e_n the equity at the last bar close.',
  buyAndHoldReturn: 'Buy & hold = (last close / first open − 1) × 100 over the window.',
  maxDrawdown: 'Max drawdown = max over i of (peak_i − e_i) / peak_i × 100, peak_i = max(e_0..e_i).',
  sharpeRatio: 'Sharpe = mean(r) / std(r, sample, n−1) × √B, r_i = e_i/e_{i−1} − 1, B bars per year; 0 when std is 0 or n < 2.',
  sortinoRatio: 'Sortino = mean(r) / √(mean(min(r_i, 0)²)) × √B; 0 when the denominator is 0.',
  calmarRatio: 'Calmar = ((e_n/e_0)^(B/n) − 1) × 100 / max drawdown; none when max drawdown is 0.',
  finalEquity: 'Final equity = e_n, the equity at the last bar close, USDT.',
  trades: 'Trades = opened positions, each closed by signal, liquidation or the end of the window.',
  winRate: 'Win rate = % of trades with net PnL > 0 (0 with no trades).',
  profitFactor: 'Profit factor = sum of positive net PnL / |sum of negative net PnL|; none with no losing trade.',
  avgWin: 'Avg win = mean of net PnL / M × 100 over winning trades, M the trade’s margin (0 when none).',
  avgLoss: 'Avg loss = mean of net PnL / M × 100 over losing trades (0 when none).',
  exposure: 'Exposure = % of window bars with a position open at their close.',
  fees: 'Fees = taker fees paid on every fill, USDT.',
  funding: 'Funding = funding paid in total, USDT (received when negative).',
  liquidations: 'Liquidations = trades closed at their liquidation price (the margin lost).',
};

const toneOf = (value: number): Tone => (value > 0 ? 'gain' : value < 0 ? 'loss' : undefined);
const count = (value: number) => formatNumber(value, { digits: 0 });

/** The cards shown for `result`, in reading order. */
export function metricCards(r: BacktestResult): MetricCard[] {
  const cards: MetricCard[] = [
    { key: 'returns', label: 'Return', value: formatNumber(r.returns, { signed: true }), unit: '%', tone: toneOf(r.returns) },
    {
      key: 'buyAndHoldReturn',
      label: 'Buy & hold',
      value: formatNumber(r.buyAndHoldReturn, { signed: true }),
      unit: '%',
      tone: toneOf(r.buyAndHoldReturn),
    },
    { key: 'maxDrawdown', label: 'Max drawdown', value: formatNumber(r.maxDrawdown), unit: '%', tone: r.maxDrawdown > 0 ? 'loss' : undefined },
    { key: 'sharpeRatio', label: 'Sharpe', value: formatRatio(r.sharpeRatio), hint: 'annualised' },
    { key: 'sortinoRatio', label: 'Sortino', value: formatRatio(r.sortinoRatio), hint: 'annualised' },
    { key: 'calmarRatio', label: 'Calmar', value: formatRatio(r.calmarRatio), hint: r.calmarRatio === null ? 'no drawdown' : 'annualised' },
    { key: 'finalEquity', label: 'Final equity', value: formatNumber(r.finalEquity), unit: 'USDT', tone: toneOf(r.returns) },
    { key: 'trades', label: 'Trades', value: count(r.trades), hint: r.params.extremeLowThreshold !== undefined ? `${count(r.overrides)} overrides` : undefined },
    { key: 'winRate', label: 'Win rate', value: formatNumber(r.winRate, { digits: 1 }), unit: '%' },
    { key: 'profitFactor', label: 'Profit factor', value: formatRatio(r.profitFactor), hint: r.profitFactor === null ? 'no losing trade' : undefined },
    { key: 'avgWin', label: 'Avg win', value: formatNumber(r.avgWin, { digits: 1, signed: true }), unit: '%', hint: 'of margin' },
    { key: 'avgLoss', label: 'Avg loss', value: formatNumber(r.avgLoss, { digits: 1 }), unit: '%', hint: 'of margin' },
    { key: 'exposure', label: 'Exposure', value: formatNumber(r.exposure, { digits: 1 }), unit: '%', hint: 'bars in a position' },
    { key: 'fees', label: 'Fees', value: formatNumber(r.fees), unit: 'USDT', hint: 'taker' },
    // Net funding is paid when positive, received when negative: show its size with the direction.
    { key: 'funding', label: 'Funding', value: formatNumber(Math.abs(r.funding)), unit: 'USDT', hint: r.funding < 0 ? 'received' : 'paid' },
    { key: 'liquidations', label: 'Liquidations', value: count(r.liquidations), tone: r.liquidations > 0 ? 'loss' : undefined },
  ];
  return cards;
}

/** The card grid; each card has `data-metric`, shows its unit next to the value and its formula as a tooltip. */
export const MetricCards = memo(function MetricCards({ result, stale }: { result: BacktestResult; stale?: boolean }) {
  const id = useId();
  return (
    <dl className={`${styles.grid} ${stale ? styles.stale : ''}`} aria-label="Backtest metrics" aria-busy={stale}>
      {metricCards(result).map((card) => (
        <div key={card.key} className={styles.card} data-metric={card.key} tabIndex={0} aria-describedby={`${id}-${card.key}`}>
          <dt className={styles.label}>{card.label}</dt>
          <dd className={`${styles.value} ${card.tone ? styles[card.tone] : ''}`}>
            {card.value}
            {card.unit && <span className={styles.unit}> {card.unit}</span>}
          </dd>
          {card.hint && <dd className={styles.hint}>{card.hint}</dd>}
          <span id={`${id}-${card.key}`} role="tooltip" className={styles.tooltip}>
            {METRIC_FORMULAS[card.key]}
          </span>
        </div>
      ))}
    </dl>
  );
});
