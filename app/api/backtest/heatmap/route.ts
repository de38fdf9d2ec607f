/**
 * POST /api/backtest/heatmap: body `{ asset, timeframe, leverage, strategy, dateRange?, metric? }`
 * → `{ metric, lows, highs, values, bars, period, executionTime }` where values[a][b] is the
 * metric for low = lows[a], high = highs[b] (null where low ≥ high). 400 invalid body, 422 no data.
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
    const { metric, lows, highs, values, bars, period, executionTime } =
      await computeThresholdHeatmap(body);
    return NextResponse.json({ metric, lows, highs, values, bars, period, executionTime });
  } catch (error) {
    return errorResponse(error);
  }
}
