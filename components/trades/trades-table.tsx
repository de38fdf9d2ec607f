'use client';
/**
 * The trades of the result on screen (SPEC §8): entry and exit time (UTC), side, entry and exit
 * price (USDT), size (base asset), fees, funding, net PnL (USDT and % of margin) and exit reason.
 * Each column header is a button that sorts by it (again: the other direction; `aria-sort` says
 * which). Each row is a Tab stop; hovering or focusing it highlights that trade's markers on
 * the chart through `onHighlight(index | null)`.
 */
import { memo, useMemo, useState } from 'react';
import type { Trade } from '@/lib/engine/types';
import { formatNumber, formatUtcTime } from '@/lib/client/format';
import { nextTradeSort, sortTradeRows, tradeRows, type TradeSort, type TradeSortKey } from '@/lib/client/trade-rows';
import styles from './trades-table.module.css';

/** Props: the trades (entry order), the base asset (size unit) and the highlight callback. */
export interface TradesTableProps {
  trades: readonly Trade[];
  asset: string;
  onHighlight: (index: number | null) => void;
}

const COLUMNS: { key: TradeSortKey; label: string; numeric?: boolean }[] = [
  { key: 'entryTime', label: 'Entry (UTC)' },
  { key: 'exitTime', label: 'Exit (UTC)' },
  { key: 'side', label: 'Side' },
  { key: 'entryPrice', label: 'Entry price', numeric: true },
  { key: 'exitPrice', label: 'Exit price', numeric: true },
  { key: 'quantity', label: 'Size', numeric: true },
  { key: 'fees', label: 'Fees', numeric: true },
  { key: 'funding', label: 'Funding', numeric: true },
  { key: 'pnl', label: 'Net PnL', numeric: true },
  { key: 'pnlPercent', label: 'PnL % margin', numeric: true },
  { key: 'exitReason', label: 'Exit reason' },
];

const REASON_LABEL = { signal: 'Signal', liquidation: 'Liquidation', end: 'End of window' } as const;
const utc = (time: number) => formatUtcTime(time).replace(' UTC', '');
/** A price with 2 decimals, or 4 below 10 USDT. */
const price = (value: number) => formatNumber(value, { digits: Math.abs(value) < 10 ? 4 : 2 });

/** The sortable table; an empty list says so. */
export const TradesTable = memo(function TradesTable({ trades, asset, onHighlight }: TradesTableProps) {
  const [sort, setSort] = useState<TradeSort>({ key: 'entryTime', direction: 'ascending' });
  const rows = useMemo(() => sortTradeRows(tradeRows(trades), sort), [trades, sort]);
  if (trades.length === 0) return <p className={styles.empty}>No trades in this window.</p>;
  return (
    <>
      <div className={styles.scroll}>
        <table className={styles.table} aria-label={`Trades (${trades.length})`}>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? styles.numeric : undefined}
                  aria-sort={sort.key === c.key ? sort.direction : 'none'}
                >
                  <button type="button" className={styles.sort} onClick={() => setSort((s) => nextTradeSort(s, c.key))}>
                    {c.label}
                    {c.key === 'quantity' && ` (${asset})`}
                    <span aria-hidden="true" className={styles.arrow}>
                      {sort.key === c.key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody onMouseLeave={() => onHighlight(null)}>
            {rows.map((t) => (
              <tr
                key={t.index}
                tabIndex={0}
                data-trade={t.index}
                className={styles.row}
                onMouseEnter={() => onHighlight(t.index)}
                onFocus={() => onHighlight(t.index)}
                onBlur={() => onHighlight(null)}
              >
                <td className={styles.time}>{utc(t.entryTime)}</td>
                <td className={styles.time}>{utc(t.exitTime)}</td>
                <td className={t.side === 'long' ? styles.long : styles.short}>{t.side === 'long' ? '▲ Long' : '▼ Short'}</td>
                <td className={styles.numeric}>{price(t.entryPrice)}</td>
                <td className={styles.numeric}>{price(t.exitPrice)}</td>
                <td className={styles.numeric}>{formatNumber(t.quantity, { digits: 4 })}</td>
                <td className={styles.numeric}>{formatNumber(t.fees)}</td>
                <td className={styles.numeric}>{formatNumber(t.funding, { signed: true })}</td>
                <td className={`${styles.numeric} ${t.pnl > 0 ? styles.gain : t.pnl < 0 ? styles.loss : ''}`}>
                  {formatNumber(t.pnl, { signed: true })}
                </td>
                <td className={`${styles.numeric} ${t.pnl > 0 ? styles.gain : t.pnl < 0 ? styles.loss : ''}`}>
                  {formatNumber(t.pnlPercent, { digits: 1, signed: true })} %
                </td>
                <td className={t.exitReason === 'liquidation' ? styles.loss : undefined}>{REASON_LABEL[t.exitReason]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className={styles.note}>Prices, fees, funding and PnL in USDT; funding paid is positive, received negative.</p>
    </>
  );
});
