/**
 * The page's live backtest: params are debounced, every request is tagged with a sequence
 * number, a response older than the newest applied one is dropped, and the last applied result
 * stays on screen while a newer request is in flight (no flashing while a slider is dragged).
 *
 * Not swr: the badge must tell where each answer came from on the server (cache tier and round
 * trip), so every settled parameter change is a real request rather than a replay of a response
 * held in swr's client cache.
 */
import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import type { BacktestParams } from '../schemas';
import { ApiError, postJson } from './api';
import type { ExecuteResponse } from './api-types';
import { createLatestGate, type LatestGate } from './latest-request';
import { useDebouncedValue } from './use-debounced-value';

/** Route of SPEC §6 the page runs backtests through. */
export const EXECUTE_URL = '/api/backtest/execute';
/** Quiet time after the last control change before a request is sent, ms. */
export const LIVE_DEBOUNCE_MS = 150;

/** What the page shows of the live backtest. */
export interface LiveBacktest {
  /** The newest applied response; kept while a newer request is loading or after an error. */
  response?: ExecuteResponse;
  /** Round trip of that response in the browser (request sent → JSON parsed), ms. */
  roundTripMs?: number;
  /** JSON of the params `response` answers. */
  responseKey?: string;
  /** The error of the newest settled request, if it failed (server message kept). */
  error?: ApiError;
  /** True while the current params have no settled answer yet. */
  isLoading: boolean;
}

interface Settled {
  response?: ExecuteResponse;
  roundTripMs?: number;
  responseKey?: string;
  error?: ApiError;
  settledKey?: string;
}

const asApiError = (error: unknown) =>
  error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 0);

/**
 * Runs `POST /api/backtest/execute` (includeDetail, priority high) for `params` once they have
 * been still for `delayMs`. Pass null to send nothing (e.g. while the controls are invalid).
 */
export function useLiveBacktest(params: BacktestParams | null, delayMs = LIVE_DEBOUNCE_MS): LiveBacktest {
  const key = params ? JSON.stringify(params) : null;
  const debouncedKey = useDebouncedValue(key, delayMs);
  const gate = useRef<LatestGate | null>(null);
  const mounted = useRef(true);
  const [state, setState] = useState<Settled>({});

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (debouncedKey === null) return;
    gate.current ??= createLatestGate();
    const currentGate = gate.current;
    const seq = currentGate.issue();
    const started = performance.now();
    const body = { params: JSON.parse(debouncedKey) as BacktestParams, includeDetail: true, priority: 'high' };
    postJson<ExecuteResponse>(EXECUTE_URL, body).then(
      (response) => {
        if (!mounted.current || !currentGate.accept(seq)) return;
        const roundTripMs = performance.now() - started;
        // A transition: the page renders the new result without blocking a slider being dragged.
        startTransition(() => setState({ response, roundTripMs, responseKey: debouncedKey, settledKey: debouncedKey }));
      },
      (error: unknown) => {
        if (!mounted.current || !currentGate.accept(seq)) return;
        setState((previous) => ({ ...previous, error: asApiError(error), settledKey: debouncedKey }));
      },
    );
  }, [debouncedKey]);

  const isLoading = key !== null && key !== state.settledKey;
  // One object per settled state and loading flag, so memoised views skip the slider's other renders.
  return useMemo(
    () => ({
      response: state.response,
      roundTripMs: state.roundTripMs,
      responseKey: state.responseKey,
      error: state.error,
      isLoading,
    }),
    [state, isLoading],
  );
}
