import { describe, expect, it } from 'vitest';
import { backtestParamsSchema, warmOptionsSchema } from '@/lib/schemas';
import { buildWarmPlan } from '@/lib/warm/plan';

const options = (input: object) => warmOptionsSchema.parse(input);

describe('buildWarmPlan: default preset', () => {
  const plan = buildWarmPlan(options({}));

  it('has the SPEC §7 tiers in order: 60 high, then 24 medium, then 6 low', () => {
    // high: SOL/ETH × 4h × leverage 2/3/5 × 2 strategies × 5 threshold pairs = 2·1·3·2·5 = 60
    // medium: 3 assets × 1h/4h × leverage 1/4 × 2 strategies × 20/80 = 3·2·2·2·1 = 24
    // low: BTC × 4h × leverage 6/8/10 × contrarian × 15/85, 48/52 = 1·1·3·1·2 = 6
    expect(plan).toHaveLength(90);
    const high = plan.slice(0, 60);
    const medium = plan.slice(60, 84);
    const low = plan.slice(84);
    expect(new Set(high.map((p) => p.asset))).toEqual(new Set(['SOL', 'ETH']));
    expect(high.every((p) => p.timeframe === '4h' && [2, 3, 5].includes(p.leverage))).toBe(true);
    expect(new Set(high.map((p) => `${p.lowThreshold}/${p.highThreshold}`))).toEqual(
      new Set(['25/75', '35/65', '45/55', '30/70', '40/60']),
    );
    expect(medium.every((p) => p.lowThreshold === 20 && p.highThreshold === 80)).toBe(true);
    expect(new Set(medium.map((p) => `${p.asset}-${p.timeframe}-${p.leverage}`)).size).toBe(12);
    expect(low.every((p) => p.asset === 'BTC' && p.strategy === 'contrarian')).toBe(true);
    expect(low.map((p) => p.leverage).sort()).toEqual([10, 10, 6, 6, 8, 8]);
    expect(new Set(plan.map((p) => JSON.stringify(p))).size).toBe(90);
  });

  it('yields only valid params', () => {
    for (const p of plan) expect(backtestParamsSchema.safeParse(p).success).toBe(true);
  });

  it('narrows the tiers with explicit lists and passes the dateRange through', () => {
    const narrowed = buildWarmPlan(
      options({ assets: ['BTC'], dateRange: { start: '2024-01-01', end: '2024-03-31' } }),
    );
    // medium BTC: 2 timeframes × 2 leverages × 2 strategies = 8; low: 6; high has no BTC.
    expect(narrowed).toHaveLength(14);
    expect(narrowed.every((p) => p.dateRange?.start === '2024-01-01')).toBe(true);
  });

  it('adds extreme thresholds to contrarian runs only, where they fit', () => {
    const withExtremes = buildWarmPlan(options({ extremeLowThreshold: 10, extremeHighThreshold: 90 }));
    expect(withExtremes.every((p) => p.strategy === 'contrarian' && p.extremeLowThreshold === 10)).toBe(true);
    // contrarian: high 30 + medium 12 + low 6 = 48
    expect(withExtremes).toHaveLength(48);
  });
});

describe('buildWarmPlan: grid preset', () => {
  it('covers every integer low < high pair: 4,950 for 1..99 × 2..100', () => {
    const plan = buildWarmPlan(options({ preset: 'grid' }));
    // Σ_{low=1}^{99} (100 − low) = 99·100/2 = 4950
    expect(plan).toHaveLength(4950);
    expect(plan.every((p) => p.asset === 'ETH' && p.timeframe === '4h' && p.leverage === 3)).toBe(true);
    expect(plan.every((p) => p.lowThreshold < p.highThreshold)).toBe(true);
  });

  it('steps through the ranges and crosses the lists', () => {
    const plan = buildWarmPlan(
      options({ preset: 'grid', lowMin: 10, lowMax: 30, highMin: 20, highMax: 40, step: 10, assets: ['BTC', 'SOL'], strategies: ['contrarian', 'momentum'] }),
    );
    // lows 10,20,30 × highs 20,30,40 with low < high: (10,20)(10,30)(10,40)(20,30)(20,40)(30,40) = 6
    expect(plan).toHaveLength(6 * 2 * 2);
  });
});

describe('warmOptionsSchema', () => {
  it('rejects an invalid option with a message naming the field', () => {
    const r = warmOptionsSchema.safeParse({ preset: 'everything' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toContain('preset');
    expect(warmOptionsSchema.safeParse({ leverages: [13] }).success).toBe(false);
    expect(warmOptionsSchema.safeParse({ lowMin: 50, lowMax: 40 }).success).toBe(false);
  });
});
