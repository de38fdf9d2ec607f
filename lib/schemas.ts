/**
 * The one zod schema module of Split Sea: request and parameter shapes shared by the route
 * handlers, the page and the scripts, so that client and server agree by construction.
 * Client-safe: no Node imports.
 */
import { z } from 'zod';

/** Assets the app trades, as Binance spot base assets quoted in USDT. */
export const ASSETS = ['BTC', 'ETH', 'SOL'] as const;
/** Bar intervals the app backtests. */
export const TIMEFRAMES = ['15m', '1h', '4h'] as const;
/** contrarian: buy fear, sell greed; momentum: the reverse. */
export const STRATEGIES = ['contrarian', 'momentum'] as const;

export const assetSchema = z.enum(ASSETS, { error: 'asset must be one of BTC, ETH, SOL' });
export const timeframeSchema = z.enum(TIMEFRAMES, { error: 'timeframe must be one of 15m, 1h, 4h' });
export const strategySchema = z.enum(STRATEGIES, {
  error: 'strategy must be contrarian or momentum',
});

export type Asset = z.infer<typeof assetSchema>;
export type Timeframe = z.infer<typeof timeframeSchema>;
export type Strategy = z.infer<typeof strategySchema>;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Error option of a strict object: `message` when the value is not an object, and
 * `unknown field "x"` (under the object's path) when it has a key the schema does not know.
 */
const objectError = (message: string) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys' && issue.keys
    ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
    : message;

/** True when `s` is a real calendar day written as YYYY-MM-DD (UTC). */
export function isIsoDay(s: string): boolean {
  if (!ISO_DAY.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

const isoDaySchema = z
  .string({ error: 'must be a date string YYYY-MM-DD' })
  .refine(isIsoDay, { error: 'must be a valid UTC day YYYY-MM-DD' });

/** Inclusive range of UTC days; start ≤ end. */
export const dateRangeSchema = z
  .strictObject(
    { start: isoDaySchema, end: isoDaySchema },
    { error: objectError('dateRange must be an object { start, end }') },
  )
  .refine((r) => r.start <= r.end, { error: 'dateRange start must not be after end' });

export type DateRange = z.infer<typeof dateRangeSchema>;

const intIn = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be an integer from ${min} to ${max}` })
    .int({ error: `${field} must be an integer from ${min} to ${max}` })
    .min(min, { error: `${field} must be an integer from ${min} to ${max}` })
    .max(max, { error: `${field} must be an integer from ${min} to ${max}` });

/** Extreme thresholds come as a pair and apply to the contrarian strategy only. */
function checkExtremePair(
  p: { strategy: Strategy; extremeLowThreshold?: number; extremeHighThreshold?: number },
  ctx: z.RefinementCtx,
): void {
  const hasLow = p.extremeLowThreshold !== undefined;
  const hasHigh = p.extremeHighThreshold !== undefined;
  if (hasLow !== hasHigh) {
    ctx.addIssue({
      code: 'custom',
      path: [hasLow ? 'extremeHighThreshold' : 'extremeLowThreshold'],
      message: 'extremeLowThreshold and extremeHighThreshold must be given together',
    });
  }
  if ((hasLow || hasHigh) && p.strategy !== 'contrarian') {
    ctx.addIssue({
      code: 'custom',
      path: ['strategy'],
      message: 'extreme thresholds apply to the contrarian strategy only',
    });
  }
}

/**
 * Parameters of one backtest (SPEC §6). Thresholds are FGI values (0–100); leverage is the
 * multiple of margin (1–12×). Extreme thresholds come as a pair (contrarian only).
 */
export const backtestParamsSchema = z
  .strictObject(
    {
      asset: assetSchema,
      timeframe: timeframeSchema,
      leverage: intIn('leverage', 1, 12),
      lowThreshold: intIn('lowThreshold', 1, 99),
      highThreshold: intIn('highThreshold', 2, 100),
      strategy: strategySchema,
      extremeLowThreshold: intIn('extremeLowThreshold', 0, 99).optional(),
      extremeHighThreshold: intIn('extremeHighThreshold', 2, 100).optional(),
      dateRange: dateRangeSchema.optional(),
    },
    { error: objectError('params must be an object') },
  )
  .superRefine((p, ctx) => {
    if (p.lowThreshold >= p.highThreshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['highThreshold'],
        message: 'highThreshold must be greater than lowThreshold',
      });
    }
    checkExtremePair(p, ctx);
    if (p.extremeLowThreshold !== undefined && p.extremeLowThreshold > p.lowThreshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['extremeLowThreshold'],
        message: 'extremeLowThreshold must be between 0 and lowThreshold',
      });
    }
    if (p.extremeHighThreshold !== undefined && p.extremeHighThreshold < p.highThreshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['extremeHighThreshold'],
        message: 'extremeHighThreshold must be between highThreshold and 100',
      });
    }
  });

export type BacktestParams = z.infer<typeof backtestParamsSchema>;

/** Body of POST /api/backtest/execute. */
export const executeRequestSchema = z.strictObject(
  {
    params: backtestParamsSchema,
    forceRefresh: z.boolean({ error: 'forceRefresh must be a boolean' }).optional(),
    priority: z.enum(['normal', 'high'], { error: 'priority must be normal or high' }).optional(),
    includeDetail: z.boolean({ error: 'includeDetail must be a boolean' }).optional(),
  },
  { error: objectError('body must be a JSON object') },
);
export type ExecuteRequest = z.infer<typeof executeRequestSchema>;

/** Body of POST /api/backtest/cache/clear. */
export const clearRequestSchema = z.strictObject(
  {
    scope: z.enum(['temporary', 'permanent', 'all', 'stale'], {
      error: 'scope must be one of temporary, permanent, all, stale',
    }),
    asset: assetSchema.optional(),
  },
  { error: objectError('body must be a JSON object') },
);
export type ClearRequest = z.infer<typeof clearRequestSchema>;
export type ClearScope = ClearRequest['scope'];

/** Metrics the threshold heatmap can show. */
export const HEATMAP_METRICS = ['returns', 'sharpeRatio', 'maxDrawdown'] as const;

/**
 * The fixed params of a threshold grid (heatmap, walk-forward): every backtest param but the
 * low/high thresholds. Extreme thresholds come as a pair (checkExtremePair).
 */
const gridFields = {
  asset: assetSchema,
  timeframe: timeframeSchema,
  leverage: intIn('leverage', 1, 12),
  strategy: strategySchema,
  extremeLowThreshold: intIn('extremeLowThreshold', 0, 99).optional(),
  extremeHighThreshold: intIn('extremeHighThreshold', 2, 100).optional(),
  dateRange: dateRangeSchema.optional(),
};

/**
 * Body of POST /api/backtest/heatmap: the grid's fixed params and the metric drawn. With extreme
 * thresholds, cells whose low is below extremeLow or whose high is above extremeHigh are empty
 * (those params would be invalid).
 */
export const heatmapRequestSchema = z
  .strictObject(
    {
      ...gridFields,
      metric: z
        .enum(HEATMAP_METRICS, { error: 'metric must be one of returns, sharpeRatio, maxDrawdown' })
        .optional(),
    },
    { error: objectError('body must be a JSON object') },
  )
  .superRefine(checkExtremePair);
export type HeatmapRequest = z.infer<typeof heatmapRequestSchema>;
export type HeatmapMetric = (typeof HEATMAP_METRICS)[number];

/**
 * Turns a zod error into one readable line that starts with the offending field's name,
 * e.g. `params.leverage: leverage must be an integer from 1 to 12`.
 */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Warm-up presets: `default` = the SPEC §7 priority tiers; `grid` = every low < high pair. */
export const WARM_PRESETS = ['default', 'grid'] as const;

const listOf = <T extends z.ZodType>(field: string, item: T) =>
  z
    .array(item, { error: `${field} must be a non-empty list` })
    .min(1, { error: `${field} must be a non-empty list` })
    .max(100, { error: `${field} must have at most 100 items` });

/**
 * Options of a warm-up job (POST /api/backtest/warm-cache body and `scripts/cache-warmer.ts`
 * flags). The threshold grid covers every integer low in [lowMin, lowMax] and high in
 * [highMin, highMax] with low < high, stepping by `step`. Lists left out take the preset's values.
 */
export const warmOptionsSchema = z
  .strictObject(
    {
      preset: z.enum(WARM_PRESETS, { error: 'preset must be default or grid' }).default('default'),
      assets: listOf('assets', assetSchema).optional(),
      timeframes: listOf('timeframes', timeframeSchema).optional(),
      leverages: listOf('leverages', intIn('leverages', 1, 12)).optional(),
      strategies: listOf('strategies', strategySchema).optional(),
      lowMin: intIn('lowMin', 1, 99).default(1),
      lowMax: intIn('lowMax', 1, 99).default(99),
      highMin: intIn('highMin', 2, 100).default(2),
      highMax: intIn('highMax', 2, 100).default(100),
      step: intIn('step', 1, 50).default(1),
      extremeLowThreshold: intIn('extremeLowThreshold', 0, 99).optional(),
      extremeHighThreshold: intIn('extremeHighThreshold', 2, 100).optional(),
      dateRange: dateRangeSchema.optional(),
      permanent: z.boolean({ error: 'permanent must be a boolean' }).default(false),
      concurrency: intIn('concurrency', 1, 64).default(4),
    },
    { error: objectError('body must be a JSON object') },
  )
  .superRefine((o, ctx) => {
    if (o.lowMin > o.lowMax) {
      ctx.addIssue({ code: 'custom', path: ['lowMax'], message: 'lowMax must not be below lowMin' });
    }
    if (o.highMin > o.highMax) {
      ctx.addIssue({ code: 'custom', path: ['highMax'], message: 'highMax must not be below highMin' });
    }
    if ((o.extremeLowThreshold === undefined) !== (o.extremeHighThreshold === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['extremeLowThreshold'],
        message: 'extremeLowThreshold and extremeHighThreshold must be given together',
      });
    }
  });
/** Warm-up options as given (defaults not yet applied). */
export type WarmOptionsInput = z.input<typeof warmOptionsSchema>;
/** Warm-up options with defaults applied. */
export type WarmOptions = z.output<typeof warmOptionsSchema>;

/** What a walk-forward step maximises on its training window (SPEC §11). */
export const WALK_FORWARD_OBJECTIVES = ['returns', 'sharpeRatio', 'calmarRatio'] as const;
export type WalkForwardObjective = (typeof WALK_FORWARD_OBJECTIVES)[number];

/**
 * Body of POST /api/backtest/walk-forward and the flags of `scripts/walk-forward.ts` (SPEC §11):
 * the fixed params of the grid, an overall dateRange (default: all data with an FGI value),
 * training and test window lengths in UTC days (testDays ≤ trainDays), the objective, the
 * fewest trades a pair needs in its training window, and anchored (training from the overall
 * start) or rolling training windows. Defaults applied on parse.
 */
export const walkForwardRequestSchema = z
  .strictObject(
    {
      ...gridFields,
      trainDays: intIn('trainDays', 30, 1460).default(365),
      testDays: intIn('testDays', 7, 365).default(90),
      objective: z
        .enum(WALK_FORWARD_OBJECTIVES, { error: 'objective must be one of returns, sharpeRatio, calmarRatio' })
        .default('sharpeRatio'),
      minTrades: intIn('minTrades', 0, 100).default(1),
      anchored: z.boolean({ error: 'anchored must be a boolean' }).default(false),
      forceRefresh: z.boolean({ error: 'forceRefresh must be a boolean' }).optional(),
    },
    { error: objectError('body must be a JSON object') },
  )
  .superRefine((r, ctx) => {
    checkExtremePair(r, ctx);
    if (r.testDays > r.trainDays) {
      ctx.addIssue({ code: 'custom', path: ['testDays'], message: 'testDays must not exceed trainDays' });
    }
  });
/** A walk-forward request as given (defaults not yet applied). */
export type WalkForwardRequestInput = z.input<typeof walkForwardRequestSchema>;
/** A validated walk-forward request with defaults applied. */
export type WalkForwardRequest = z.output<typeof walkForwardRequestSchema>;
