/**
 * POST /api/backtest/walk-forward (SPEC §11): body = walkForwardRequestSchema → 200
 * `{ result, cached, cacheTier?, cacheAge? }` when cached, else 202 `{ jobId, key, total }`
 * (total = steps; identical concurrent requests share one job). 400 invalid body (names the
 * field), 422 range shorter than one training + one test window, 429 (Retry-After) when too
 * many jobs run. GET ?jobId= → the job's progress and, once done, its result; 404 unknown job.
 */
import { NextResponse } from 'next/server';
import { errorResponse, jsonError, parseJsonBody, withoutLocalPaths } from '@/lib/http';
import { walkForwardRequestSchema } from '@/lib/schemas';
import { walkForwardJobs } from '@/lib/walk-forward/service';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Starts (or joins) a walk-forward job, or answers a cached result. */
export async function POST(request: Request): Promise<NextResponse> {
  try {
    const body = await parseJsonBody(request, walkForwardRequestSchema);
    const started = await walkForwardJobs.start(body);
    if (started.kind === 'result') {
      const { value, ...source } = started.outcome;
      return NextResponse.json({ result: value, ...source });
    }
    const { kind: _kind, ...job } = started;
    return NextResponse.json(job, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

/** Progress of the job `?jobId=`, with the result once done. */
export async function GET(request: Request): Promise<NextResponse> {
  try {
    const jobId = new URL(request.url).searchParams.get('jobId');
    if (jobId === null || !JOB_ID.test(jobId)) return jsonError(400, 'jobId: give the jobId a POST answered (a UUID)');
    const status = walkForwardJobs.status(jobId);
    return NextResponse.json(status.error ? { ...status, error: withoutLocalPaths(status.error) } : status);
  } catch (error) {
    return errorResponse(error);
  }
}
