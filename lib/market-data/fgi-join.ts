/**
 * The point-in-time join of the daily FGI onto bars (SPEC §2). Client-safe.
 */
import type { FgiSeries } from './types';

/**
 * FGI value known at each bar's close. The value dated day D is known from D 00:00 UTC, so bar i
 * gets the value of the latest day D with D 00:00 ≤ close time (openTime[i] + intervalMs); days
 * the FGI lacks carry the previous value over; bars closing before the first FGI day get NaN.
 * Never an exact-timestamp join, never a back-fill. One linear merge pass over both sorted arrays.
 * @param openTime bar open times, Unix ms UTC, ascending.
 * @param intervalMs bar length in ms.
 */
export function joinFgiAtBarClose(
  openTime: Float64Array,
  intervalMs: number,
  fgi: Pick<FgiSeries, 'day' | 'value'>,
): Float64Array {
  const out = new Float64Array(openTime.length);
  let known = -1; // index of the latest FGI day known at the current bar's close
  for (let i = 0; i < openTime.length; i++) {
    const closeTime = openTime[i] + intervalMs;
    while (known + 1 < fgi.day.length && fgi.day[known + 1] <= closeTime) known += 1;
    out[i] = known >= 0 ? fgi.value[known] : NaN;
  }
  return out;
}
