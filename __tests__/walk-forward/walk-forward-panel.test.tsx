import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WalkForwardPanel } from '@/components/walk-forward/walk-forward-panel';
import { walkForwardRequestSchema } from '@/lib/schemas';
import { walkForwardInput } from '@/lib/walk-forward/plan';
import { computeWalkForward } from '@/lib/walk-forward/run';
import type { WalkForwardResult } from '@/lib/walk-forward/types';
import { json, mockApi } from '../components/api-mock';
import { PAGE_TEST_TIMEOUT, PAGE_WAIT, renderWithSwr } from '../components/render-helpers';
import { regimeSeries } from './regimes';

const JOB = '6f1c2b9e-3d4a-4b5c-8d7e-0123456789ab';
let result: WalkForwardResult;

beforeAll(async () => {
  // A real result on the 44-day regime series (30 training + 7 test days: two steps).
  const REGIMES = ['contrarian', 'rising', 'falling', 'contrarian'] as const;
  const series = regimeSeries(Array.from({ length: 44 }, (_, d) => REGIMES[d % 4]));
  const request = walkForwardRequestSchema.parse({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', trainDays: 30, testDays: 7 });
  result = await computeWalkForward(series, walkForwardInput(request));
}, 60_000);

afterEach(() => vi.unstubAllGlobals());

function renderPanel(overrides: Partial<Parameters<typeof WalkForwardPanel>[0]> = {}) {
  const onSelectStep = vi.fn();
  const onPathChange = vi.fn();
  renderWithSwr(
    <WalkForwardPanel
      asset="ETH"
      timeframe="4h"
      leverage={3}
      strategy="contrarian"
      onSelectStep={onSelectStep}
      onPathChange={onPathChange}
      pollIntervalMs={20}
      {...overrides}
    />,
  );
  return { onSelectStep, onPathChange };
}

describe('walk-forward panel', () => {
  it('starts a job with the page’s settings, shows its progress, then the result', async () => {
    let polls = 0;
    const calls = mockApi({
      'POST /api/backtest/walk-forward': () => json({ jobId: JOB, key: result.key, total: 2 }, 202),
      'GET /api/backtest/walk-forward': () => {
        polls++;
        const running = { jobId: JOB, key: result.key, status: 'running', phase: 'training', done: 1, total: 2, startedAt: 0, elapsedMs: 900, etaMs: 2_500, current: result.steps[1] };
        return json(polls < 3 ? running : { ...running, status: 'done', phase: 'done', done: 2, current: null, etaMs: 0, result });
      },
    });
    const { onPathChange } = renderPanel({ leverage: 5 });
    fireEvent.click(screen.getByRole('button', { name: 'Run walk-forward' }));
    expect(await screen.findByRole('status', {}, PAGE_WAIT)).toHaveTextContent(/Step 2 of 2 \(training 2024-01-08 → 2024-02-06\) · about 2\.5 s left/);
    expect(calls[0].body).toEqual({
      asset: 'ETH', timeframe: '4h', leverage: 5, strategy: 'contrarian', trainDays: 365, testDays: 90, objective: 'sharpeRatio', minTrades: 1, anchored: false,
    });
    const headline = await screen.findByLabelText('Walk-forward headline numbers', {}, PAGE_WAIT);
    const sign = (x: number) => (x > 0 ? '+' : '');
    expect(headline).toHaveTextContent(`Out-of-sample return${sign(result.metrics.returns)}${result.metrics.returns.toFixed(2)} %`);
    expect(headline).toHaveTextContent(`Max drawdown${result.metrics.maxDrawdown.toFixed(2)} %`);
    expect(headline).toHaveTextContent(`Worse than hindsight by${result.hindsightGap!.toFixed(2)} points`);
    expect(headline).toHaveTextContent(`Walk-forward efficiency${result.efficiency === null ? '—' : result.efficiency.toPrecision(3)}`);
    expect(screen.getByTestId('walk-forward-chart')).toBeInTheDocument();
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(1 + result.steps.length);
    expect(rows[1]).toHaveTextContent(`${result.steps[0].test.start} → ${result.steps[0].test.end}`);
    expect(rows[1]).toHaveTextContent(`${result.steps[0].pair!.low}/${result.steps[0].pair!.high}`);
    await waitFor(() => expect(onPathChange).toHaveBeenCalledWith(result.steps.map((s) => s.pair)));
  }, PAGE_TEST_TIMEOUT);

  it('loads a step’s test window and pair into the main controls on click', async () => {
    mockApi({ 'POST /api/backtest/walk-forward': () => json({ result, cached: true, cacheTier: 'permanent', cacheAge: 5 }) });
    const { onSelectStep } = renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Run walk-forward' }));
    const step = result.steps[1];
    const button = await screen.findByRole('button', { name: new RegExp(`Load step 2: thresholds ${step.pair!.low}/${step.pair!.high}`) }, PAGE_WAIT);
    expect(screen.getByText(/cached \(permanent\)/)).toBeInTheDocument();
    fireEvent.click(button);
    expect(onSelectStep).toHaveBeenCalledWith({
      asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian',
      lowThreshold: step.pair!.low, highThreshold: step.pair!.high, dateRange: step.test,
    });
  }, PAGE_TEST_TIMEOUT);

  it('names the invalid field before sending, and shows the server’s error', async () => {
    const calls = mockApi({
      'POST /api/backtest/walk-forward': () => json({ error: 'ETH 4h has bars with a Fear & Greed value from 2018-02-01 to 2026-01-06 …' }, 422),
    });
    renderPanel();
    fireEvent.change(screen.getByLabelText('Test days'), { target: { value: '400' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run walk-forward' }));
    expect(screen.getByRole('alert')).toHaveTextContent(/testDays/);
    expect(calls).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Test days'), { target: { value: '90' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run walk-forward' }));
    expect(await screen.findByRole('alert', {}, PAGE_WAIT)).toHaveTextContent(/Walk-forward failed \(HTTP 422\): ETH 4h has bars/);
  }, PAGE_TEST_TIMEOUT);
});
