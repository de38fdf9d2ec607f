import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backtester } from '@/components/backtester/backtester';
import type { HeatmapPanelProps } from '@/components/heatmap/heatmap-panel';
import type { BacktestParams } from '@/lib/schemas';
import { cacheStats, executeResponse, json, mockApi } from './api-mock';
import { PAGE_TEST_TIMEOUT, PAGE_WAIT, renderWithSwr } from './render-helpers';

// The heatmap panel is replaced by a recorder of the `base` it is given on each render.
const bases = vi.hoisted(() => [] as HeatmapPanelProps['base'][]);
vi.mock('@/components/heatmap/heatmap-panel', () => ({
  HeatmapPanel: ({ base }: HeatmapPanelProps) => {
    bases.push(base);
    return null;
  },
}));

afterEach(() => vi.unstubAllGlobals());

describe('the heatmap params on the page', { timeout: PAGE_TEST_TIMEOUT }, () => {
  it('keep the same object while the low/high thresholds move, and change with the extreme thresholds', async () => {
    mockApi({
      'GET /api/market-data': () => json({ coverage: [] }),
      'POST /api/backtest/execute': (c) => json(executeResponse((c.body as { params: BacktestParams }).params, 1)),
      'GET /api/backtest/cache/stats': () => json(cacheStats),
    });
    renderWithSwr(<Backtester />);
    await screen.findByTestId('run-summary', {}, PAGE_WAIT);
    const first = bases.at(-1);
    expect(first).toEqual({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' });

    const renders = bases.length;
    fireEvent.change(screen.getByRole('slider', { name: 'Low threshold' }), { target: { value: '30' } });
    fireEvent.change(screen.getByRole('slider', { name: 'High threshold' }), { target: { value: '60' } });
    await waitFor(() => expect(screen.getByTestId('run-summary')).toHaveTextContent('contrarian 30/60'), PAGE_WAIT);
    expect(bases.length).toBeGreaterThan(renders);
    for (const base of bases.slice(renders)) expect(base).toBe(first);

    fireEvent.click(screen.getByRole('checkbox', { name: /extreme thresholds/i }));
    expect(bases.at(-1)).toEqual({ ...first, extremeLowThreshold: 10, extremeHighThreshold: 90 });
    fireEvent.change(screen.getByRole('slider', { name: 'Extreme low' }), { target: { value: '5' } });
    expect(bases.at(-1)).toMatchObject({ extremeLowThreshold: 5, extremeHighThreshold: 90 });
  });
});
