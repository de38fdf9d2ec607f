/**
 * POST /api/backtest/cache/clear `{ scope: 'temporary'|'permanent'|'all'|'stale', asset? }` →
 * `{ removed, freedBytes }`. Needs `Authorization: Bearer <CACHE_ADMIN_TOKEN>` when the token is
 * set; 403 in production without one.
 */
import { NextResponse } from 'next/server';
import { checkAdminAuth } from '@/lib/admin-auth';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import { errorResponse, parseJsonBody } from '@/lib/http';
import { clearRequestSchema } from '@/lib/schemas';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Removes entries of the scope (and asset); 401/403 without the admin token, 400 for a bad body. */
export async function POST(request: Request): Promise<NextResponse> {
  try {
    const denied = checkAdminAuth(request);
    if (denied) return denied;
    const { scope, asset } = await parseJsonBody(request, clearRequestSchema);
    return NextResponse.json(await backtestCacheServer.clear(scope, asset));
  } catch (error) {
    return errorResponse(error);
  }
}
