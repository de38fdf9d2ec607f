import { describe, expect, it } from 'vitest';
import type { FundingCoverage } from '@/lib/client/api-types';
import { fundingNote, rangeNotice, type ShownResult } from '@/lib/client/result-notes';
import type { CoverageEntry } from '@/lib/market-data/types';
import { ETH_4H_PARAMS } from '../helpers/params';

const coverage: CoverageEntry[] = [
  { symbol: 'ETHUSDT', interval: '15m', first: '2024-12-05T00:00:00.000Z', last: '2025-11-30T23:45:00.000Z', bars: 34_000, gaps: [] },
  { symbol: 'FGI', interval: '1d', first: '2018-02-01T00:00:00.000Z', last: '2026-01-06T00:00:00.000Z', bars: 2_900, gaps: [] },
];
const params15m = { ...ETH_4H_PARAMS, timeframe: '15m' as const, dateRange: { start: '2019-01-01', end: '2025-12-31' } };

describe('range notice', () => {
  it('says what ran and why when the data starts later and ends earlier than asked', () => {
    const period = { start: '2024-12-05T00:00:00.000Z', end: '2025-12-01T00:00:00.000Z' };
    expect(rangeNotice({ params: params15m, period }, coverage)).toBe(
      'Ran 2024-12-05 → 2025-11-30 UTC, not 2019-01-01 → 2025-12-31: ETHUSDT 15m data starts 2024-12-05, ETHUSDT 15m data ends 2025-11-30',
    );
  });

  it('names the FGI when it is the series that starts later', () => {
    const params = { ...ETH_4H_PARAMS, dateRange: { start: '2017-09-01', end: '2017-12-31' } };
    const withPrice: CoverageEntry[] = [{ ...coverage[0], interval: '4h', first: '2017-08-17T04:00:00.000Z' }, coverage[1]];
    const period = { start: '2018-02-01T00:00:00.000Z', end: '2018-01-01T00:00:00.000Z' };
    expect(rangeNotice({ params, period }, withPrice)).toMatch(/: the FGI starts 2018-02-01$/);
  });

  it('is silent when the period matches the dates asked, or no dates were asked', () => {
    const params = { ...ETH_4H_PARAMS, dateRange: { start: '2024-01-01', end: '2024-12-31' } };
    expect(rangeNotice({ params, period: { start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' } })).toBeNull();
    expect(rangeNotice({ params: ETH_4H_PARAMS, period: { start: '2025-10-01T00:00:00.000Z', end: '2026-01-01T00:00:00.000Z' } })).toBeNull();
  });

  it('still explains without coverage', () => {
    const period = { start: '2024-12-05T00:00:00.000Z', end: '2026-01-01T00:00:00.000Z' };
    expect(rangeNotice({ params: params15m, period })).toBe('Ran 2024-12-05 → 2025-12-31 UTC, not 2019-01-01 → 2025-12-31: 15m data starts 2024-12-05');
  });
});

describe('funding note', () => {
  const result = (fundingCoverage: number | undefined, start = '2019-01-01T00:00:00.000Z', end = '2020-01-01T00:00:00.000Z') =>
    ({ params: ETH_4H_PARAMS, period: { start, end }, fundingCoverage }) as unknown as ShownResult;
  const funding: FundingCoverage[] = [
    { symbol: 'ETHUSDT', interval: 'funding', first: '2019-09-10T08:00:00.000Z', last: '2026-01-06T00:00:00.000Z', settlements: 6_900, gaps: [], conflicts: 0 },
  ];

  it('names real funding when every bar is covered', () => {
    expect(fundingNote(result(100), funding)).toBe('real Binance funding, 100 % of bars');
  });

  it('says from when the real history starts inside the window, and the share covered', () => {
    expect(fundingNote(result(61.7), funding)).toBe('fixed 0.01 %/8 h before 2019-09-10: 62 % real');
  });

  it('gives the share without a funding list (older servers) or when the history started before the window', () => {
    expect(fundingNote(result(40))).toBe('40 % of bars real Binance funding, the rest fixed 0.01 %/8 h');
  });

  it('falls back to the fixed rate with no coverage field or none covered', () => {
    expect(fundingNote(result(undefined))).toBe('fixed 0.01 %/8 h (this server reads no funding history)');
    expect(fundingNote(result(0), funding)).toBe('fixed 0.01 %/8 h (no funding history for this window)');
  });
});
