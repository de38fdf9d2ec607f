import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheKey, isCacheKey, keyMarket } from '@/lib/cache/key';
import { ASSETS, STRATEGIES, TIMEFRAMES, backtestParamsSchema, type BacktestParams } from '@/lib/schemas';

describe('cacheKey', () => {
  it('builds the SPEC examples', () => {
    expect(
      cacheKey({ asset: 'ETH', timeframe: '4h', leverage: 3, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian' }),
    ).toBe('ETH-4h-3x-25-75-contrarian');
    expect(
      cacheKey({
        asset: 'SOL',
        timeframe: '4h',
        leverage: 5,
        lowThreshold: 30,
        highThreshold: 70,
        strategy: 'momentum',
        dateRange: { start: '2024-01-01', end: '2024-03-31' },
      }),
    ).toBe('SOL-4h-5x-30-70-momentum-2024-01-01-2024-03-31');
  });

  it('adds extreme thresholds before the date range', () => {
    expect(
      cacheKey({
        asset: 'BTC',
        timeframe: '15m',
        leverage: 12,
        lowThreshold: 20,
        highThreshold: 80,
        strategy: 'contrarian',
        extremeLowThreshold: 0,
        extremeHighThreshold: 100,
        dateRange: { start: '2023-05-01', end: '2023-05-01' },
      }),
    ).toBe('BTC-15m-12x-20-80-contrarian-e0-100-2023-05-01-2023-05-01');
  });

  const validParams = fc
    .record({
      asset: fc.constantFrom(...ASSETS),
      timeframe: fc.constantFrom(...TIMEFRAMES),
      leverage: fc.integer({ min: 1, max: 12 }),
      low: fc.integer({ min: 1, max: 98 }),
      gap: fc.integer({ min: 1, max: 99 }),
      strategy: fc.constantFrom(...STRATEGIES),
      extreme: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
      range: fc.option(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 400 })), { nil: undefined }),
    })
    .map((r): BacktestParams => {
      const high = Math.min(100, r.low + r.gap);
      const day = (offset: number) => new Date(Date.UTC(2018, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
      const p: BacktestParams = {
        asset: r.asset,
        timeframe: r.timeframe,
        leverage: r.leverage,
        lowThreshold: r.low,
        highThreshold: high,
        strategy: r.extreme ? 'contrarian' : r.strategy,
      };
      if (r.extreme) {
        p.extremeLowThreshold = r.extreme[0] % (r.low + 1);
        p.extremeHighThreshold = high + (r.extreme[1] % (101 - high));
      }
      if (r.range) p.dateRange = { start: day(r.range[0]), end: day(r.range[0] + r.range[1]) };
      return backtestParamsSchema.parse(p);
    });

  it('always yields a key of the documented shape that names its market', () => {
    fc.assert(
      fc.property(validParams, (params) => {
        const key = cacheKey(params);
        expect(isCacheKey(key)).toBe(true);
        expect(keyMarket(key)).toEqual({ asset: params.asset, timeframe: params.timeframe });
      }),
    );
  });

  it('gives distinct params distinct keys', () => {
    const canonical = (p: BacktestParams) =>
      JSON.stringify([p.asset, p.timeframe, p.leverage, p.lowThreshold, p.highThreshold, p.strategy,
        p.extremeLowThreshold ?? null, p.extremeHighThreshold ?? null, p.dateRange?.start ?? null, p.dateRange?.end ?? null]);
    fc.assert(
      fc.property(fc.uniqueArray(validParams, { selector: canonical, minLength: 2, maxLength: 60 }), (list) => {
        expect(new Set(list.map(cacheKey)).size).toBe(list.length);
      }),
    );
  });
});

describe('isCacheKey', () => {
  it.each(['../ETH-4h-3x-25-75-contrarian', 'ETH-4h-3x-25-75-contrarian/..', 'ETH-4h-3x-25-75-contrarian.json', '', 'eth-4h-3x-25-75-contrarian', 'ETH-4h-3x-25-75-contrarian-../../x'])(
    'rejects %j',
    (name) => expect(isCacheKey(name)).toBe(false),
  );
});
