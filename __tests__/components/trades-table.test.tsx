import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { TradesTable } from '@/components/trades/trades-table';
import type { Trade } from '@/lib/engine/types';
import { tradeFixture } from './api-mock';

// Three trades (test inputs): a long win, a short liquidated, a long still open at the end.
const T0 = Date.UTC(2025, 0, 1, 4);
const H = 3_600_000;
const trades: Trade[] = [
  tradeFixture({ entryTime: T0, entryPrice: 3_000, exitTime: T0 + 8 * H, exitPrice: 3_100, quantity: 2.85, fees: 8.69, funding: 0.5, pnl: 275.81 }),
  tradeFixture({ side: 'short', entryTime: T0 + 12 * H, entryPrice: 3_050, exitTime: T0 + 20 * H, exitPrice: 3_900, fees: 4.35, funding: -1.2, pnl: -954.35, exitReason: 'liquidation' }),
  tradeFixture({ entryTime: T0 + 24 * H, entryPrice: 2_990.5, exitTime: T0 + 40 * H, exitPrice: 2_995, fees: 3, pnl: 1.5, exitReason: 'end' }),
];

const bodyRows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);
const column = (index: number) => bodyRows().map((row) => within(row).getAllByRole('cell')[index].textContent);

describe('trades table', () => {
  it('formats times (UTC), side, prices, size, fees, funding, net PnL in USDT and % of margin, exit reason', () => {
    render(<TradesTable trades={trades} asset="ETH" onHighlight={() => {}} />);
    expect(screen.getByRole('table', { name: 'Trades (3)' })).toBeInTheDocument();
    const cells = within(bodyRows()[0]).getAllByRole('cell').map((c) => c.textContent);
    // 275.81 / 950 margin = 29.03 % → 29.0 %.
    expect(cells).toEqual(['2025-01-01 04:00', '2025-01-01 12:00', '▲ Long', '3,000.00', '3,100.00', '2.8500', '8.69', '+0.50', '+275.81', '+29.0 %', 'Signal']);
    const liquidated = within(bodyRows()[1]).getAllByRole('cell').map((c) => c.textContent);
    // −954.35 / 950 = −100.46 % → −100.5 %; funding received is negative.
    expect(liquidated).toEqual(['2025-01-01 16:00', '2025-01-02 00:00', '▼ Short', '3,050.00', '3,900.00', '1.0000', '4.35', '-1.20', '-954.35', '-100.5 %', 'Liquidation']);
    expect(column(10)[2]).toBe('End of window');
    expect(screen.getByRole('columnheader', { name: /Size \(ETH\)/ })).toBeInTheDocument();
  });

  it('sorts by any column, flipping direction on a second click, and says so with aria-sort', () => {
    render(<TradesTable trades={trades} asset="ETH" onHighlight={() => {}} />);
    expect(screen.getByRole('columnheader', { name: /Entry \(UTC\)/ })).toHaveAttribute('aria-sort', 'ascending');
    fireEvent.click(screen.getByRole('button', { name: /Net PnL/ }));
    expect(column(8)).toEqual(['-954.35', '+1.50', '+275.81']);
    expect(screen.getByRole('columnheader', { name: /Net PnL/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('columnheader', { name: /Entry \(UTC\)/ })).toHaveAttribute('aria-sort', 'none');
    fireEvent.click(screen.getByRole('button', { name: /Net PnL/ }));
    expect(column(8)).toEqual(['+275.81', '+1.50', '-954.35']);
    expect(screen.getByRole('columnheader', { name: /Net PnL/ })).toHaveAttribute('aria-sort', 'descending');
    fireEvent.click(screen.getByRole('button', { name: /Side/ }));
    expect(column(2)).toEqual(['▲ Long', '▲ Long', '▼ Short']); // ties keep entry order
    fireEvent.click(screen.getByRole('button', { name: /Exit reason/ }));
    expect(column(10)).toEqual(['End of window', 'Liquidation', 'Signal']);
    fireEvent.click(screen.getByRole('button', { name: /Funding/ }));
    expect(column(7)).toEqual(['-1.20', '0.00', '+0.50']);
  });

  it('sorts from the keyboard: the headers are buttons', () => {
    render(<TradesTable trades={trades} asset="ETH" onHighlight={() => {}} />);
    const button = screen.getByRole('button', { name: /Exit price/ });
    button.focus();
    expect(button).toHaveFocus();
    fireEvent.click(button); // Enter/Space on a native button fire click
    expect(column(4)).toEqual(['2,995.00', '3,100.00', '3,900.00']);
  });

  it('highlights a trade’s markers while its row is hovered or focused', () => {
    const onHighlight = vi.fn();
    render(<TradesTable trades={trades} asset="ETH" onHighlight={onHighlight} />);
    const row = bodyRows()[1];
    expect(row).toHaveAttribute('tabindex', '0');
    fireEvent.focus(row);
    expect(onHighlight).toHaveBeenLastCalledWith(1);
    fireEvent.blur(row);
    expect(onHighlight).toHaveBeenLastCalledWith(null);
    fireEvent.mouseEnter(bodyRows()[2]);
    expect(onHighlight).toHaveBeenLastCalledWith(2);
  });

  it('says when there are no trades', () => {
    render(<TradesTable trades={[]} asset="ETH" onHighlight={() => {}} />);
    expect(screen.getByText('No trades in this window.')).toBeInTheDocument();
  });
});
