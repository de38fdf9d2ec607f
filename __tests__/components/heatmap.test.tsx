import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
};

describe('threshold heatmap', () => {
  it('draws one button per valid (low, high) cell and none where low ≥ high', () => {
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    const cells = screen.getAllByRole('button');
    expect(cells).toHaveLength(6);
    expect(screen.getByRole('button', { name: 'Low 10, high 70: +8.00 %' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Low 50, high 30/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Low 30, high 70/ })).toHaveAttribute('aria-pressed', 'true');
  });

  it('colours gains green and losses red', () => {
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    const rgb = (name: RegExp) => screen.getByRole('button', { name }).style.background.match(/\d+/g)!.map(Number);
    const [gr, gg] = rgb(/Low 10, high 70/);
    expect(gg).toBeGreaterThan(gr);
    const [lr, lg] = rgb(/Low 10, high 30/);
    expect(lr).toBeGreaterThan(lg);
  });

  it('reports the clicked cell, and lets the arrow keys move between cells', async () => {
    const onSelect = vi.fn();
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={onSelect} />);
    await userEvent.setup().click(screen.getByRole('button', { name: /Low 10, high 50/ }));
    expect(onSelect).toHaveBeenCalledWith(10, 50);

    const current = screen.getByRole('button', { name: /Low 10, high 50/ });
    expect(current).toHaveAttribute('tabindex', '0');
    fireEvent.keyDown(current, { key: 'ArrowDown' });
    expect(screen.getByRole('button', { name: /Low 30, high 50/ })).toHaveFocus();
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' }); // (30, 30) is no cell: stays
    expect(screen.getByRole('button', { name: /Low 30, high 50/ })).toHaveFocus();
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
      'GET /api/backtest/warm-cache': () => json({ error: 'no warm-up job has run' }, 404),
    });
    render(
      <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
        <Backtester />
      </SWRConfig>,
    );
    const cell = await screen.findByRole('button', { name: /Low 10, high 50/ }, { timeout: 5_000 });
    const heatmapCall = calls.find((c) => c.path === '/api/backtest/heatmap')!;
    expect(heatmapCall.body).toEqual({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', metric: 'returns' });

    await userEvent.setup().click(cell);
    expect(screen.getByRole('slider', { name: 'Low threshold (fear)' })).toHaveValue('10');
    expect(screen.getByRole('slider', { name: 'High threshold (greed)' })).toHaveValue('50');
    await waitFor(() =>
      expect(within(screen.getByTestId('run-summary')).getByText(/contrarian 10\/50/)).toBeInTheDocument(),
    );
    const executed = calls.filter((c) => c.path === '/api/backtest/execute').map((c) => (c.body as { params: BacktestParams }).params);
    expect(executed.at(-1)).toMatchObject({ lowThreshold: 10, highThreshold: 50 });
  });
});
