/**
 * GET /api/backtest/cache/stats → `{ totalEntries, permanentEntries, temporaryEntries, cacheSize,
 * hitRate, avgExecutionTime, avgCacheResponseTime, hits, misses }`, measured in this process.
 */
import { NextResponse } from 'next/server';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import { errorResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Storage counts now and the hit/miss statistics of this server process. */
export async function GET(): Promise<NextResponse> {
  try {
    return NextResponse.json(await backtestCacheServer.stats());
  } catch (error) {
    return errorResponse(error);
  }
}
