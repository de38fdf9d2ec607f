/**
 * The point-in-time join of the daily FGI onto bars (SPEC §2). Client-safe.
 */
import { DAY_MS } from './intervals';
import type { FgiSeries } from './types';

/**
 * FGI value known at each bar's close. The value dated day D is known from D 00:00 UTC, so bar i
 * gets the value of the latest day D with D 00:00 ≤ close time (openTime[i] + intervalMs); days
 * the FGI lacks carry the previous value over; bars closing before the first FGI day get NaN, and
 * so do bars closing on or after the day after the last FGI day (the series has ended there: its
 * last value is not carried on indefinitely). Never an exact-timestamp join, never a back-fill.
 * One linear merge pass over both sorted arrays.
 * @param openTime bar open times, Unix ms UTC, ascending.
 * @param intervalMs bar length in ms.
 */
export function joinFgiAtBarClose(
  openTime: Float64Array,
  intervalMs: number,
  fgi: Pick<FgiSeries, 'day' | 'value'>,
): Float64Array {
  const out = new Float64Array(openTime.length);
  const end = fgi.day.length > 0 ? fgi.day[fgi.day.length - 1] + DAY_MS : -Infinity;
  let known = -1; // index of the latest FGI day known at the current bar's close
  for (let i = 0; i < openTime.length; i++) {
    const closeTime = openTime[i] + intervalMs;
    while (known + 1 < fgi.day.length && fgi.day[known + 1] <= closeTime) known += 1;
    out[i] = known >= 0 && closeTime < end ? fgi.value[known] : NaN;
  }
  return out;
}
