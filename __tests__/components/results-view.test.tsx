import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ResultsView } from '@/components/backtester/results-view';
import { ApiError } from '@/lib/client/api';
import type { LiveBacktest } from '@/lib/client/use-live-backtest';
import type { BacktestResult } from '@/lib/engine/types';
import { ETH_4H_PARAMS } from '../helpers/params';
import { executeResponse } from './api-mock';

// Each test draws the whole result (the charts and the table) in jsdom.
vi.setConfig({ testTimeout: 30_000 });

/** A live state whose response on screen was computed at 25/75 (ETH 4h) with `result` fields overridden. */
function liveState(state: Partial<LiveBacktest>, result: Partial<BacktestResult> = {}): LiveBacktest {
  const response = executeResponse(ETH_4H_PARAMS, 5);
  return { response: { ...response, result: { ...response.result, ...result } }, roundTripMs: 12, isLoading: false, ...state };
}

/** The bounds the chart legend shows for `zone`. */
const legendBounds = (zone: string) =>
  within(screen.getByRole('list', { name: 'Chart legend' })).getByText((_, el) => el?.getAttribute('data-zone') === zone)
    .lastElementChild?.textContent;

const metricCard = (key: string) => screen.getByLabelText('Backtest metrics').querySelector(`[data-metric="${key}"]`);

describe('results view: the chart matches the result on screen', () => {
  it('splits the zones at the result’s thresholds after an error', () => {
    render(<ResultsView live={liveState({ error: new ApiError('No ETH 4h bars in 2016', 422) })} />);
    expect(legendBounds('greed')).toBe('≥ 75');
    expect(legendBounds('fear')).toBe('≤ 25');
  });

  it('splits the zones at the result’s thresholds while the settings are invalid', () => {
    render(<ResultsView live={liveState({})} invalidParams="dateRange: dateRange start must not be after end" />);
    expect(legendBounds('greed')).toBe('≥ 75');
  });

  it('keeps the result’s thresholds while a newer request is loading (a slider value alone redraws no chart)', () => {
    render(<ResultsView live={liveState({ isLoading: true })} />);
    expect(legendBounds('greed')).toBe('≥ 75');
    expect(legendBounds('fear')).toBe('≤ 25');
  });

  it('shows the result’s extreme zones when it used extreme thresholds', () => {
    const params = { ...ETH_4H_PARAMS, extremeLowThreshold: 10, extremeHighThreshold: 90 };
    render(<ResultsView live={liveState({}, { params })} />);
    expect(legendBounds('extreme-greed')).toBe('≥ 90');
    expect(legendBounds('fear')).toBe('11–25');
  });
});

describe('results view: every answer drawn as it arrives', () => {
  it('redraws the charts for a new answer at once and the trades one task later', async () => {
    const { container, rerender } = render(<ResultsView live={liveState({})} />);
    const markers = () => container.querySelectorAll('[data-testid="split-sea-chart"] [data-marker]').length;
    expect(markers()).toBeGreaterThan(0);
    const computed = executeResponse({ ...ETH_4H_PARAMS, lowThreshold: 30 }, -2);
    const later = { ...computed, detail: { ...computed.detail!, trades: [] } };
    rerender(<ResultsView live={{ response: later, roundTripMs: 8, isLoading: false }} />);
    expect(screen.getByTestId('run-summary')).toHaveTextContent('contrarian 30/75');
    expect(metricCard('returns')).toHaveTextContent(/2\.00/);
    expect(legendBounds('fear')).toBe('≤ 30');
    expect(markers()).toBe(0);
    expect(screen.getByText('Trades · 1')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('Trades · 0')).toBeInTheDocument(), { timeout: 10_000 });
  });

  it('draws an answer while a newer request loads, and the newest once it arrives', () => {
    const { rerender } = render(<ResultsView live={liveState({})} />);
    const answered = executeResponse({ ...ETH_4H_PARAMS, lowThreshold: 30 }, -2);
    rerender(<ResultsView live={{ response: answered, roundTripMs: 8, isLoading: true }} />);
    expect(screen.getByTestId('run-summary')).toHaveTextContent('contrarian 30/75');
    expect(legendBounds('fear')).toBe('≤ 30');
    const newest = executeResponse({ ...ETH_4H_PARAMS, lowThreshold: 35 }, 1);
    rerender(<ResultsView live={{ response: newest, roundTripMs: 8, isLoading: false }} />);
    expect(legendBounds('fear')).toBe('≤ 35');
  });
});

describe('results view: summary, metrics and badge', () => {
  it('names the last covered day, not the day the last bar closes on', () => {
    const period = { start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' };
    render(<ResultsView live={liveState({}, { period })} />);
    expect(screen.getByTestId('run-summary')).toHaveTextContent('2024-01-01 → 2024-12-31 UTC');
  });

  it('shows funding as an amount paid or received, never a negative amount received', () => {
    const { unmount } = render(<ResultsView live={liveState({}, { funding: -12.34 })} />);
    expect(metricCard('funding')).toHaveTextContent(/^Funding12\.34 USDTreceived/);
    unmount();
    render(<ResultsView live={liveState({}, { funding: 8.5 })} />);
    expect(metricCard('funding')).toHaveTextContent(/^Funding8\.50 USDTpaid/);
  });

  it('keeps the badge out of the live announcements but readable with its details', () => {
    render(<ResultsView live={liveState({})} />);
    const badge = screen.getByTestId('result-badge');
    expect(badge).not.toHaveAttribute('aria-live');
    expect(badge).not.toHaveAttribute('role');
    expect(badge).toHaveTextContent('Computed12 ms round trip; computed on the server in 3.50 ms');
  });
});

describe('results view: after an error, formulas, assumptions', () => {
  it('says the result kept on screen is for the earlier settings', () => {
    render(<ResultsView live={liveState({ error: new ApiError('No SOL 4h bars in 2016', 422) })} />);
    expect(screen.getByTestId('backtest-error')).toHaveTextContent(
      'Backtest failed (HTTP 422): No SOL 4h bars in 2016 — the result below is for the earlier settings (ETH 4h 3× contrarian 25/75), not the ones now chosen.',
    );
    expect(screen.getByTestId('result-body')).toHaveAttribute('data-stale-result', 'true');
  });

  it('explains each metric’s formula in a tooltip tied to the focusable card', () => {
    render(<ResultsView live={liveState({})} />);
    const card = metricCard('sharpeRatio') as HTMLElement;
    expect(card).toHaveAttribute('tabindex', '0');
    const tooltip = document.getElementById(card.getAttribute('aria-describedby')!);
    expect(tooltip).toHaveAttribute('role', 'tooltip');
    expect(tooltip).toHaveTextContent('Sharpe = mean(r) / std(r, sample, n−1) × √B');
    expect(document.getElementById(metricCard('maxDrawdown')!.getAttribute('aria-describedby')!)).toHaveTextContent(
      'max over i of (peak_i − e_i) / peak_i × 100',
    );
  });

  it('lists the model assumptions from the engine config and the funding source', () => {
    const response = executeResponse(ETH_4H_PARAMS, 5);
    const result = { ...response.result, fundingCoverage: 100 };
    render(<ResultsView live={{ response: { ...response, result }, roundTripMs: 12, isLoading: false }} />);
    const list = screen.getByLabelText('Model assumptions');
    expect(list).toHaveTextContent('Capital10,000 USDT');
    expect(list).toHaveTextContent('Margin share95 % of cash, isolated');
    expect(list).toHaveTextContent('Taker fee0.05 % per fill');
    expect(list).toHaveTextContent('Maintenance margin0.5 %');
    expect(list).toHaveTextContent('Fundingreal Binance funding, 100 % of bars');
  });
});

describe('results view: pin and compare', () => {
  it('keeps a pinned equity curve (dashed, its settings in the legend) while newer results arrive, until unpinned', () => {
    const first = liveState({});
    const { rerender } = render(<ResultsView live={first} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pin to compare' }));
    expect(screen.getByTestId('pinned-legend')).toHaveTextContent('Pinned: ETH 4h 3× contrarian 25/75 · +5.00 %');
    expect(document.querySelector('[data-series="pinned"] path, path[data-series="pinned"], [data-series="pinned"]')).not.toBeNull();

    const later = executeResponse({ ...ETH_4H_PARAMS, lowThreshold: 30 }, -2);
    rerender(<ResultsView live={{ response: later, roundTripMs: 8, isLoading: false }} />);
    expect(screen.getByTestId('run-summary')).toHaveTextContent('contrarian 30/75');
    expect(screen.getByTestId('pinned-legend')).toHaveTextContent('Pinned: ETH 4h 3× contrarian 25/75');
    fireEvent.click(screen.getByRole('button', { name: /^Unpin ETH 4h 3× contrarian 25\/75/ }));
    expect(screen.queryByTestId('pinned-legend')).toBeNull();
  });
});

describe('results view: exports', () => {
  it('downloads the trades CSV named after the cache key', async () => {
    const blobs: Blob[] = [];
    const names: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:x'), revokeObjectURL: () => {} }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    render(<ResultsView live={liveState({})} />);
    fireEvent.click(screen.getByRole('button', { name: 'Trades CSV' }));
    fireEvent.click(screen.getByRole('button', { name: 'Equity CSV' }));
    fireEvent.click(screen.getByRole('button', { name: 'Result JSON' }));
    expect(names).toEqual(['ETH-4h-3x-25-75-contrarian-trades.csv', 'ETH-4h-3x-25-75-contrarian-equity.csv', 'ETH-4h-3x-25-75-contrarian.json']);
    const trades = await blobs[0].text();
    expect(trades.split('\r\n')[0]).toBe(
      'entry_time_utc,exit_time_utc,side,entry_price_usdt,exit_price_usdt,quantity,margin_usdt,fees_usdt,funding_usdt,net_pnl_usdt,net_pnl_pct_of_margin,exit_reason',
    );
    expect(JSON.parse(await blobs[2].text()).result.params).toEqual(ETH_4H_PARAMS);
    click.mockRestore();
    vi.unstubAllGlobals();
  });
});
