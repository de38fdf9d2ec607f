/**
 * GET /api/market-data → `{ coverage: CoverageEntry[], unavailable: { symbol, interval, error }[],
 * funding: FundingCoverage[] }`: first and last bar, bar count and gaps of every spot series that
 * loads, plus the FGI; series that cannot be read are listed with the reason; one funding row per
 * symbol with a funding history (`{ symbol, interval: 'funding', first, last, settlements, gaps:
 * [{ from, to }] (Unix ms), conflicts }`) (lib/market-data getCoverage).
 */
import { NextResponse } from 'next/server';
import { errorResponse, withoutLocalPaths } from '@/lib/http';
import { getCoverage } from '@/lib/market-data';

/** Never prerendered: coverage depends on the data folder at run time. */
export const dynamic = 'force-dynamic';
/** The market-data loader reads files (node:fs). */
export const runtime = 'nodejs';

/** Coverage of the loaded market data; 503 when the FGI cannot be read or downloaded. */
export async function GET(): Promise<NextResponse> {
  try {
    const { coverage, unavailable, funding } = await getCoverage();
    return NextResponse.json({
      coverage,
      unavailable: unavailable.map((u) => ({ ...u, error: withoutLocalPaths(u.error) })),
      funding,
    });
  } catch (error) {
    return errorResponse(error);
  }
}
