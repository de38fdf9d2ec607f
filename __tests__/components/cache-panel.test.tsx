import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CachePanel } from '@/components/cache-panel/cache-panel';
import type { WarmStatus } from '@/lib/client/api-types';
import { ADMIN_TOKEN_KEY } from '@/lib/client/use-admin-token';
import { cacheStats, json, mockApi, type RecordedCall } from './api-mock';
import { flush, renderWithSwr } from './render-helpers';

const renderPanel = () => renderWithSwr(<CachePanel />);

beforeEach(() => {
  vi.useFakeTimers();
  window.sessionStorage.clear();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('cache panel: statistics', () => {
  it('shows entries per tier, size, hit rate and mean hit/compute times with units', async () => {
    mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'GET /api/backtest/cache': () => json({ staleEntries: 2 }),
      'GET /api/backtest/warm-cache': () => json(IDLE),
    });
    renderPanel();
    await flush();
    const list = screen.getByLabelText('Cache statistics');
    const value = (label: string) => within(list).getByText(label).nextElementSibling?.textContent;
    expect(value('Entries')).toBe('12');
    expect(value('Permanent')).toBe('5');
    expect(value('Temporary')).toBe('7');
    expect(value('Stale')).toBe('2');
    expect(value('Size')).toBe('1.5 KiB');
    expect(value('Hit rate')).toBe('62.5 %');
    expect(value('Mean hit')).toBe('1.25 ms');
    expect(value('Mean miss')).toBe('84 ms');
  });

  it('polls the statistics every 5 s', async () => {
    const calls = mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'GET /api/backtest/warm-cache': () => json(IDLE),
    });
    renderPanel();
    await flush();
    const count = () => calls.filter((c) => c.path === '/api/backtest/cache/stats').length;
    const before = count();
    await flush(15_000);
    expect(count() - before).toBe(3);
  });
});

describe('cache panel: clear', () => {
  it('asks for confirmation, shows a 401 with the server message, then clears with the bearer token', async () => {
    const clears: RecordedCall[] = [];
    mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'GET /api/backtest/warm-cache': () => json(IDLE),
      'POST /api/backtest/cache/clear': (c) => {
        clears.push(c);
        return c.headers.authorization === 'Bearer s3cret'
          ? json({ removed: 7, freedBytes: 2_048 })
          : json({ error: 'Unauthorized: a valid admin token is required' }, 401);
      },
    });
    renderPanel();
    await flush();

    fireEvent.click(screen.getByRole('button', { name: 'Clear temporary cache entries' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Confirm clearing the cache' });
    expect(dialog).toHaveTextContent('Remove all temporary entries?');
    expect(clears).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(clears).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Clear temporary cache entries' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm clear' }));
    await flush();
    expect(clears[0].body).toEqual({ scope: 'temporary' });
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Clear failed (HTTP 401): Unauthorized: a valid admin token is required. Enter the admin token above.',
    );

    fireEvent.change(screen.getByLabelText('Admin token'), { target: { value: 's3cret' } });
    expect(window.sessionStorage.getItem(ADMIN_TOKEN_KEY)).toBe('s3cret');
    fireEvent.change(screen.getByLabelText('Clear entries of'), { target: { value: 'SOL' } });
    fireEvent.click(screen.getByRole('button', { name: 'Clear temporary cache entries' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Remove all temporary entries for SOL?');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm clear' }));
    await flush();
    expect(clears[1].body).toEqual({ scope: 'temporary', asset: 'SOL' });
    expect(clears[1].headers.authorization).toBe('Bearer s3cret');
    expect(screen.getByRole('status')).toHaveTextContent('Cleared temporary: removed 7 entries, freed 2.0 KiB.');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('reads the admin token back from sessionStorage', async () => {
    window.sessionStorage.setItem(ADMIN_TOKEN_KEY, 'kept');
    mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'GET /api/backtest/warm-cache': () => json(IDLE),
    });
    renderPanel();
    await flush();
    expect(screen.getByLabelText('Admin token')).toHaveValue('kept');
  });
});

const IDLE = { status: 'idle', done: 0, total: 0, computed: 0, hits: 0, failed: 0 };

/** A job as GET /api/backtest/warm-cache reports it. */
function jobStatus(overrides: Partial<WarmStatus>): WarmStatus {
  return {
    jobId: 'job-1', status: 'running', preset: 'default', done: 0, total: 90, computed: 0, hits: 0, failed: 0,
    elapsedMs: 0, rate: 0, etaMs: null, startedAt: Date.now(), failures: [], ...overrides,
  };
}

describe('cache panel: warm-up progress', () => {
  it('polls a running job on the progressive schedule and shows progress to completion', async () => {
    const total = 90;
    let job: WarmStatus | null = null;
    const calls = mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'POST /api/backtest/warm-cache': () => {
        job = jobStatus({ total });
        return json({ jobId: 'job-1', total }, 202);
      },
      'GET /api/backtest/warm-cache': () => json(job ?? IDLE),
    });
    const statusPolls = () => calls.filter((c) => c.method === 'GET' && c.path === '/api/backtest/warm-cache').length;
    renderPanel();
    await flush(60_000);
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(statusPolls()).toBe(3); // read on load, then every 30 s while idle

    fireEvent.click(screen.getByRole('button', { name: 'Warm cache' }));
    await flush();
    const bar = screen.getByRole('progressbar', { name: 'Cache warm-up progress' });
    expect(bar).toHaveAttribute('aria-valuemax', '90');
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    expect(screen.getByRole('button', { name: 'Warming…' })).toBeDisabled();

    // First 30 s: one poll per second.
    let polls = statusPolls();
    job!.done = 10;
    await flush(10_000);
    expect(statusPolls() - polls).toBe(10);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '10');
    await flush(20_000);

    // 30–60 s: every 2 s.
    polls = statusPolls();
    await flush(30_000);
    expect(statusPolls() - polls).toBe(15);

    // 60–120 s: every 5 s.
    polls = statusPolls();
    await flush(60_000);
    expect(statusPolls() - polls).toBe(12);

    Object.assign(job!, { status: 'done', done: total, computed: 80, hits: 10, finishedAt: Date.now() });
    await flush(10_000);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '90');
    expect(screen.getByText(/Done/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Warm cache' })).toBeEnabled();

    // Finished: back to the slow idle poll (30 s), which notices a job started elsewhere.
    polls = statusPolls();
    await flush(600_000);
    expect(statusPolls() - polls).toBe(20);
  });

  it('on 409 says a job is already running and follows that job', async () => {
    // Idle when the page loaded; someone else starts a job before the click.
    let job: WarmStatus | null = null;
    mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'POST /api/backtest/warm-cache': () => {
        job = jobStatus({ jobId: 'job-0', done: 40, computed: 30, hits: 10 });
        return json({ error: 'a warm-up job is already running (job-0)' }, 409);
      },
      'GET /api/backtest/warm-cache': () => json(job ?? IDLE),
    });
    renderPanel();
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Warm cache' }));
    await flush();
    expect(screen.getByRole('alert')).toHaveTextContent('Warm-up failed (HTTP 409): a warm-up job is already running (job-0).');
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40');
  });

  it('on 401 asks for the admin token and polls nothing', async () => {
    const calls = mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'POST /api/backtest/warm-cache': () => json({ error: 'Unauthorized' }, 401),
      'GET /api/backtest/warm-cache': () => json(IDLE),
    });
    renderPanel();
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Warm cache' }));
    await flush(5_000);
    expect(screen.getByRole('alert')).toHaveTextContent('Warm-up failed (HTTP 401): Unauthorized. Enter the admin token above.');
    // Only the read on load: a refused start follows nothing.
    expect(calls.filter((c) => c.method === 'GET' && c.path === '/api/backtest/warm-cache')).toHaveLength(1);
  });

  it('notices a job started elsewhere (curl) while the page is open, at the slow idle interval', async () => {
    let job: WarmStatus | null = null;
    mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'GET /api/backtest/warm-cache': () => json(job ?? IDLE),
    });
    renderPanel();
    await flush();
    expect(screen.queryByRole('progressbar')).toBeNull();
    job = jobStatus({ done: 12 });
    await flush(30_000);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '12');
    expect(screen.getByRole('button', { name: 'Warming…' })).toBeDisabled();
  });

  it('follows a job started elsewhere (curl, the warmer) from page load', async () => {
    mockApi({
      'GET /api/backtest/cache/stats': () => json(cacheStats),
      'GET /api/backtest/warm-cache': () => json(jobStatus({ done: 45 })),
    });
    renderPanel();
    await flush();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '45');
    expect(screen.getByRole('button', { name: 'Warming…' })).toBeDisabled();
  });
});
