import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ResultsView } from '@/components/backtester/results-view';
import { ApiError } from '@/lib/client/api';
import type { LiveBacktest } from '@/lib/client/use-live-backtest';
import type { BacktestResult } from '@/lib/engine/types';
import { ETH_4H_PARAMS } from '../helpers/params';
import { executeResponse } from './api-mock';

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
  const sliders = { low: 30, high: 60 };

  it('splits the zones at the result’s thresholds after an error', () => {
    render(<ResultsView live={liveState({ error: new ApiError('No ETH 4h bars in 2016', 422) })} thresholds={sliders} />);
    expect(legendBounds('greed')).toBe('≥ 75');
    expect(legendBounds('fear')).toBe('≤ 25');
  });

  it('splits the zones at the result’s thresholds while the settings are invalid', () => {
    render(<ResultsView live={liveState({})} thresholds={sliders} invalidParams="dateRange: dateRange start must not be after end" />);
    expect(legendBounds('greed')).toBe('≥ 75');
  });

  it('follows the sliders while a newer request is loading', () => {
    render(<ResultsView live={liveState({ isLoading: true })} thresholds={sliders} />);
    expect(legendBounds('greed')).toBe('≥ 60');
    expect(legendBounds('fear')).toBe('≤ 30');
  });

  it('shows the result’s extreme zones when it used extreme thresholds', () => {
    const params = { ...ETH_4H_PARAMS, extremeLowThreshold: 10, extremeHighThreshold: 90 };
    render(<ResultsView live={liveState({}, { params })} thresholds={sliders} />);
    expect(legendBounds('extreme-greed')).toBe('≥ 90');
    expect(legendBounds('fear')).toBe('11–25');
  });
});

describe('results view: summary, metrics and badge', () => {
  it('names the last covered day, not the day the last bar closes on', () => {
    const period = { start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' };
    render(<ResultsView live={liveState({}, { period })} thresholds={{ low: 25, high: 75 }} />);
    expect(screen.getByTestId('run-summary')).toHaveTextContent('2024-01-01 → 2024-12-31 UTC');
  });

  it('shows funding as an amount paid or received, never a negative amount received', () => {
    const { unmount } = render(<ResultsView live={liveState({}, { funding: -12.34 })} thresholds={{ low: 25, high: 75 }} />);
    expect(metricCard('funding')).toHaveTextContent(/^Funding12\.34 USDTreceived$/);
    unmount();
    render(<ResultsView live={liveState({}, { funding: 8.5 })} thresholds={{ low: 25, high: 75 }} />);
    expect(metricCard('funding')).toHaveTextContent(/^Funding8\.50 USDTpaid$/);
  });

  it('keeps the badge out of the live announcements but readable with its details', () => {
    render(<ResultsView live={liveState({})} thresholds={{ low: 25, high: 75 }} />);
    const badge = screen.getByTestId('result-badge');
    expect(badge).not.toHaveAttribute('aria-live');
    expect(badge).not.toHaveAttribute('role');
    expect(badge).toHaveTextContent('Computed12 ms round trip; computed on the server in 3.50 ms');
  });
});
