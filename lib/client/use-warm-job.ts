/**
 * The cache warm-up job as the cache panel sees it: start it (`POST /api/backtest/warm-cache`)
 * and follow it (`GET`) with swr on the progressive schedule of SPEC §8 while it runs.
 */
import { useCallback, useRef, useState } from 'react';
import useSWR from 'swr';
import { ApiError, getJson, postJson } from './api';
import type { WarmStartResponse, WarmStatus } from './api-types';
import { warmPollInterval } from './polling-schedule';

/** Route of SPEC §6 that starts and reports the warm-up job. */
export const WARM_URL = '/api/backtest/warm-cache';
/** Poll interval while no job runs (to notice a job started elsewhere, e.g. with curl), ms. */
export const WARM_IDLE_POLL_MS = 30_000;

/** The current or last job; null when none has run since the server started (404 or empty body). */
async function fetchWarmStatus(url: string): Promise<WarmStatus | null> {
  try {
    const status = await getJson<WarmStatus | null>(url);
    return status && typeof status === 'object' && 'status' in status ? status : null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Status of the warm-up job and a `start(token)` that posts the default preset. While a job
 * runs, the next poll comes after warmPollInterval(time since this page first saw it running),
 * measured on the browser's clock so a skewed server clock cannot stretch the schedule.
 */
export function useWarmJob() {
  const seen = useRef<{ startedAt: number; firstSeenAt: number } | null>(null);
  const { data, error, mutate } = useSWR<WarmStatus | null, ApiError>(WARM_URL, fetchWarmStatus, {
    refreshInterval: (latest) => {
      if (latest?.status !== 'running') return WARM_IDLE_POLL_MS;
      if (seen.current?.startedAt !== latest.startedAt) {
        seen.current = { startedAt: latest.startedAt, firstSeenAt: Date.now() };
      }
      return warmPollInterval(Date.now() - seen.current.firstSeenAt);
    },
  });
  const [startError, setStartError] = useState<ApiError>();
  const [starting, setStarting] = useState(false);

  const start = useCallback(
    async (token: string) => {
      setStarting(true);
      setStartError(undefined);
      try {
        await postJson<WarmStartResponse>(WARM_URL, undefined, { token });
      } catch (failure) {
        setStartError(failure instanceof ApiError ? failure : new ApiError(String(failure), 0));
      } finally {
        setStarting(false);
        // Show the new (or the already running, on 409) job at once; the schedule takes over.
        await mutate();
      }
    },
    [mutate],
  );

  return { status: data ?? null, error, start, starting, startError };
}
