/**
 * POST /api/backtest/heatmap: body `{ asset, timeframe, leverage, strategy, dateRange?, metric? }`
 * → `{ metric, lows, highs, values, bars, period, executionTime, cached }` where values[a][b] is
 * the metric for low = lows[a], high = highs[b] (null where low ≥ high); `cached` when the grid
 * was kept in memory from an identical request. 400 invalid body, 422 no data.
 */
import { NextResponse } from 'next/server';
import { errorResponse, parseJsonBody } from '@/lib/http';
import { computeThresholdHeatmap } from '@/lib/run-heatmap';
import { heatmapRequestSchema } from '@/lib/schemas';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request): Promise<NextResponse> {
  try {
    const body = await parseJsonBody(request, heatmapRequestSchema);
    return NextResponse.json(await computeThresholdHeatmap(body));
  } catch (error) {
    return errorResponse(error);
  }
}
