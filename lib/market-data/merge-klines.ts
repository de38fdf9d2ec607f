/**
 * Merges the kline files of one (symbol, interval) into one series by open time.
 * Which files take part, and their order, is decided in `local-klines.ts` (see its precedence rules).
 */
import { allocateKlines, setKline, takeKlines, type KlineColumns } from './kline-columns';

/**
 * Merges sorted kline columns by open time in one linear k-way pass.
 *
 * - `sources` are given in precedence order, highest first. When several sources hold a bar with
 *   the same open time, the bar of the first of them is kept and the others are dropped: exact
 *   duplicates disappear, and on conflicting values the higher-precedence source wins.
 * - Bars whose open time is not a multiple of `intervalMs` (the 2018-02-09..11 Binance offset
 *   candles, SOURCES.md §2b) are dropped, never snapped.
 * - Missing bars are not invented; gaps stay gaps.
 *
 * Each source must be sorted by strictly increasing open time (the readers guarantee it).
 */
export function mergeKlines(sources: readonly KlineColumns[], intervalMs: number): KlineColumns {
  const total = sources.reduce((sum, s) => sum + s.openTime.length, 0);
  const out = allocateKlines(total);
  const heads = new Int32Array(sources.length);
  let n = 0;
  for (;;) {
    let winner = -1;
    let time = Infinity;
    for (let s = 0; s < sources.length; s++) {
      const times = sources[s].openTime;
      let h = heads[s];
      while (h < times.length && times[h] % intervalMs !== 0) h += 1;
      heads[s] = h;
      if (h < times.length && times[h] < time) {
        time = times[h];
        winner = s;
      }
    }
    if (winner === -1) break;
    const src = sources[winner];
    const h = heads[winner];
    setKline(out, n, time, src.open[h], src.high[h], src.low[h], src.close[h], src.volume[h]);
    n += 1;
    for (let s = 0; s < sources.length; s++) {
      if (heads[s] < sources[s].openTime.length && sources[s].openTime[heads[s]] === time) heads[s] += 1;
    }
  }
  return takeKlines(out, n);
}

/** `columns` without its newest bar (it was still forming when the file was saved or fetched). */
export function dropNewestBar(columns: KlineColumns): KlineColumns {
  return takeKlines(columns, Math.max(0, columns.openTime.length - 1));
}
