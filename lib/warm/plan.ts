/**
 * Warm-up plans: the list of backtest params a warm-up job runs, in order. Pure.
 */
import {
  ASSETS,
  STRATEGIES,
  backtestParamsSchema,
  type Asset,
  type BacktestParams,
  type Strategy,
  type Timeframe,
  type WarmOptions,
} from '../schemas';

/** One tier of the default preset: the cross product of its lists. */
interface Tier {
  name: 'high' | 'medium' | 'low';
  assets: readonly Asset[];
  timeframes: readonly Timeframe[];
  leverages: readonly number[];
  strategies: readonly Strategy[];
  /** [low, high] threshold pairs. */
  thresholds: readonly (readonly [number, number])[];
}

/** The settings people use most, by priority (SPEC §7), high first. */
export const DEFAULT_TIERS: readonly Tier[] = [
  {
    name: 'high',
    assets: ['SOL', 'ETH'],
    timeframes: ['4h'],
    leverages: [2, 3, 5],
    strategies: STRATEGIES,
    thresholds: [
      [25, 75],
      [35, 65],
      [45, 55],
      [30, 70],
      [40, 60],
    ],
  },
  {
    name: 'medium',
    assets: ASSETS,
    timeframes: ['1h', '4h'],
    leverages: [1, 4],
    strategies: STRATEGIES,
    thresholds: [[20, 80]],
  },
  {
    name: 'low',
    assets: ['BTC'],
    timeframes: ['4h'],
    leverages: [6, 8, 10],
    strategies: ['contrarian'],
    thresholds: [
      [15, 85],
      [48, 52],
    ],
  },
];

/**
 * Builds the plan for `options`: the default tiers (lists in `options` narrow each tier's lists)
 * or the threshold grid. Extreme thresholds and the dateRange are added to every combination;
 * combinations they make invalid (extremes on momentum, or outside low/high) are left out, so
 * every returned params object passes `backtestParamsSchema`. Duplicates are removed, first wins.
 */
export function buildWarmPlan(options: WarmOptions): BacktestParams[] {
  const combos = options.preset === 'grid' ? gridCombos(options) : defaultCombos(options);
  const seen = new Set<string>();
  const plan: BacktestParams[] = [];
  for (const combo of combos) {
    const params: BacktestParams = {
      ...combo,
      ...(options.extremeLowThreshold !== undefined && {
        extremeLowThreshold: options.extremeLowThreshold,
        extremeHighThreshold: options.extremeHighThreshold,
      }),
      ...(options.dateRange && { dateRange: options.dateRange }),
    };
    if (!backtestParamsSchema.safeParse(params).success) continue;
    const id = JSON.stringify(params);
    if (seen.has(id)) continue;
    seen.add(id);
    plan.push(params);
  }
  return plan;
}

type Combo = Pick<
  BacktestParams,
  'asset' | 'timeframe' | 'leverage' | 'lowThreshold' | 'highThreshold' | 'strategy'
>;

function narrow<T>(tierValues: readonly T[], chosen: readonly T[] | undefined): readonly T[] {
  return chosen ? tierValues.filter((v) => chosen.includes(v)) : tierValues;
}

function* defaultCombos(o: WarmOptions): Generator<Combo> {
  for (const tier of DEFAULT_TIERS) {
    yield* crossProduct(
      narrow(tier.assets, o.assets),
      narrow(tier.timeframes, o.timeframes),
      narrow(tier.leverages, o.leverages),
      narrow(tier.strategies, o.strategies),
      tier.thresholds,
    );
  }
}

function* gridCombos(o: WarmOptions): Generator<Combo> {
  const pairs: [number, number][] = [];
  for (let low = o.lowMin; low <= o.lowMax; low += o.step) {
    for (let high = o.highMin; high <= o.highMax; high += o.step) {
      if (low < high) pairs.push([low, high]);
    }
  }
  yield* crossProduct(
    o.assets ?? ['ETH'],
    o.timeframes ?? ['4h'],
    o.leverages ?? [3],
    o.strategies ?? ['contrarian'],
    pairs,
  );
}

function* crossProduct(
  assets: readonly Asset[],
  timeframes: readonly Timeframe[],
  leverages: readonly number[],
  strategies: readonly Strategy[],
  thresholds: readonly (readonly [number, number])[],
): Generator<Combo> {
  for (const asset of assets)
    for (const timeframe of timeframes)
      for (const leverage of leverages)
        for (const strategy of strategies)
          for (const [lowThreshold, highThreshold] of thresholds)
            yield { asset, timeframe, leverage, lowThreshold, highThreshold, strategy };
}
