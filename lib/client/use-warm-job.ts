/**
 * The cache warm-up job as the cache panel sees it: start it (`POST /api/backtest/warm-cache`)
 * and follow it (`GET`) with swr on the progressive schedule of SPEC §8 while it runs.
 * While no job runs the page still asks every WARM_IDLE_POLL_MS, so a job started elsewhere
 * (curl, the warmer's --url) is noticed by an open page; a start that meets a running job (409)
 * follows that job.
 */
import { useCallback, useRef, useState } from 'react';
import useSWR from 'swr';
import { ApiError, getJson, postJson } from './api';
import type { WarmStartResponse, WarmStatus } from './api-types';
import { warmPollInterval } from './polling-schedule';

/** Route of SPEC §6 that starts and reports the warm-up job. */
export const WARM_URL = '/api/backtest/warm-cache';
/** Poll interval while no job runs (to notice a job started elsewhere), ms. */
export const WARM_IDLE_POLL_MS = 30_000;
/** The current or last job; null when none has run since the server started (`status: 'idle'`). */
async function fetchWarmStatus(url: string): Promise<WarmStatus | null> {
  const status = await getJson<WarmStatus | { status: 'idle' }>(url);
  return status.status === 'idle' ? null : status;
}

/**
 * Status of the warm-up job and a `start(token)` that posts the default preset. While a job
 * runs, the next poll comes after warmPollInterval(time since this page first saw it running),
 * measured on the browser's clock so a skewed server clock cannot stretch the schedule; while
 * none runs (idle, done or failed) the status is read every WARM_IDLE_POLL_MS.
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
      let follow = true;
      try {
        await postJson<WarmStartResponse>(WARM_URL, undefined, { token });
      } catch (failure) {
        const apiError = failure instanceof ApiError ? failure : new ApiError(String(failure), 0);
        setStartError(apiError);
        follow = apiError.status === 409;
      } finally {
        setStarting(false);
      }
      // Show the new (or, on 409, the running) job at once; the schedule takes over from there.
      if (follow) await mutate();
    },
    [mutate],
  );

  return { status: data ?? null, error, start, starting, startError };
}
