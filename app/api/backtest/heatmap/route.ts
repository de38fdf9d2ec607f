/**
 * POST /api/backtest/heatmap: body `{ asset, timeframe, leverage, strategy, extremeLowThreshold?,
 * extremeHighThreshold?, dateRange?, metric? }`, computed in the worker pool (lib/heatmap-service.ts).
 * - Default: `{ metric, lows, highs, values, bars, period, executionTime, cached }` where
 *   values[a][b] is the metric for low = lows[a], high = highs[b] (null where low ≥ high).
 * - `Accept: application/x-ndjson`: one JSON object per line, `{"type":"meta",metric,lows,highs,
 *   bars,period}`, one `{"type":"row",low,values}` per low as it finishes (any order), then
 *   `{"type":"done",executionTime,cached}`, or `{"type":"error",error}` on a failure after the
 *   stream started.
 * `cached` when the grid was kept in memory from an identical request. 400 invalid body, 422 no
 * data, 429 with Retry-After (s) when every heatmap slot is taken, 503 market data unavailable.
 * A client that disconnects (or aborts to replace its request) stops the computation.
 */
import { NextResponse } from 'next/server';
import { errorResponse, jsonError, parseJsonBody } from '@/lib/http';
import { heatmapNdjsonStream, HEATMAP_NDJSON } from '@/lib/heatmap-ndjson';
import { heatmapService, type HeatmapHandle } from '@/lib/heatmap-service';
import { heatmapRequestSchema } from '@/lib/schemas';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request): Promise<Response> {
  let handle: HeatmapHandle;
  try {
    const body = await parseJsonBody(request, heatmapRequestSchema);
    handle = await heatmapService.open(body, request.signal);
  } catch (error) {
    return errorResponse(error);
  }
  if (!(request.headers.get('accept') ?? '').toLowerCase().includes(HEATMAP_NDJSON)) {
    try {
      return NextResponse.json(await handle.result());
    } catch (error) {
      // The client has gone (nobody reads this); nothing to log.
      if (request.signal.aborted) return jsonError(503, 'the heatmap was cancelled');
      return errorResponse(error);
    } finally {
      handle.release();
    }
  }
  return new Response(heatmapNdjsonStream(handle), {
    headers: { 'content-type': HEATMAP_NDJSON, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
