/**
 * POST /api/backtest/warm-cache (empty body = default preset, or warm options) → 202
 * `{ jobId, total }`, 409 while a job runs; GET → the current or last job, or
 * `{ status: 'idle' }` before the first (SPEC §6, §7).
 * With CACHE_STORE=redis the job is shared by every instance (lib/warm/shared-warm-job.ts).
 * POST needs the admin token when CACHE_ADMIN_TOKEN is set; in production without one, only the
 * default preset (empty body) is accepted and a body that chooses a plan answers 403.
 */
import { NextResponse } from 'next/server';
import { checkAdminAuth, checkAnonymousWarmPlan } from '@/lib/admin-auth';
import { errorResponse, parseJsonBody, withoutLocalPaths } from '@/lib/http';
import { warmOptionsSchema } from '@/lib/schemas';
import { warmJobRunner } from '@/lib/warm';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Starts a warm-up job in the background. */
export async function POST(request: Request): Promise<NextResponse> {
  try {
    // Production without a token stays open for the default preset only (clear is closed).
    const denied = checkAdminAuth(request, { forbidInProductionWithoutToken: false });
    if (denied) return denied;
    const options = await parseJsonBody(request, warmOptionsSchema, {});
    const anonymousPlan = checkAnonymousWarmPlan(JSON.stringify(options) !== JSON.stringify(warmOptionsSchema.parse({})));
    if (anonymousPlan) return anonymousPlan;
    return NextResponse.json(await warmJobRunner.start(options), { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * The current or last job's progress; `{ status: 'idle', … }` before the first job. Failure
 * messages name the server's folders only by their settings (MARKET_DATA_DIR, …).
 */
export async function GET(): Promise<NextResponse> {
  let status;
  try {
    status = await warmJobRunner.status();
  } catch (error) {
    return errorResponse(error);
  }
  if (status.status === 'idle') return NextResponse.json(status);
  return NextResponse.json({
    ...status,
    failures: status.failures.map((f) => ({ ...f, error: withoutLocalPaths(f.error) })),
  });
}
