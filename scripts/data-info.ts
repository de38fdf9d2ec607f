/**
 * Prints the coverage of the market data the app uses: one row per spot series (symbol, interval,
 * first and last bar open time in UTC, bar count, gap runs, missing bars) and one for the FGI,
 * then one row per funding history (symbol, first and last settlement in UTC, settlement count,
 * gaps over 8 h, conflicts between files).
 *
 *   npm run data:info            # tables
 *   npm run data:info -- --json  # JSON array of { symbol, interval, first, last, bars, gaps },
 *                                # then { symbol, interval: "funding", first, last, settlements, gaps }
 *
 * A series that cannot be read is named on stderr with the reason, and the exit code is 1.
 *
 * Data folder: MARKET_DATA_DIR, else ../shared/market-data, else downloads (docs/market-data.md).
 */
import './react-server-condition';
import { parseArgs } from 'node:util';
import { getCoverage, type CoverageEntry, type FundingCoverage } from '../lib/market-data';
import { isoUtc } from '../lib/market-data/csv';

/** `2017-08-17T04:00:00.000Z` → `2017-08-17 04:00`. */
function shortUtc(iso: string): string {
  return iso === '' ? '-' : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Rows padded into aligned columns. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function seriesTable(coverage: CoverageEntry[]): string {
  const header = ['symbol', 'interval', 'first (UTC)', 'last (UTC)', 'bars', 'gaps', 'missing bars'];
  return table(
    header,
    coverage.map((c) => [
      c.symbol,
      c.interval,
      shortUtc(c.first),
      shortUtc(c.last),
      String(c.bars),
      String(c.gaps.length),
      String(c.gaps.reduce((sum, gap) => sum + gap.bars, 0)),
    ]),
  );
}

function fundingTable(funding: FundingCoverage[]): string {
  const header = ['symbol', 'interval', 'first settlement', 'last settlement', 'settlements', 'gaps > 8 h', 'conflicts'];
  return table(
    header,
    funding.map((f) => [f.symbol, f.interval, shortUtc(f.first), shortUtc(f.last), String(f.settlements), String(f.gaps.length), String(f.conflicts)]),
  );
}

/** Coverage with gap bounds as ISO UTC times; funding rows as { symbol, interval, first, last, settlements, gaps }. */
function jsonRows(coverage: CoverageEntry[], funding: FundingCoverage[]) {
  return [
    ...coverage.map((c) => ({
      ...c,
      gaps: c.gaps.map((gap) => ({ from: isoUtc(gap.from), to: isoUtc(gap.to), bars: gap.bars })),
    })),
    ...funding.map(({ symbol, interval, first, last, settlements, gaps }) => ({
      symbol,
      interval,
      first,
      last,
      settlements,
      gaps: gaps.map((gap) => ({ from: isoUtc(gap.from), to: isoUtc(gap.to) })),
    })),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log('Usage: npm run data:info [-- --json]');
    return;
  }
  const { coverage, unavailable, funding } = await getCoverage();
  console.log(
    values.json
      ? JSON.stringify(jsonRows(coverage, funding), null, 2)
      : `${seriesTable(coverage)}\n\n${fundingTable(funding)}`,
  );
  for (const u of unavailable) console.error(`unavailable: ${u.symbol} ${u.interval}: ${u.error}`);
  if (unavailable.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
