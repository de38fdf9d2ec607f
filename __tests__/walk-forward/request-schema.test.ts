import { describe, expect, it } from 'vitest';
import { formatZodError, walkForwardRequestSchema } from '@/lib/schemas';

const base = { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' };
const error = (body: unknown) => {
  const parsed = walkForwardRequestSchema.safeParse(body);
  if (parsed.success) throw new Error('expected a validation error');
  return formatZodError(parsed.error);
};

describe('walk-forward request schema', () => {
  it('applies the defaults of SPEC §11', () => {
    expect(walkForwardRequestSchema.parse(base)).toEqual({
      ...base,
      trainDays: 365,
      testDays: 90,
      objective: 'sharpeRatio',
      minTrades: 1,
      anchored: false,
    });
  });

  it.each([
    [{ trainDays: 29 }, /^trainDays: trainDays must be an integer from 30 to 1460/],
    [{ trainDays: 1461 }, /^trainDays: /],
    [{ testDays: 6 }, /^testDays: testDays must be an integer from 7 to 365$/],
    [{ trainDays: 100, testDays: 120 }, /^testDays: testDays must not exceed trainDays$/],
    [{ objective: 'maxDrawdown' }, /^objective: objective must be one of returns, sharpeRatio, calmarRatio$/],
    [{ minTrades: 101 }, /^minTrades: /],
    [{ minTrades: 1.5 }, /^minTrades: /],
    [{ anchored: 'yes' }, /^anchored: anchored must be a boolean$/],
    [{ dateRange: { start: '2024-02-30', end: '2024-03-01' } }, /^dateRange\.start: /],
    [{ extremeLowThreshold: 10 }, /^extremeHighThreshold: /],
    [{ strategy: 'momentum', extremeLowThreshold: 10, extremeHighThreshold: 90 }, /strategy: extreme thresholds apply to the contrarian strategy only/],
    [{ leverage: 13 }, /^leverage: /],
    [{ lowThreshold: 20 }, /unknown field "lowThreshold"/],
  ])('names the field of %o', (change, message) => {
    expect(error({ ...base, ...change })).toMatch(message);
  });
});
