import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backtester } from '@/components/backtester/backtester';
import type { CoverageEntry } from '@/lib/market-data/types';
import type { BacktestParams } from '@/lib/schemas';
import { cacheStats, executeResponse, json, mockApi, type RecordedCall } from './api-mock';
import { PAGE_TEST_TIMEOUT, PAGE_WAIT, renderWithSwr } from './render-helpers';

const coverage: CoverageEntry[] = [
  { symbol: 'ETHUSDT', interval: '4h', first: '2017-08-17T04:00:00.000Z', last: '2026-01-06T08:00:00.000Z', bars: 18_354, gaps: [] },
  { symbol: 'SOLUSDT', interval: '4h', first: '2020-08-11T04:00:00.000Z', last: '2026-01-06T08:00:00.000Z', bars: 11_846, gaps: [] },
  { symbol: 'FGI', interval: '1d', first: '2018-02-01T00:00:00.000Z', last: '2026-08-22T00:00:00.000Z', bars: 3_121, gaps: [] },
];

/** The metric card `key` (data-metric) inside the metrics list. */
const metricCard = (key: string) => screen.getByLabelText('Backtest metrics').querySelector(`[data-metric="${key}"]`);

const executed = (calls: RecordedCall[]) =>
  calls.filter((c) => c.path === '/api/backtest/execute').map((c) => (c.body as { params: BacktestParams }).params);

function renderPage(execute: (params: BacktestParams) => Response, unavailable: unknown[] = []) {
  const calls = mockApi({
    'GET /api/market-data': () => json({ coverage, unavailable }),
    'POST /api/backtest/execute': (c) => execute((c.body as { params: BacktestParams }).params),
    'POST /api/backtest/heatmap': () => json({ error: 'heatmap not under test' }, 503),
    'GET /api/backtest/cache/stats': () => json(cacheStats),
  });
  renderWithSwr(<Backtester />);
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('backtester page', { timeout: PAGE_TEST_TIMEOUT }, () => {
  it('shows the result with metric cards (units) and a badge naming the cache tier', async () => {
    renderPage((params) => json(executeResponse(params, 12.5, { cached: true, cacheTier: 'temporary', cacheAge: 60_000 })));
    const badge = await screen.findByTestId('result-badge', {}, PAGE_WAIT);
    expect(badge).toHaveAttribute('data-source', 'temporary');
    expect(badge).toHaveTextContent(/Temporary cache\s*[\d.]+ m?s/);
    expect(metricCard('returns')).toHaveTextContent('Return+12.50 %');
    expect(metricCard('finalEquity')).toHaveTextContent('Final equity11,250.00 USDT');
    expect(metricCard('maxDrawdown')).toHaveTextContent('4.20 %');
    expect(metricCard('fees')).toHaveTextContent('12.50 USDT');
    expect(screen.getByTestId('run-summary')).toHaveTextContent('ETH · 4h · 3× · contrarian 25/75');
  });

  it('says when the selected series cannot be read, with the reason the server gives', async () => {
    const reason = 'Malformed market data in klines/ETHUSDT/4h/ETHUSDT_4h.csv, line 9186: expected 6 columns, found 2';
    renderPage(
      (params) => json(executeResponse(params, 1)),
      [{ symbol: 'ETHUSDT', interval: '4h', error: reason }],
    );
    expect(await screen.findByText(`Market data coverage unavailable: ETHUSDT 4h: ${reason}`, {}, PAGE_WAIT)).toHaveAttribute('role', 'alert');
    fireEvent.click(screen.getByRole('radio', { name: 'SOL' }));
    await waitFor(() => expect(screen.queryByText(/Market data coverage unavailable/)).toBeNull(), PAGE_WAIT);
  });

  it("shows the server's error in place and keeps the last result", async () => {
    const calls = renderPage((params) =>
      params.leverage === 3
        ? json(executeResponse(params, 4))
        : json({ error: 'No ETH 4h bars in 2016-01-01..2016-03-31: data covers 2017-08-17..2026-01-06' }, 422),
    );
    await screen.findByTestId('result-badge', {}, PAGE_WAIT);
    fireEvent.change(screen.getByRole('slider', { name: 'Leverage' }), { target: { value: '5' } });
    const alert = await screen.findByTestId('backtest-error', {}, PAGE_WAIT);
    expect(alert).toHaveTextContent(
      'Backtest failed (HTTP 422): No ETH 4h bars in 2016-01-01..2016-03-31: data covers 2017-08-17..2026-01-06',
    );
    expect(metricCard('returns')).toHaveTextContent('+4.00 %');
    expect(executed(calls).at(-1)).toMatchObject({ leverage: 5 });
  });

  it('offers the trailing 90 days and each covered calendar year, bounded by the data', async () => {
    const calls = renderPage((params) => json(executeResponse(params, 1)));
    const select = screen.getByRole('combobox', { name: 'Date range' });
    await waitFor(() => expect(within(select).getByRole('option', { name: '2024' })).toBeInTheDocument(), PAGE_WAIT);
    const options = within(select).getAllByRole('option').map((o) => o.textContent);
    expect(options[0]).toBe('Last 90 days');
    expect(options).toContain('2026 (01-01 – 01-06)');
    expect(options).toContain('2018 (02-01 – 12-31)');
    expect(options).not.toContain('2017');

    fireEvent.change(select, { target: { value: '2024' } });
    await waitFor(() => expect(executed(calls).at(-1)?.dateRange).toEqual({ start: '2024-01-01', end: '2024-12-31' }), PAGE_WAIT);

    // SOL starts in August 2020: the 2020 preset is clipped, 2019 does not exist for it.
    fireEvent.click(screen.getByRole('radio', { name: 'SOL' }));
    await waitFor(() => expect(within(select).getByRole('option', { name: '2020 (08-11 – 12-31)' })).toBeInTheDocument(), PAGE_WAIT);
    expect(within(select).queryByRole('option', { name: /^2019/ })).toBeNull();

    fireEvent.change(select, { target: { value: 'custom' } });
    const from = screen.getByLabelText('From');
    expect(from).toHaveAttribute('min', '2020-08-11');
    expect(screen.getByLabelText('To')).toHaveAttribute('max', '2026-01-06');
  });
});
