/**
 * When a downloaded file must be fetched again (SPEC §2: finalized candles and past FGI days never
 * expire; the newest, still-forming period is refetched after 24 h).
 */

/** Age after which a still-forming period is fetched again, ms. */
export const REFRESH_AFTER_MS = 24 * 60 * 60_000;

/**
 * True when a downloaded period [.., periodEnd) must be fetched (again) at `now`:
 * - never downloaded (`fetchedAt` null): yes;
 * - downloaded at or after `periodEnd` (final): never again;
 * - the period has ended since the download: yes, once, to get its final bars;
 * - otherwise (still forming): when the download is at least 24 h old.
 */
export function needsFetch(fetchedAt: number | null, periodEnd: number, now: number): boolean {
  if (fetchedAt === null) return true;
  if (fetchedAt >= periodEnd) return false;
  if (now >= periodEnd) return true;
  return now - fetchedAt >= REFRESH_AFTER_MS;
}
