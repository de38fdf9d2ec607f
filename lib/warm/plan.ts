/**
 * Warm-up plans: the list of backtest params a warm-up job runs, in order. Pure.
 */
import { RequestError } from '../errors';
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
  const seen = new Set<string>();
  const plan: BacktestParams[] = [];
  for (const combo of planCombos(options)) {
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

/** One cross product of a plan: every asset × timeframe × leverage × strategy × threshold pair. */
type Block = Omit<Tier, 'name'>;

/**
 * Most combinations one warm-up job of the server may plan. A plan is built in one synchronous
 * pass (about 2.5 µs and 0.6 KB per combination), so a bound keeps a single request from
 * blocking the server for seconds; the largest single-market grid is 4,950.
 */
export const MAX_WARM_JOB_COMBINATIONS = 100_000;

/**
 * Number of combinations `buildWarmPlan(options)` considers (an upper bound on the plan's
 * length: combinations made invalid by extreme thresholds are left out later). Cheap: no plan
 * is built.
 */
export function warmPlanSize(options: WarmOptions): number {
  return planBlocks(options).reduce(
    (sum, b) => sum + b.assets.length * b.timeframes.length * b.leverages.length * b.strategies.length * b.thresholds.length,
    0,
  );
}

/**
 * The plan of one warm-up job (endpoint and script alike).
 * @throws RequestError 400 when the options select more than MAX_WARM_JOB_COMBINATIONS
 * combinations or no valid one.
 */
export function planWarmJob(options: WarmOptions): BacktestParams[] {
  const size = warmPlanSize(options);
  if (size > MAX_WARM_JOB_COMBINATIONS) {
    throw new RequestError(
      `the options select ${size} combinations; one job runs at most ${MAX_WARM_JOB_COMBINATIONS} ` +
        '(narrow the assets, timeframes, leverages, strategies or threshold ranges, or raise step)',
    );
  }
  const plan = buildWarmPlan(options);
  if (plan.length === 0) throw new RequestError('the options select no valid combination');
  return plan;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

function narrow<T>(tierValues: readonly T[], chosen: readonly T[] | undefined): readonly T[] {
  return chosen ? tierValues.filter((v) => chosen.includes(v)) : tierValues;
}

/** The cross products of a plan; lists never repeat an item, whatever the options repeat. */
function planBlocks(o: WarmOptions): Block[] {
  if (o.preset !== 'grid') {
    return DEFAULT_TIERS.map((tier) => ({
      assets: narrow(tier.assets, o.assets),
      timeframes: narrow(tier.timeframes, o.timeframes),
      leverages: narrow(tier.leverages, o.leverages),
      strategies: narrow(tier.strategies, o.strategies),
      thresholds: tier.thresholds,
    }));
  }
  const pairs: [number, number][] = [];
  for (let low = o.lowMin; low <= o.lowMax; low += o.step) {
    for (let high = o.highMin; high <= o.highMax; high += o.step) {
      if (low < high) pairs.push([low, high]);
    }
  }
  return [
    {
      assets: unique(o.assets ?? ['ETH']),
      timeframes: unique(o.timeframes ?? ['4h']),
      leverages: unique(o.leverages ?? [3]),
      strategies: unique(o.strategies ?? ['contrarian']),
      thresholds: pairs,
    },
  ];
}

function* planCombos(options: WarmOptions): Generator<Combo> {
  for (const block of planBlocks(options)) yield* crossProduct(block);
}

function* crossProduct({ assets, timeframes, leverages, strategies, thresholds }: Block): Generator<Combo> {
  for (const asset of assets)
    for (const timeframe of timeframes)
      for (const leverage of leverages)
        for (const strategy of strategies)
          for (const [lowThreshold, highThreshold] of thresholds)
            yield { asset, timeframe, leverage, lowThreshold, highThreshold, strategy };
}
