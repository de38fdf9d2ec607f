/**
 * Metric cards of one backtest result (SPEC §4), each with its unit: % for returns, drawdown,
 * win rate and exposure; USDT for fees, funding and equity; plain numbers for ratios and counts.
 */
import type { BacktestResult } from '@/lib/engine/types';
import { formatPercent, formatRatio, formatUsdt } from '@/lib/client/format';
import styles from './metric-cards.module.css';

type Tone = 'gain' | 'loss' | undefined;

interface MetricCard {
  key: string;
  label: string;
  value: string;
  hint?: string;
  tone?: Tone;
}

const toneOf = (value: number): Tone => (value > 0 ? 'gain' : value < 0 ? 'loss' : undefined);
const integer = new Intl.NumberFormat('en-US');

/** The cards shown for `result`, in reading order. */
export function metricCards(result: BacktestResult): MetricCard[] {
  const cards: MetricCard[] = [
    { key: 'returns', label: 'Return', value: formatPercent(result.returns, { signed: true }), tone: toneOf(result.returns) },
    {
      key: 'buyAndHoldReturn',
      label: 'Buy & hold',
      value: formatPercent(result.buyAndHoldReturn, { signed: true }),
      tone: toneOf(result.buyAndHoldReturn),
    },
    { key: 'maxDrawdown', label: 'Max drawdown', value: formatPercent(result.maxDrawdown), tone: result.maxDrawdown > 0 ? 'loss' : undefined },
    { key: 'sharpeRatio', label: 'Sharpe', value: formatRatio(result.sharpeRatio), hint: 'annualised' },
    { key: 'sortinoRatio', label: 'Sortino', value: formatRatio(result.sortinoRatio), hint: 'annualised' },
    { key: 'calmarRatio', label: 'Calmar', value: formatRatio(result.calmarRatio), hint: result.calmarRatio === null ? 'no drawdown' : undefined },
    { key: 'finalEquity', label: 'Final equity', value: formatUsdt(result.finalEquity), tone: toneOf(result.returns) },
    { key: 'trades', label: 'Trades', value: integer.format(result.trades) },
    { key: 'winRate', label: 'Win rate', value: formatPercent(result.winRate, { digits: 1 }) },
    {
      key: 'profitFactor',
      label: 'Profit factor',
      value: formatRatio(result.profitFactor),
      hint: result.profitFactor === null ? 'no losing trade' : undefined,
    },
    {
      key: 'avgWinLoss',
      label: 'Avg win / loss',
      value: `${formatPercent(result.avgWin, { digits: 1, signed: true })} / ${formatPercent(result.avgLoss, { digits: 1 })}`,
      hint: 'of margin',
    },
    { key: 'exposure', label: 'Exposure', value: formatPercent(result.exposure, { digits: 1 }), hint: 'bars in a position' },
    { key: 'fees', label: 'Fees', value: formatUsdt(result.fees) },
    { key: 'funding', label: 'Funding', value: formatUsdt(result.funding), hint: result.funding < 0 ? 'received' : 'paid' },
    {
      key: 'liquidations',
      label: 'Liquidations',
      value: integer.format(result.liquidations),
      tone: result.liquidations > 0 ? 'loss' : undefined,
    },
  ];
  if (result.params.extremeLowThreshold !== undefined) {
    cards.push({ key: 'overrides', label: 'Overrides', value: integer.format(result.overrides), hint: 'extreme switches' });
  }
  return cards;
}

/** The card grid; each card has `data-metric` and its label as accessible name. */
export function MetricCards({ result, stale }: { result: BacktestResult; stale?: boolean }) {
  return (
    <dl className={`${styles.grid} ${stale ? styles.stale : ''}`} aria-label="Backtest metrics" aria-busy={stale}>
      {metricCards(result).map((card) => (
        <div key={card.key} className={styles.card} data-metric={card.key}>
          <dt className={styles.label}>{card.label}</dt>
          <dd className={`${styles.value} ${card.tone ? styles[card.tone] : ''}`}>{card.value}</dd>
          {card.hint && <dd className={styles.hint}>{card.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
