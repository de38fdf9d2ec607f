/**
 * Synthetic 4h series for walk-forward tests, built day by day from "regimes" whose best
 * contrarian threshold class is known by hand. Each day has 6 bars; the FGI known at the close
 * of bars 0–2 is 20 and of bars 3–5 is 80. A bar's move (open → close) depends on the FGI of the
 * bar before it, i.e. on the position the strategy holds during the bar:
 * - `contrarian`: +1 % after FGI 20, −1 % after FGI 80 (long fear, short greed wins);
 * - `rising`: +0.5 % after every bar;  `falling`: −1 % after every bar;  `flat`: no move.
 * Each bar opens at the previous close (no gaps). Against FGI values 20 and 80 every (low, high)
 * pair falls in one of six classes by its response (long / short / flat) to 20 and to 80; all
 * pairs of a class trade identically, so the tie rule picks the class's lowest pair:
 *   (long, long) → (80, 81)   (long, short) → (20, 21)   (long, flat) → (20, 81)
 *   (short, short) → (1, 2)   (flat, short) → (1, 21)    (flat, flat) → (1, 81) (no trades)
 */
import type { MarketSeries } from '@/lib/market-data/types';
import { syntheticSeries } from '../helpers/synthetic-series';

export type Regime = 'contrarian' | 'rising' | 'falling' | 'flat';

/** Bars per day on 4h. */
export const BARS_PER_DAY = 6;

const MOVE: Record<Regime, (previousFgi: number) => number> = {
  contrarian: (f) => (f === 20 ? 0.01 : -0.01),
  rising: () => 0.005,
  falling: () => -0.01,
  flat: () => 0,
};

/** The FGI known at the close of bar `k` of a day. */
export const fgiOfBar = (k: number) => (k < 3 ? 20 : 80);

/** A series of `days.length` days from 2024-01-01 with the given regimes (see the file comment). */
export function regimeSeries(days: readonly Regime[], options: { startPrice?: number } = {}): MarketSeries {
  const open: number[] = [];
  const close: number[] = [];
  const fgi: number[] = [];
  let price = options.startPrice ?? 1_000;
  days.forEach((regime, d) => {
    for (let k = 0; k < BARS_PER_DAY; k++) {
      const previousFgi = fgi.length > 0 ? fgi[fgi.length - 1] : Number.NaN;
      const move = d === 0 && k === 0 ? 0 : MOVE[regime](previousFgi);
      open.push(price);
      price *= 1 + move;
      close.push(price);
      fgi.push(fgiOfBar(k));
    }
  });
  return syntheticSeries({ open, close, fgi });
}

/** `YYYY-MM-DD` of day `d` of a regime series (day 0 = 2024-01-01). */
export const day = (d: number) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
