/**
 * POST /api/backtest/execute `{ params, forceRefresh?, priority?, includeDetail? }` →
 * `{ result, cached, cacheAge?, cacheTier?, detail? }` (SPEC §6): answered from the result cache
 * or computed and stored.
 */
import { NextResponse } from 'next/server';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import { errorResponse, parseJsonBody } from '@/lib/http';
import { executeRequestSchema } from '@/lib/schemas';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Runs or looks up one backtest; 400/413 for bad bodies, 422 when no data covers the range. */
export async function POST(request: Request): Promise<NextResponse> {
  try {
    const body = await parseJsonBody(request, executeRequestSchema);
    const outcome = await backtestCacheServer.runAndCache(body.params, {
      forceRefresh: body.forceRefresh,
      priority: body.priority ?? 'normal',
      detail: body.includeDetail,
    });
    return NextResponse.json(outcome);
  } catch (error) {
    return errorResponse(error);
  }
}
