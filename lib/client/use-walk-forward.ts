/**
 * A walk-forward analysis as the page runs it (SPEC §11): `run(body)` posts the request to
 * `POST /api/backtest/walk-forward`; a cached result (200) shows at once, a job (202) is followed
 * with swr on `GET ?jobId=` every `pollIntervalMs`, or sooner when the job's ETA is nearer
 * (walkForwardPollInterval), until it is done or broke. Client-safe.
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

/** Shortest poll interval, ms: a job about to finish is asked again this soon rather than a whole interval later. */
export const WALK_FORWARD_MIN_POLL_MS = 100;

/**
 * ms before the next poll after status `latest`: 0 (stop) once the job is not running; else its
 * ETA clamped to WALK_FORWARD_MIN_POLL_MS..`maxMs` (`maxMs` while the ETA is unknown), so the
 * result shows about when the job ends instead of up to `maxMs` later.
 */
export function walkForwardPollInterval(latest: Pick<WalkForwardStatus, 'status' | 'etaMs'> | undefined, maxMs: number): number {
  if (latest && latest.status !== 'running') return 0;
  const eta = latest?.etaMs;
  if (eta === null || eta === undefined || !Number.isFinite(eta)) return maxMs;
  return Math.min(maxMs, Math.max(WALK_FORWARD_MIN_POLL_MS, eta));
}

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
      refreshInterval: (latest) => walkForwardPollInterval(latest, pollIntervalMs),
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
