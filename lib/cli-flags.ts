/**
 * The command-line flags that `npm run backtest` and `npm run walk-forward` share (one backtest's
 * asset, timeframe, leverage, strategy, extreme thresholds and date range), for node:util
 * parseArgs, and their translation into the fields of the shared request schemas
 * (lib/schemas.ts). Values stay strings until then; a number flag that is not numeric becomes NaN
 * so the schema names the field. Pure.
 */

/** parseArgs options of the shared flags (`--start`/`--end` are UTC days, YYYY-MM-DD). */
export const BACKTEST_FLAGS = {
  asset: { type: 'string' },
  timeframe: { type: 'string' },
  leverage: { type: 'string' },
  strategy: { type: 'string' },
  'extreme-low': { type: 'string' },
  'extreme-high': { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The shared flags' values as parseArgs returns them. */
export interface BacktestFlagValues {
  asset?: string;
  timeframe?: string;
  leverage?: string;
  strategy?: string;
  'extreme-low'?: string;
  'extreme-high'?: string;
  start?: string;
  end?: string;
}

/** A number flag's value: undefined when absent, NaN when not numeric. */
export function flagNumber(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/**
 * The request fields of the shared flags plus `extra`, without the absent ones:
 * asset, timeframe, leverage, strategy, extremeLowThreshold, extremeHighThreshold, dateRange
 * (`{ start, end }` when either flag is given, so the schema reports a missing half).
 */
export function requestFields(values: BacktestFlagValues, extra: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    asset: values.asset,
    timeframe: values.timeframe,
    leverage: flagNumber(values.leverage),
    strategy: values.strategy,
    extremeLowThreshold: flagNumber(values['extreme-low']),
    extremeHighThreshold: flagNumber(values['extreme-high']),
    dateRange: values.start === undefined && values.end === undefined ? undefined : { start: values.start, end: values.end },
    ...extra,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
