/**
 * A walk-forward analysis as the page runs it (SPEC §11): `run(body)` posts the request to
 * `POST /api/backtest/walk-forward`; a cached result (200) shows at once, a job (202) is followed
 * with swr on `GET ?jobId=` every `pollIntervalMs` until it is done or broke. Client-safe.
 */
import { useCallback, useState } from 'react';
import useSWR from 'swr';
import type { WalkForwardRequestInput } from '../schemas';
import type { WalkForwardJobStatus } from '../walk-forward/jobs';
import type { WalkForwardResult } from '../walk-forward/types';
import { ApiError, getJson, postJson } from './api';

/** Route of SPEC §11. */
export const WALK_FORWARD_URL = '/api/backtest/walk-forward';

/** 202 of the POST: the job to follow; `total` = steps. */
export interface WalkForwardStartResponse {
  jobId: string;
  key: string;
  total: number;
}

/** 200 of the POST: a cached result. */
export interface WalkForwardCachedResponse {
  result: WalkForwardResult;
  cached: boolean;
  cacheTier?: 'permanent' | 'temporary';
  cacheAge?: number;
}

/** Status of `GET ?jobId=` (times in ms). */
export type WalkForwardStatus = Omit<WalkForwardJobStatus, 'result'> & { result?: WalkForwardResult };

/** Default poll interval of a running job, ms. */
export const WALK_FORWARD_POLL_MS = 1_000;

/**
 * `{ run, result, status, error, running }`: `status` is the followed job's progress (null for
 * a cached answer), `result` the last finished analysis, `error` the failed POST, GET or job.
 */
export function useWalkForward({ pollIntervalMs = WALK_FORWARD_POLL_MS } = {}) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [cached, setCached] = useState<WalkForwardCachedResponse | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [starting, setStarting] = useState(false);
  const { data: status, error: pollError } = useSWR<WalkForwardStatus, ApiError>(
    jobId ? `${WALK_FORWARD_URL}?jobId=${encodeURIComponent(jobId)}` : null,
    getJson,
    {
      refreshInterval: (latest) => (latest && latest.status !== 'running' ? 0 : pollIntervalMs),
      revalidateOnFocus: false,
    },
  );

  const run = useCallback(async (body: WalkForwardRequestInput) => {
    setStarting(true);
    setStartError(null);
    try {
      const answer = await postJson<WalkForwardStartResponse | WalkForwardCachedResponse>(WALK_FORWARD_URL, body);
      if ('jobId' in answer) {
        setCached(null);
        setJobId(answer.jobId);
      } else {
        setJobId(null);
        setCached(answer);
      }
    } catch (failure) {
      setStartError(failure instanceof ApiError ? failure : new ApiError(String(failure), 0));
    } finally {
      setStarting(false);
    }
  }, []);

  const followed = jobId ? status ?? null : null;
  const jobError = followed?.status === 'error' ? new ApiError(followed.error ?? 'the walk-forward job failed', 500) : null;
  return {
    run,
    status: followed,
    result: cached?.result ?? (followed?.status === 'done' ? followed.result ?? null : null),
    cached,
    error: startError ?? pollError ?? jobError ?? null,
    running: starting || followed?.status === 'running' || (jobId !== null && !followed),
  };
}
