/**
 * Merging of FGI sources. Which files and in what order is decided by the callers
 * (`local-fgi.ts`, the online store).
 */
import type { FgiDays } from './parse-fgi-csv';

/**
 * Merges FGI sources given in precedence order: the first source is used up to its last day;
 * each later source only adds days after the last day of everything before it. Days missing in
 * between stay missing (SOURCES.md §1: the extended file's in-fills are not real API values).
 */
export function mergeFgi(sources: readonly FgiDays[]): FgiDays {
  const days: number[] = [];
  const values: number[] = [];
  let lastDay = -Infinity;
  for (const source of sources) {
    const end = lastDay;
    for (let i = 0; i < source.day.length; i++) {
      if (source.day[i] <= end) continue;
      days.push(source.day[i]);
      values.push(source.value[i]);
      lastDay = source.day[i];
    }
  }
  return { day: Float64Array.from(days), value: Float64Array.from(values) };
}
