import { renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BacktestParams } from '@/lib/schemas';
import { LIVE_DEBOUNCE_MS, useLiveBacktest } from '@/lib/client/use-live-backtest';
import { deferred, executeResponse, json, mockApi, type RecordedCall } from './api-mock';
import { flush } from './render-helpers';

const params = (low: number): BacktestParams => ({
  asset: 'ETH',
  timeframe: '4h',
  leverage: 3,
  lowThreshold: low,
  highThreshold: 75,
  strategy: 'contrarian',
});

const requestedLow = (call: RecordedCall) => (call.body as { params: BacktestParams }).params.lowThreshold;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('live backtest: debouncing', () => {
  it('sends one request after the controls have been still for the debounce time', async () => {
    const calls = mockApi({ 'POST /api/backtest/execute': (c) => json(executeResponse((c.body as { params: BacktestParams }).params, 1)) });
    const { rerender } = renderHook(({ p }) => useLiveBacktest(p), { initialProps: { p: params(25) } });
    await flush();
    expect(calls.map(requestedLow)).toEqual([25]);

    // A drag: a new value every 50 ms, faster than the debounce.
    for (const low of [26, 27, 28, 29]) {
      rerender({ p: params(low) });
      await flush(50);
    }
    expect(calls.map(requestedLow)).toEqual([25]);
    await flush(LIVE_DEBOUNCE_MS);
    expect(calls.map(requestedLow)).toEqual([25, 29]);
    expect(calls[1].body).toMatchObject({ includeDetail: true, priority: 'high' });
  });

  it('sends nothing while the params are invalid (null)', async () => {
    const calls = mockApi({});
    renderHook(() => useLiveBacktest(null));
    await flush(LIVE_DEBOUNCE_MS * 2);
    expect(calls).toEqual([]);
  });
});

describe('live backtest: out-of-order responses and loading', () => {
  async function twoInFlight() {
    const pending = new Map<number, ReturnType<typeof deferred<Response>>>();
    mockApi({
      'POST /api/backtest/execute': (c) => {
        const d = deferred<Response>();
        pending.set(requestedLow(c), d);
        return d.promise;
      },
    });
    const hook = renderHook(({ p }) => useLiveBacktest(p), { initialProps: { p: params(30) } });
    await flush();
    hook.rerender({ p: params(40) });
    await flush(LIVE_DEBOUNCE_MS);
    expect([...pending.keys()]).toEqual([30, 40]);
    const answer = async (low: number, returns: number) => {
      pending.get(low)!.resolve(json(executeResponse(params(low), returns)));
      await flush();
    };
    return { hook, answer };
  }

  it('never lets an older response overwrite a newer one', async () => {
    const { hook, answer } = await twoInFlight();
    await answer(40, 4);
    expect(hook.result.current.response?.result.params.lowThreshold).toBe(40);
    expect(hook.result.current.isLoading).toBe(false);

    await answer(30, 3); // late answer for the older request
    expect(hook.result.current.response?.result.params.lowThreshold).toBe(40);
    expect(hook.result.current.response?.result.returns).toBe(4);
  });

  it('shows an older answer that arrives first, still loading until the newest arrives', async () => {
    const { hook, answer } = await twoInFlight();
    await answer(30, 3);
    expect(hook.result.current.response?.result.returns).toBe(3);
    expect(hook.result.current.isLoading).toBe(true);
    await answer(40, 4);
    expect(hook.result.current.response?.result.returns).toBe(4);
    expect(hook.result.current.isLoading).toBe(false);
  });

  it('keeps the previous result on screen while the next one loads', async () => {
    const gate = deferred<Response>();
    let first = true;
    mockApi({
      'POST /api/backtest/execute': (c) => {
        if (first) {
          first = false;
          return json(executeResponse((c.body as { params: BacktestParams }).params, 7));
        }
        return gate.promise;
      },
    });
    const hook = renderHook(({ p }) => useLiveBacktest(p), { initialProps: { p: params(25) } });
    await flush();
    expect(hook.result.current.response?.result.returns).toBe(7);

    hook.rerender({ p: params(26) });
    expect(hook.result.current.isLoading).toBe(true);
    expect(hook.result.current.response?.result.returns).toBe(7);
    await flush(LIVE_DEBOUNCE_MS);
    expect(hook.result.current.response?.result.returns).toBe(7);
    gate.resolve(json(executeResponse(params(26), 8)));
    await flush();
    expect(hook.result.current.response?.result.returns).toBe(8);
  });

  it('measures the round trip from sending the request to the parsed answer', async () => {
    const gate = deferred<Response>();
    mockApi({ 'POST /api/backtest/execute': () => gate.promise });
    const hook = renderHook(() => useLiveBacktest(params(25)));
    await flush();
    // The fake clock (performance.now included) moves 240 ms while the server "computes".
    await flush(240);
    gate.resolve(json(executeResponse(params(25), 1)));
    await flush();
    expect(hook.result.current.roundTripMs).toBe(240);
  });

  it("reports the server's error message and status, keeping the last good result", async () => {
    mockApi({
      'POST /api/backtest/execute': (c) => {
        const p = (c.body as { params: BacktestParams }).params;
        return p.lowThreshold === 25
          ? json(executeResponse(p, 7))
          : json({ error: 'No ETH 4h data in 2016-01-01..2016-12-31; available 2017-08-17..2026-01-06' }, 422);
      },
    });
    const hook = renderHook(({ p }) => useLiveBacktest(p), { initialProps: { p: params(25) } });
    await flush();
    hook.rerender({ p: params(20) });
    await flush(LIVE_DEBOUNCE_MS);
    expect(hook.result.current.error?.status).toBe(422);
    expect(hook.result.current.error?.message).toBe('No ETH 4h data in 2016-01-01..2016-12-31; available 2017-08-17..2026-01-06');
    expect(hook.result.current.isLoading).toBe(false);
    expect(hook.result.current.response?.result.returns).toBe(7);

    // The next successful answer clears the error.
    hook.rerender({ p: params(25) });
    await flush(LIVE_DEBOUNCE_MS);
    expect(hook.result.current.error).toBeUndefined();
  });
});
