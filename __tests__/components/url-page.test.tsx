import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backtester } from '@/components/backtester/backtester';
import type { CoverageEntry } from '@/lib/market-data/types';
import type { BacktestParams } from '@/lib/schemas';
import { cacheStats, executeResponse, json, mockApi, type RecordedCall } from './api-mock';
import { PAGE_TEST_TIMEOUT, PAGE_WAIT, renderWithSwr } from './render-helpers';

const coverage: CoverageEntry[] = [
  { symbol: 'ETHUSDT', interval: '15m', first: '2024-12-05T00:00:00.000Z', last: '2025-11-30T23:45:00.000Z', bars: 34_000, gaps: [] },
  { symbol: 'ETHUSDT', interval: '4h', first: '2017-08-17T04:00:00.000Z', last: '2026-01-06T08:00:00.000Z', bars: 18_354, gaps: [] },
  { symbol: 'SOLUSDT', interval: '1h', first: '2020-08-11T06:00:00.000Z', last: '2026-01-06T08:00:00.000Z', bars: 47_000, gaps: [] },
  { symbol: 'FGI', interval: '1d', first: '2018-02-01T00:00:00.000Z', last: '2026-01-06T00:00:00.000Z', bars: 2_900, gaps: [] },
];

const executed = (calls: RecordedCall[]) =>
  calls.filter((c) => c.path === '/api/backtest/execute').map((c) => (c.body as { params: BacktestParams }).params);

/** The page at `url`; each backtest answers with the period `period(params)` when given. */
function renderPage(url: string, period?: (p: BacktestParams) => { start: string; end: string }) {
  const calls = mockApi({
    'GET /api/market-data': () => json({ coverage, unavailable: [] }),
    'POST /api/backtest/execute': (c) => {
      const params = (c.body as { params: BacktestParams }).params;
      const response = executeResponse(params, params.lowThreshold / 10);
      if (period) response.result.period = period(params);
      return json(response);
    },
    'POST /api/backtest/heatmap': () => json({ error: 'heatmap not under test' }, 503),
    'GET /api/backtest/cache/stats': () => json(cacheStats),
  });
  renderWithSwr(<Backtester />, url);
  return calls;
}
const slider = (name: string) => screen.getByRole('slider', { name });
const summary = () => screen.getByTestId('run-summary');

afterEach(() => vi.unstubAllGlobals());

describe('the page in the URL', { timeout: PAGE_TEST_TIMEOUT }, () => {
  it('opens the backtest a link names, and sends nothing for the defaults first', async () => {
    const calls = renderPage('/?asset=SOL&tf=1h&lev=5&strategy=contrarian&low=30&high=60&elow=12&ehigh=88');
    await waitFor(() => expect(summary()).toHaveTextContent('SOL · 1h · 5× · contrarian 30/60 (extreme 12/88)'), PAGE_WAIT);
    expect(executed(calls)[0]).toEqual({
      asset: 'SOL',
      timeframe: '1h',
      leverage: 5,
      lowThreshold: 30,
      highThreshold: 60,
      strategy: 'contrarian',
      extremeLowThreshold: 12,
      extremeHighThreshold: 88,
    });
    expect(slider('Low threshold')).toHaveValue('30');
    expect(screen.getByRole('radio', { name: 'SOL' })).toBeChecked();
    expect(screen.getByRole('radio', { name: '1h' })).toBeChecked();
  });

  it('replaces invalid values by defaults with a notice, and cleans the URL', async () => {
    const calls = renderPage('/?asset=DOGE&lev=99&low=40');
    const notice = await screen.findByTestId('url-notice', {}, PAGE_WAIT);
    expect(notice).toHaveTextContent('asset="DOGE" is not BTC, ETH or SOL; using the default');
    expect(notice).toHaveTextContent('lev="99" is not a whole leverage from 1 to 12; using the default');
    await waitFor(() => expect(summary()).toHaveTextContent('ETH · 4h · 3× · contrarian 40/75'), PAGE_WAIT);
    expect(executed(calls)[0]).toMatchObject({ asset: 'ETH', leverage: 3, lowThreshold: 40 });
    expect(window.location.search).toBe('?low=40');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('url-notice')).toBeNull();
  });

  it('replaces the entry while dragging, pushes one entry per drag and per choice, and back restores', async () => {
    renderPage('/');
    await waitFor(() => expect(summary()).toHaveTextContent('contrarian 25/75'), PAGE_WAIT);
    const entries = window.history.length;
    for (const value of ['26', '27', '28', '29', '30']) fireEvent.change(slider('Low threshold'), { target: { value } });
    // The first step is written at once, the rest at most every DRAG_URL_INTERVAL_MS, the last one trailing.
    expect(window.location.search).toBe('?low=26');
    await waitFor(() => expect(window.location.search).toBe('?low=30'));
    expect(window.history.length).toBe(entries); // replaceState only while dragging
    fireEvent.pointerUp(slider('Low threshold'));
    expect(window.history.length).toBe(entries + 1);
    expect(window.location.search).toBe('?low=30');

    fireEvent.click(screen.getByRole('radio', { name: 'BTC' }));
    expect(window.history.length).toBe(entries + 2);
    expect(window.location.search).toBe('?asset=BTC&low=30');
    await waitFor(() => expect(summary()).toHaveTextContent('BTC · 4h · 3× · contrarian 30/75'), PAGE_WAIT);

    await act(async () => {
      window.history.back();
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    });
    expect(screen.getByRole('radio', { name: 'ETH' })).toBeChecked();
    expect(slider('Low threshold')).toHaveValue('30');
    await act(async () => {
      window.history.back();
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    });
    expect(slider('Low threshold')).toHaveValue('25'); // the entry before the drag
    await waitFor(() => expect(summary()).toHaveTextContent('ETH · 4h · 3× · contrarian 25/75'), PAGE_WAIT);
  });

  it('says beside the dates what ran when the data does not cover the dates asked', async () => {
    renderPage('/?tf=15m&range=custom&from=2019-01-01&to=2025-12-31', () => ({ start: '2024-12-05T00:00:00.000Z', end: '2025-12-01T00:00:00.000Z' }));
    const notice = await screen.findByTestId('range-notice', {}, PAGE_WAIT);
    expect(notice).toHaveTextContent('Ran 2024-12-05 → 2025-11-30 UTC, not 2019-01-01 → 2025-12-31: ETHUSDT 15m data starts 2024-12-05');
    expect(screen.getByLabelText('From')).toHaveAttribute('min', '2024-12-05');
    expect(screen.getByLabelText('To')).toHaveAttribute('max', '2025-11-30');
  });
});
