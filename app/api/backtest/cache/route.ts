/** GET /api/backtest/cache → entries by tier, stale count, bytes, per market, oldest/newest, archive. */
import { NextResponse } from 'next/server';
import { backtestCacheServer } from '@/lib/backtest-cache-server';
import { errorResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Cache contents now (reads every entry to tell fresh from stale). */
export async function GET(): Promise<NextResponse> {
  try {
    return NextResponse.json(await backtestCacheServer.info());
  } catch (error) {
    return errorResponse(error);
  }
}
