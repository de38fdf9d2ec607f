/**
 * Date-range presets of the page, bounded by what `GET /api/market-data` says exists: the
 * trailing 90 days (no dateRange: the server's default window), each calendar year that both the
 * price series and the FGI cover (clipped to the covered days), and a custom range.
 */
import type { CoverageEntry } from '../market-data/types';
import type { Asset, DateRange, Timeframe } from '../schemas';

/** UTC days (YYYY-MM-DD, inclusive) covered by both the price series and the FGI. */
export interface CoveredDays {
  first: string;
  last: string;
}

/** One preset: `range` undefined means the trailing 90 days ending with the newest data. */
export interface DatePreset {
  id: string;
  label: string;
  range?: DateRange;
}

/** The trailing-90-days preset (always offered; the server picks the window). */
export const TRAILING_PRESET: DatePreset = { id: 'trailing-90', label: 'Last 90 days' };

const day = (iso: string) => iso.slice(0, 10);

/**
 * Days covered by both `{asset}USDT` at `timeframe` and the FGI (`FGI`, `1d`), or null when
 * either is missing from the coverage or they do not overlap.
 */
export function coveredDays(coverage: readonly CoverageEntry[], asset: Asset, timeframe: Timeframe): CoveredDays | null {
  const price = coverage.find((c) => c.symbol === `${asset}USDT` && c.interval === timeframe);
  const fgi = coverage.find((c) => c.symbol === 'FGI');
  if (!price || !fgi) return null;
  const first = [day(price.first), day(fgi.first)].sort()[1];
  const last = [day(price.last), day(fgi.last)].sort()[0];
  return first <= last ? { first, last } : null;
}

/**
 * The trailing preset, then one preset per calendar year overlapping `covered` (newest first),
 * each clipped to the covered days; a partial year says so in its label.
 */
export function datePresets(covered: CoveredDays | null): DatePreset[] {
  if (!covered) return [TRAILING_PRESET];
  const years: DatePreset[] = [];
  const firstYear = Number(covered.first.slice(0, 4));
  const lastYear = Number(covered.last.slice(0, 4));
  for (let year = lastYear; year >= firstYear; year--) {
    const start = [`${year}-01-01`, covered.first].sort()[1];
    const end = [`${year}-12-31`, covered.last].sort()[0];
    const partial = start !== `${year}-01-01` || end !== `${year}-12-31`;
    years.push({
      id: String(year),
      label: partial ? `${year} (${start.slice(5)} – ${end.slice(5)})` : String(year),
      range: { start, end },
    });
  }
  return [TRAILING_PRESET, ...years];
}
