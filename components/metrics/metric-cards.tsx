/**
 * Metric cards of one backtest result (SPEC §4), each with its unit: % for returns, drawdown,
 * win rate, average win/loss and exposure; USDT for fees, funding and equity; plain numbers for
 * ratios and counts.
 */
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

/** The card grid; each card has `data-metric` and shows its unit next to the value. */
export function MetricCards({ result, stale }: { result: BacktestResult; stale?: boolean }) {
  return (
    <dl className={`${styles.grid} ${stale ? styles.stale : ''}`} aria-label="Backtest metrics" aria-busy={stale}>
      {metricCards(result).map((card) => (
        <div key={card.key} className={styles.card} data-metric={card.key}>
          <dt className={styles.label}>{card.label}</dt>
          <dd className={`${styles.value} ${card.tone ? styles[card.tone] : ''}`}>
            {card.value}
            {card.unit && <span className={styles.unit}> {card.unit}</span>}
          </dd>
          {card.hint && <dd className={styles.hint}>{card.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
