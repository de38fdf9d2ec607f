import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backtester } from '@/components/backtester/backtester';
import { HeatmapPanel } from '@/components/heatmap/heatmap-panel';
import { ThresholdHeatmap } from '@/components/heatmap/threshold-heatmap';
import type { HeatmapResponse } from '@/lib/client/api-types';
import type { BacktestParams } from '@/lib/schemas';
import { cacheStats, executeResponse, json, mockApi, type RecordedCall } from './api-mock';
import { PAGE_TEST_TIMEOUT, PAGE_WAIT, renderWithSwr } from './render-helpers';

// values[i][j] for lows[i] × highs[j]; null where low ≥ high. Test inputs, not backtest outputs.
const grid: HeatmapResponse = {
  metric: 'returns',
  lows: [10, 30, 50],
  highs: [30, 50, 70],
  values: [
    [-4, 2.5, 8],
    [null, -1, 3],
    [null, null, 0.5],
  ],
  bars: 540,
  period: { start: '2025-10-08T00:00:00.000Z', end: '2026-01-06T12:00:00.000Z' },
  executionTime: 42,
  cached: false,
};

const cell = (container: HTMLElement, low: number, high: number) =>
  container.querySelector(`rect[data-low="${low}"][data-high="${high}"]`);

describe('threshold heatmap', () => {
  it('draws one cell per valid (low, high) pair and none where low ≥ high', () => {
    const { container } = render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    expect(container.querySelectorAll('rect[data-low]')).toHaveLength(6);
    expect(cell(container, 10, 70)).toHaveTextContent('Low 10 / high 70: +8.00 %');
    expect(cell(container, 50, 30)).toBeNull();
    expect(container.querySelector('[data-selected]')).toHaveAttribute('data-selected', '30/70');
  });

  it('colours gains green and losses red', () => {
    const { container } = render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    const rgb = (low: number, high: number) => cell(container, low, high)!.getAttribute('fill')!.match(/\d+/g)!.map(Number);
    const [gr, gg] = rgb(10, 70);
    expect(gg).toBeGreaterThan(gr);
    const [lr, lg] = rgb(10, 30);
    expect(lr).toBeGreaterThan(lg);
  });

  it('reports the clicked cell', () => {
    const onSelect = vi.fn();
    const { container } = render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={onSelect} />);
    fireEvent.click(cell(container, 10, 50)!);
    expect(onSelect).toHaveBeenCalledWith(10, 50);
  });

  it('moves a cursor with the arrow keys inside the low < high triangle and selects with Enter', () => {
    const onSelect = vi.fn();
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={onSelect} />);
    const heatmap = screen.getByRole('application', { name: /Return \(%\) by low threshold/ });
    fireEvent.focus(heatmap);
    fireEvent.keyDown(heatmap, { key: 'ArrowUp' });
    expect(screen.getByText('Low 10, high 70: +8.00 %')).toBeInTheDocument();
    fireEvent.keyDown(heatmap, { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith(10, 70);

    fireEvent.keyDown(heatmap, { key: 'ArrowDown', shiftKey: true }); // 10 rows: stops at the last row
    expect(screen.getByText('Low 50, high 70: +0.50 %')).toBeInTheDocument();
    fireEvent.keyDown(heatmap, { key: 'ArrowLeft' }); // (50, 50) is no cell: stays
    expect(screen.getByText('Low 50, high 70: +0.50 %')).toBeInTheDocument();
    fireEvent.keyDown(heatmap, { key: ' ' });
    expect(onSelect).toHaveBeenLastCalledWith(50, 70);
  });

  it('announces the cursor only while it has focus', () => {
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    const heatmap = screen.getByRole('application', { name: /Return \(%\) by low threshold/ });
    const readout = screen.getByText('Selected: low 30, high 70');
    expect(readout).toHaveAttribute('aria-live', 'off');
    fireEvent.focus(heatmap);
    expect(screen.getByText('Low 30, high 70: +3.00 %')).toHaveAttribute('aria-live', 'polite');
    fireEvent.blur(heatmap);
    expect(readout).toHaveAttribute('aria-live', 'off');
  });

  it('starts the keyboard cursor from the selected cell again after leaving the heatmap', () => {
    const { rerender } = render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    const heatmap = screen.getByRole('application', { name: /Return \(%\) by low threshold/ });
    fireEvent.focus(heatmap);
    fireEvent.keyDown(heatmap, { key: 'ArrowUp' });
    expect(screen.getByText('Low 10, high 70: +8.00 %')).toBeInTheDocument();
    fireEvent.blur(heatmap);
    // The sliders move elsewhere meanwhile; the next visit starts there, not at the old cursor.
    rerender(<ThresholdHeatmap data={grid} selected={{ low: 10, high: 30 }} onSelect={() => {}} />);
    fireEvent.focus(heatmap);
    expect(screen.getByText('Low 10, high 30: -4.00 %')).toBeInTheDocument();
  });
});

describe('heatmap panel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('names the last day the grid covers (the last bar closes at midnight of the next day)', async () => {
    mockApi({ 'POST /api/backtest/heatmap': () => json({ ...grid, period: { start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' } }) });
    const base = { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' } as const;
    renderWithSwr(<HeatmapPanel base={base} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    expect(await screen.findByText(/540 bars/, {}, PAGE_WAIT)).toHaveTextContent('540 bars · 2024-01-01 → 2024-12-31 UTC');
  });
});

describe('heatmap on the page', { timeout: PAGE_TEST_TIMEOUT }, () => {
  afterEach(() => vi.unstubAllGlobals());

  const renderPage = () => {
    const calls = mockApi({
      'GET /api/market-data': () => json({ coverage: [] }),
      'POST /api/backtest/execute': (c) => {
        const params = (c.body as { params: BacktestParams }).params;
        return json(executeResponse(params, params.lowThreshold / 10));
      },
      'POST /api/backtest/heatmap': () => json(grid),
      'GET /api/backtest/cache/stats': () => json(cacheStats),
    });
    return { calls, ...renderWithSwr(<Backtester />) };
  };
  const heatmapBodies = (calls: RecordedCall[]) => calls.filter((c) => c.path === '/api/backtest/heatmap').map((c) => c.body);

  it('moves the sliders to a clicked cell and runs that backtest', async () => {
    const { calls, container } = renderPage();
    await waitFor(() => expect(cell(container, 10, 50)).not.toBeNull(), PAGE_WAIT);
    const heatmapCall = calls.find((c) => c.path === '/api/backtest/heatmap')!;
    expect(heatmapCall.body).toEqual({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', metric: 'returns' });

    fireEvent.click(cell(container, 10, 50)!);
    expect(screen.getByRole('slider', { name: 'Low threshold' })).toHaveValue('10');
    expect(screen.getByRole('slider', { name: 'High threshold' })).toHaveValue('50');
    await waitFor(
      () => expect(within(screen.getByTestId('run-summary')).getByText(/contrarian 10\/50/)).toBeInTheDocument(),
      PAGE_WAIT,
    );
    const executed = calls.filter((c) => c.path === '/api/backtest/execute').map((c) => (c.body as { params: BacktestParams }).params);
    expect(executed.at(-1)).toMatchObject({ lowThreshold: 10, highThreshold: 50 });
  });

  it('asks for the grid with the extreme thresholds while they are on, so a cell is the backtest its click runs', async () => {
    const { calls, container } = renderPage();
    await waitFor(() => expect(cell(container, 10, 50)).not.toBeNull(), PAGE_WAIT);
    fireEvent.click(screen.getByRole('checkbox', { name: /extreme thresholds/i }));
    const withExtremes = { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', extremeLowThreshold: 10, extremeHighThreshold: 90, metric: 'returns' };
    await waitFor(() => expect(heatmapBodies(calls).at(-1)).toEqual(withExtremes), PAGE_WAIT);
    await waitFor(() => expect(screen.getByTestId('run-summary')).toHaveTextContent('(extreme 10/90)'), PAGE_WAIT);
  });
});
