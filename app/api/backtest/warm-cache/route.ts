/**
 * POST /api/backtest/warm-cache (empty body = default preset, or warm options) → 202
 * `{ jobId, total }`, 409 while a job runs; GET → the current or last job, or
 * `{ status: 'idle' }` before the first (SPEC §6, §7).
 * POST needs the admin token when CACHE_ADMIN_TOKEN is set.
 */
import { NextResponse } from 'next/server';
import { checkAdminAuth } from '@/lib/admin-auth';
import { errorResponse, parseJsonBody } from '@/lib/http';
import { warmOptionsSchema } from '@/lib/schemas';
import { warmJobRunner } from '@/lib/warm';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Starts a warm-up job in the background. */
export async function POST(request: Request): Promise<NextResponse> {
  // Warming only adds entries, so production without a token stays open (clear does not).
  const denied = checkAdminAuth(request, { forbidInProductionWithoutToken: false });
  if (denied) return denied;
  try {
    const options = await parseJsonBody(request, warmOptionsSchema, {});
    return NextResponse.json(warmJobRunner.start(options), { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

/** The current or last job's progress; `{ status: 'idle', … }` before the first job. */
export async function GET(): Promise<NextResponse> {
  return NextResponse.json(warmJobRunner.status());
}
