/**
 * The real windows whose full results are pinned as golden JSON files (see golden.test.ts and
 * update-golden.ts). Dated windows only, so the files do not move when newer data arrives.
 */
import type { Asset, BacktestParams, Strategy, Timeframe } from '../../lib/schemas';

function base(
  asset: Asset,
  timeframe: Timeframe,
  leverage: number,
  lowThreshold: number,
  highThreshold: number,
  strategy: Strategy,
): BacktestParams {
  return { asset, timeframe, leverage, lowThreshold, highThreshold, strategy };
}

export const GOLDEN_CASES: BacktestParams[] = [
  {
    ...base('ETH', '4h', 3, 25, 75, 'contrarian'),
    dateRange: { start: '2024-01-01', end: '2024-12-31' },
  },
  {
    ...base('BTC', '1h', 5, 40, 60, 'momentum'),
    dateRange: { start: '2022-05-01', end: '2022-07-31' },
  },
  {
    ...base('SOL', '4h', 10, 30, 70, 'contrarian'),
    extremeLowThreshold: 15,
    extremeHighThreshold: 85,
    dateRange: { start: '2021-01-01', end: '2021-12-31' },
  },
  {
    ...base('ETH', '15m', 2, 45, 55, 'contrarian'),
    dateRange: { start: '2025-03-01', end: '2025-05-31' },
  },
  {
    ...base('BTC', '4h', 12, 45, 55, 'momentum'),
    dateRange: { start: '2022-01-01', end: '2022-12-31' },
  },
];

/** File name of a case: the cache key shape of SPEC §5 plus `.json`. */
export function goldenFileName(p: BacktestParams): string {
  const extreme =
    p.extremeLowThreshold !== undefined ? `-e${p.extremeLowThreshold}-${p.extremeHighThreshold}` : '';
  const range = p.dateRange ? `-${p.dateRange.start}-${p.dateRange.end}` : '';
  const thresholds = `${p.lowThreshold}-${p.highThreshold}`;
  return `${p.asset}-${p.timeframe}-${p.leverage}x-${thresholds}-${p.strategy}${extreme}${range}.json`;
}
