/**
 * fast-check arbitraries for engine property tests: a real series and valid BacktestParams for
 * it (checked by backtestParamsSchema) (any leverage, thresholds, strategy, optional extreme thresholds, the default window or a
 * random date range of 1 day to 2 years inside the bars that have an FGI value).
 */
import fc from 'fast-check';
import type { MarketSeries } from '../../lib/market-data';
import { STRATEGIES, backtestParamsSchema, type BacktestParams, type DateRange } from '../../lib/schemas';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A date range whose first day lies between the series' first and last bars with an FGI value. */
function dateRangeIn(series: MarketSeries): fc.Arbitrary<DateRange | undefined> {
  const known = (i: number) => !Number.isNaN(series.fgi[i]);
  let lastFgi = series.fgi.length - 1;
  while (!known(lastFgi)) lastFgi--;
  const firstDay = Math.ceil(series.openTime[series.fgi.findIndex((v) => !Number.isNaN(v))] / DAY_MS);
  const lastDay = Math.floor(series.openTime[lastFgi] / DAY_MS) - 1;
  const range = fc
    .tuple(fc.integer({ min: firstDay, max: lastDay }), fc.integer({ min: 0, max: 730 }))
    .map(([start, length]) => ({
      start: isoDay(start * DAY_MS),
      end: isoDay(Math.min(start + length, lastDay) * DAY_MS),
    }));
  return fc.option(range, { nil: undefined, freq: 4 });
}

/** One of `series` with random valid params for it. */
export function randomCase(series: MarketSeries[]): fc.Arbitrary<{ series: MarketSeries; params: BacktestParams }> {
  return fc.constantFrom(...series).chain((s) =>
    fc
      .record({
        leverage: fc.integer({ min: 1, max: 12 }),
        low: fc.integer({ min: 1, max: 99 }),
        width: fc.integer({ min: 1, max: 99 }),
        strategy: fc.constantFrom(...STRATEGIES),
        extremes: fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { nil: undefined }),
        dateRange: dateRangeIn(s),
      })
      .map(({ leverage, low, width, strategy, extremes, dateRange }) => {
        const high = Math.min(low + width, 100);
        const params: BacktestParams = {
          asset: s.asset,
          timeframe: s.timeframe,
          leverage,
          lowThreshold: low,
          highThreshold: high,
          strategy,
          ...(dateRange ? { dateRange } : {}),
        };
        if (extremes && strategy === 'contrarian') {
          params.extremeLowThreshold = Math.floor(extremes[0] * low);
          params.extremeHighThreshold = high + Math.floor(extremes[1] * (100 - high));
        }
        return { series: s, params: backtestParamsSchema.parse(params) };
      }),
  );
}
