/**
 * How much history the online path downloads, and its split into UTC months (one cache file
 * each). Documented in docs/market-data.md.
 */
import type { Timeframe } from '../../schemas';
import { DAY_MS } from '../intervals';

/** Start of the downloaded 1h and 4h history: the first FGI day, 2018-02-01 00:00 UTC. */
const ONLINE_HISTORY_START = Date.UTC(2018, 1, 1);
/** The 15m history covers the trailing 365 days, widened to whole months. */
const ONLINE_15M_DAYS = 365;

/** 00:00 UTC of the first day of the month containing `ms`. */
export function monthStartOf(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** 00:00 UTC of the first day of the month after the one starting at `monthStart`. */
export function nextMonthStart(monthStart: number): number {
  const d = new Date(monthStart);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** `YYYY-MM` of a month start. */
export function monthLabel(monthStart: number): string {
  return new Date(monthStart).toISOString().slice(0, 7);
}

/**
 * Month starts (Unix ms) the online history of `timeframe` covers at time `now`: from
 * 2018-02 (1h, 4h) or the month containing now − 365 days (15m), through the current month.
 */
export function onlineHistoryMonths(timeframe: Timeframe, now: number): number[] {
  const first = timeframe === '15m' ? monthStartOf(now - ONLINE_15M_DAYS * DAY_MS) : ONLINE_HISTORY_START;
  const months: number[] = [];
  for (let m = first; m <= now; m = nextMonthStart(m)) months.push(m);
  return months;
}
