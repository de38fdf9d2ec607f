import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { SWRConfig } from 'swr';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Backtester } from '@/components/backtester/backtester';
import { ThresholdHeatmap } from '@/components/heatmap/threshold-heatmap';
import type { HeatmapResponse } from '@/lib/client/api-types';
import type { BacktestParams } from '@/lib/schemas';
import { cacheStats, executeResponse, json, mockApi } from './api-mock';

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
});

describe('heatmap on the page', () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 800, 300));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('moves the sliders to a clicked cell and runs that backtest', async () => {
    const calls = mockApi({
      'GET /api/market-data': () => json({ coverage: [] }),
      'POST /api/backtest/execute': (c) => {
        const params = (c.body as { params: BacktestParams }).params;
        return json(executeResponse(params, params.lowThreshold / 10));
      },
      'POST /api/backtest/heatmap': () => json(grid),
      'GET /api/backtest/cache/stats': () => json(cacheStats),
    });
    const view = render(
      <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
        <Backtester />
      </SWRConfig>,
    );
    const { container } = view;
    await waitFor(() => expect(cell(container, 10, 50)).not.toBeNull(), { timeout: 5_000 });
    const heatmapCall = calls.find((c) => c.path === '/api/backtest/heatmap')!;
    expect(heatmapCall.body).toEqual({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', metric: 'returns' });

    fireEvent.click(cell(container, 10, 50)!);
    expect(screen.getByRole('slider', { name: 'Low threshold' })).toHaveValue('10');
    expect(screen.getByRole('slider', { name: 'High threshold' })).toHaveValue('50');
    await waitFor(() =>
      expect(within(screen.getByTestId('run-summary')).getByText(/contrarian 10\/50/)).toBeInTheDocument(),
    );
    const executed = calls.filter((c) => c.path === '/api/backtest/execute').map((c) => (c.body as { params: BacktestParams }).params);
    expect(executed.at(-1)).toMatchObject({ lowThreshold: 10, highThreshold: 50 });
  });
});
