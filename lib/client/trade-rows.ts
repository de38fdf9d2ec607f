/**
 * The trades table's rows and sorting (SPEC §8): each trade of the result with its index (the
 * marker id on the chart) and the values of its sortable columns. Pure.
 */
import type { Trade } from '../engine/types';
import { pnlPercentOfMargin } from './exports';

/** Sortable columns of the trades table. */
export const TRADE_SORT_KEYS = [
  'entryTime',
  'exitTime',
  'side',
  'entryPrice',
  'exitPrice',
  'quantity',
  'fees',
  'funding',
  'pnl',
  'pnlPercent',
  'exitReason',
] as const;
export type TradeSortKey = (typeof TRADE_SORT_KEYS)[number];

/** Sort order: column and direction. */
export interface TradeSort {
  key: TradeSortKey;
  direction: 'ascending' | 'descending';
}

/** A trade with its position in the result's list (0-based; the chart markers carry the same index). */
export interface TradeRow extends Trade {
  index: number;
  /** Net PnL / margin × 100, %. */
  pnlPercent: number;
}

/** Rows of `trades` in their order (entry time), each with index and PnL % of margin. */
export function tradeRows(trades: readonly Trade[]): TradeRow[] {
  return trades.map((t, index) => ({ ...t, index, pnlPercent: pnlPercentOfMargin(t) }));
}

/**
 * `rows` sorted by `sort` (a new array; ties keep the entry order, so the sort is stable): numbers
 * numerically, side and exit reason alphabetically.
 */
export function sortTradeRows(rows: readonly TradeRow[], sort: TradeSort): TradeRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows.slice().sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order === 0 ? a.index - b.index : sign * order;
  });
}

/** The sort after a click on column `key`: the same column flips direction, a new one starts ascending. */
export function nextTradeSort(current: TradeSort, key: TradeSortKey): TradeSort {
  if (current.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}
