import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Backtester } from '@/components/backtester/backtester';
import { HeatmapPanel } from '@/components/heatmap/heatmap-panel';
import { ThresholdHeatmap } from '@/components/heatmap/threshold-heatmap';
import type { HeatmapResponse } from '@/lib/client/api-types';
import { clearHeatmapMemory } from '@/lib/client/use-heatmap';
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

/**
 * A recording 2D context for jsdom (which has no canvas): the heatmap paints one pixel per cell
 * with putImageData; `pixel(x, y)` reads back [r, g, b, a] of column x, row y.
 */
let painted: ImageData | undefined;
beforeEach(() => {
  clearHeatmapMemory();
  painted = undefined;
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation((() => ({
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: (image: ImageData) => (painted = image),
  })) as unknown as HTMLCanvasElement['getContext']);
});
afterEach(() => vi.restoreAllMocks());
const pixel = (x: number, y: number) => Array.from(painted!.data.slice((y * painted!.width + x) * 4, (y * painted!.width + x) * 4 + 4));

/** A pointer event at the centre of cell (row, column) of the 3 × 3 grid (jsdom boxes are 800 × 300 px). */
const at = (row: number, column: number) => ({ clientX: ((column + 0.5) * 800) / 3, clientY: ((row + 0.5) * 300) / 3 });
const plot = () => screen.getByTestId('heatmap-plot');

describe('threshold heatmap', () => {
  it('paints one pixel per valid (low, high) pair on one canvas and leaves low ≥ high empty', () => {
    const { container } = render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    expect(container.querySelectorAll('canvas')).toHaveLength(1);
    expect(container.querySelector('rect[data-low]')).toBeNull(); // no per-cell DOM
    expect([painted!.width, painted!.height]).toEqual([3, 3]);
    expect(pixel(2, 0)[3]).toBe(255); // low 10 / high 70
    expect(pixel(0, 2)[3]).toBe(0); // low 50 / high 30: no cell
    expect(container.querySelector('[data-selected]')).toHaveAttribute('data-selected', '30/70');
  });

  it('colours gains green and losses red', () => {
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    const [gr, gg] = pixel(2, 0); // +8 %
    expect(gg).toBeGreaterThan(gr);
    const [lr, lg] = pixel(0, 0); // −4 %
    expect(lr).toBeGreaterThan(lg);
  });

  it('dims the rows of a grid still arriving', () => {
    render(<ThresholdHeatmap data={{ ...grid, arrived: [true, false, true] }} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    expect(pixel(2, 0)[3]).toBe(255);
    expect(pixel(2, 1)[3]).toBe(90);
  });

  it('reports the clicked cell and names the hovered one', () => {
    const onSelect = vi.fn();
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={onSelect} />);
    fireEvent.mouseMove(plot(), at(0, 1));
    expect(screen.getByText('Low 10, high 50: +2.50 %')).toBeInTheDocument();
    fireEvent.click(plot(), at(0, 1));
    expect(onSelect).toHaveBeenCalledWith(10, 50);
    fireEvent.click(plot(), at(2, 0)); // low 50 / high 30: no cell
    expect(onSelect).toHaveBeenCalledTimes(1);
  });

  it('draws an overlay path through the cell centres of the given thresholds', () => {
    render(
      <ThresholdHeatmap
        data={grid}
        selected={{ low: 30, high: 70 }}
        onSelect={() => {}}
        overlayPath={[
          { low: 10, high: 30 },
          { low: 30, high: 50 },
          { low: 50, high: 70 },
        ]}
      />,
    );
    // lows 10, 30, 50 and highs 30, 50, 70 are 20 apart: low 30 is row 1, its centre y = 1.5.
    expect(screen.getByTestId('heatmap-overlay-path')).toHaveAttribute('d', 'M0.50,0.50 L1.50,1.50 L2.50,2.50');
  });

  it('draws no overlay path without one', () => {
    render(<ThresholdHeatmap data={grid} selected={{ low: 30, high: 70 }} onSelect={() => {}} />);
    expect(screen.queryByTestId('heatmap-overlay-path')).toBeNull();
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
    const { calls } = renderPage();
    await screen.findByTestId('heatmap-plot', {}, PAGE_WAIT);
    const heatmapCall = calls.find((c) => c.path === '/api/backtest/heatmap')!;
    expect(heatmapCall.body).toEqual({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', metric: 'returns' });
    expect(heatmapCall.headers.accept).toBe('application/x-ndjson');

    fireEvent.click(plot(), at(0, 1));
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
    const { calls } = renderPage();
    await screen.findByTestId('heatmap-plot', {}, PAGE_WAIT);
    fireEvent.click(screen.getByRole('checkbox', { name: /extreme thresholds/i }));
    const withExtremes = { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', extremeLowThreshold: 10, extremeHighThreshold: 90, metric: 'returns' };
    await waitFor(() => expect(heatmapBodies(calls).at(-1)).toEqual(withExtremes), PAGE_WAIT);
    await waitFor(() => expect(screen.getByTestId('run-summary')).toHaveTextContent('(extreme 10/90)'), PAGE_WAIT);
  });
});
