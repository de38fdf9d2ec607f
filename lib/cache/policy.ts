/**
 * The rules of the result cache that do not depend on storage (SPEC §5): when an entry is stale
 * and when a result may be stored permanently. Pure and client-safe.
 */
import { DAY_MS, dayStartMs } from '../market-data/intervals';
import type { DateRange } from '../schemas';
import type { CacheTier, EntryHeader } from './entry';

/** Age after which a temporary entry is stale: 24 h in ms. */
export const TEMPORARY_TTL_MS = 24 * 60 * 60 * 1000;

/** What the running code would put in a new entry for a market, to compare stored entries with. */
export interface CurrentVersions {
  /** ENGINE_VERSION of the running engine. */
  engineVersion: string;
  /** MarketSeries.dataVersion of the loaded series, or null when unknown (then not compared). */
  dataVersion: string | null;
}

/**
 * Why `entry`, found in `tier`, must not be served at Unix ms `now`, or null when it is fresh:
 * another engine or data version, or (temporary tier) an age of 24 h or more.
 */
export function staleReason(
  entry: Pick<EntryHeader, 'engineVersion' | 'dataVersion' | 'computedAt'>,
  tier: CacheTier,
  current: CurrentVersions,
  now: number,
): string | null {
  if (entry.engineVersion !== current.engineVersion) {
    return `engine version ${entry.engineVersion} ≠ ${current.engineVersion}`;
  }
  if (current.dataVersion !== null && entry.dataVersion !== current.dataVersion) {
    return `data version ${entry.dataVersion} ≠ ${current.dataVersion}`;
  }
  const age = now - entry.computedAt;
  if (tier === 'temporary' && age >= TEMPORARY_TTL_MS) {
    return `temporary entry is ${(age / 3_600_000).toFixed(1)} h old, the limit is 24 h`;
  }
  return null;
}

/**
 * True when every bar of `dateRange` is finalized: the day after its end, 00:00 UTC, is not after
 * `lastCloseTime` (the close time, Unix ms, of the series' newest bar), so the data for the range
 * can never change and its result may be stored permanently.
 */
export function isFinalizedRange(dateRange: DateRange, lastCloseTime: number): boolean {
  return dayStartMs(dateRange.end) + DAY_MS <= lastCloseTime;
}
