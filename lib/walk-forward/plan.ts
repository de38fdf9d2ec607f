/**
 * The steps of a walk-forward run (SPEC §11) and its cache key. Pure: no I/O, no clock.
 * Windows are ranges of whole UTC days, so each test window is an ordinary backtest dateRange.
 */
import { NoDataInRangeError } from '../errors';
import { DAY_MS, dayStartMs } from '../market-data/intervals';
import type { MarketSeries } from '../market-data/types';
import type { WalkForwardInput, WalkForwardPlan, WalkForwardStep } from './types';

const dayIndex = (day: string) => Math.round(dayStartMs(day) / DAY_MS);
const dayOf = (index: number) => new Date(index * DAY_MS).toISOString().slice(0, 10);
const utcDay = (ms: number) => Math.floor(ms / DAY_MS);

/**
 * The UTC days of `series` that have FGI data: from the day of the close time of the first bar
 * with an FGI value (so that day's bars all have one) to the day of the open time of the last.
 * null when no bar has an FGI value.
 */
export function fgiDays(series: MarketSeries): { first: number; last: number; bars: number } | null {
  const { fgi, openTime, intervalMs } = series;
  let first = -1;
  let last = -1;
  let bars = 0;
  for (let i = 0; i < fgi.length; i++) {
    if (Number.isNaN(fgi[i])) continue;
    if (first < 0) first = i;
    last = i;
    bars++;
  }
  if (first < 0) return null;
  return { first: utcDay(openTime[first] + intervalMs), last: utcDay(openTime[last]), bars };
}

/**
 * The steps for `input` on `series`. The overall range is `input.dateRange` (default: all days
 * with FGI data) clipped to the days with FGI data. Step k: test window = testDays days from
 * overall start + trainDays + k × testDays, the last one cut at the overall end; training window =
 * the trainDays days before it (rolling) or from the overall start (anchored).
 * @throws NoDataInRangeError (422) when the range is shorter than trainDays + testDays days; the
 * message says which days and bars are available.
 */
export function planWalkForward(series: MarketSeries, input: WalkForwardInput): WalkForwardPlan {
  const { trainDays, testDays } = input;
  const available = fgiDays(series);
  const asked = input.dateRange;
  const start = Math.max(available?.first ?? Infinity, asked ? dayIndex(asked.start) : -Infinity);
  const end = Math.min(available?.last ?? -Infinity, asked ? dayIndex(asked.end) : Infinity);
  const days = end >= start ? end - start + 1 : 0;
  if (days < trainDays + testDays) {
    throw new NoDataInRangeError(describeShortRange(series, input, available, start, end, days));
  }
  const steps: WalkForwardStep[] = [];
  for (let testStart = start + trainDays, k = 0; testStart <= end; testStart += testDays, k++) {
    const trainStart = input.anchored ? start : testStart - trainDays;
    steps.push({
      index: k,
      train: { start: dayOf(trainStart), end: dayOf(testStart - 1) },
      test: { start: dayOf(testStart), end: dayOf(Math.min(testStart + testDays - 1, end)) },
    });
  }
  return {
    range: { start: dayOf(start), end: dayOf(end) },
    outOfSample: { start: steps[0].test.start, end: dayOf(end) },
    steps,
  };
}

function describeShortRange(
  series: MarketSeries,
  input: WalkForwardInput,
  available: ReturnType<typeof fgiDays>,
  start: number,
  end: number,
  days: number,
): string {
  const name = `${series.asset} ${series.timeframe}`;
  const need = `a walk-forward with ${input.trainDays} training and ${input.testDays} test days needs at least ${input.trainDays + input.testDays} days`;
  if (!available) return `No ${name} bar has a Fear & Greed value; ${need}.`;
  const span = `${name} has bars with a Fear & Greed value from ${dayOf(available.first)} to ${dayOf(available.last)} (${available.bars} bars)`;
  const asked = input.dateRange
    ? days > 0
      ? `; ${input.dateRange.start}..${input.dateRange.end} holds ${days} of those days (${dayOf(start)} to ${dayOf(end)}, ${barsBetween(series, start, end)} bars)`
      : `; none of them lies in ${input.dateRange.start}..${input.dateRange.end}`
    : '';
  return `${span}${asked}; ${need}.`;
}

function barsBetween(series: MarketSeries, firstDay: number, lastDay: number): number {
  let count = 0;
  for (let i = 0; i < series.openTime.length; i++) {
    const day = utcDay(series.openTime[i]);
    if (day >= firstDay && day <= lastDay && !Number.isNaN(series.fgi[i])) count++;
  }
  return count;
}

/**
 * Cache key of SPEC §11: `WF-{asset}-{timeframe}-{leverage}x-{strategy}-{trainDays}-{testDays}-{objective}`
 * then `-anchored`, `-m{minTrades}` when not 1, `-e{extremeLow}-{extremeHigh}`, `-{start}-{end}`
 * when given. Built only from validated values, e.g. `WF-ETH-4h-3x-contrarian-365-90-sharpeRatio`.
 */
export function walkForwardKey(input: WalkForwardInput): string {
  const parts = [
    'WF',
    input.asset,
    input.timeframe,
    `${input.leverage}x`,
    input.strategy,
    String(input.trainDays),
    String(input.testDays),
    input.objective,
  ];
  if (input.anchored) parts.push('anchored');
  if (input.minTrades !== 1) parts.push(`m${input.minTrades}`);
  if (input.extremeLowThreshold !== undefined && input.extremeHighThreshold !== undefined) {
    parts.push(`e${input.extremeLowThreshold}`, String(input.extremeHighThreshold));
  }
  if (input.dateRange) parts.push(input.dateRange.start, input.dateRange.end);
  return parts.join('-');
}

/** The input without the request-only `forceRefresh` flag. */
export function walkForwardInput(request: WalkForwardInput & { forceRefresh?: boolean }): WalkForwardInput {
  const { forceRefresh: _forceRefresh, ...input } = request;
  return input;
}
