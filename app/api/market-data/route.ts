/**
 * GET /api/market-data → `{ coverage: CoverageEntry[] }`: first and last bar, bar count and gaps
 * of every spot series, plus the FGI (lib/market-data getCoverage).
 */
import { NextResponse } from 'next/server';
import { errorResponse } from '@/lib/http';
import { getCoverage } from '@/lib/market-data';

/** Never prerendered: coverage depends on the data folder at run time. */
export const dynamic = 'force-dynamic';
/** The market-data loader reads files (node:fs). */
export const runtime = 'nodejs';

/** Coverage of the loaded market data; 503 when the data cannot be read or downloaded. */
export async function GET(): Promise<NextResponse> {
  try {
    return NextResponse.json({ coverage: await getCoverage() });
  } catch (error) {
    return errorResponse(error);
  }
}
