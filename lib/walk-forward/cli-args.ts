/**
 * Command-line flags of `scripts/walk-forward.ts`, turned into a validated request with the
 * shared schema (lib/schemas.ts). Pure.
 */
import { parseArgs } from 'node:util';
import { formatZodError, walkForwardRequestSchema, type WalkForwardRequest } from '../schemas';

export const WALK_FORWARD_USAGE = `Usage: npm run walk-forward -- --asset BTC|ETH|SOL --timeframe 15m|1h|4h --leverage 1-12
         --strategy contrarian|momentum
         [--train 365]          training window, UTC days (30-1460)
         [--test 90]            test window, UTC days (7-365, at most --train)
         [--objective sharpeRatio|returns|calmarRatio]
         [--min-trades 1]       fewest trades a pair needs in its training window (0-100)
         [--anchored]           training windows from the overall start (default: rolling)
         [--extreme-low N --extreme-high N]   fixed extreme thresholds (contrarian only)
         [--start YYYY-MM-DD --end YYYY-MM-DD] overall range (default: all data with FGI)
         [--json]               print the result object the API returns

Exit code 2 for invalid arguments, 1 when the analysis cannot run.`;

const OPTIONS = {
  asset: { type: 'string' },
  timeframe: { type: 'string' },
  leverage: { type: 'string' },
  strategy: { type: 'string' },
  train: { type: 'string' },
  test: { type: 'string' },
  objective: { type: 'string' },
  'min-trades': { type: 'string' },
  anchored: { type: 'boolean' },
  'extreme-low': { type: 'string' },
  'extreme-high': { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const FLAG_OF_FIELD: Record<string, string> = {
  trainDays: '--train',
  testDays: '--test',
  minTrades: '--min-trades',
  extremeLowThreshold: '--extreme-low',
  extremeHighThreshold: '--extreme-high',
  dateRange: '--start/--end',
};

/** What the script should do. */
export interface WalkForwardCommand {
  request: WalkForwardRequest;
  json: boolean;
  help: boolean;
}

/**
 * Parses argv (without node and script).
 * @throws Error whose message names the flag when a flag or value is invalid.
 */
export function parseWalkForwardArgs(argv: string[]): WalkForwardCommand {
  const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (v.help) return { request: null as unknown as WalkForwardRequest, json: false, help: true };
  // Numbers stay NaN when not numeric, so the schema names the field.
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const body: Record<string, unknown> = {
    asset: v.asset,
    timeframe: v.timeframe,
    leverage: num(v.leverage),
    strategy: v.strategy,
    trainDays: num(v.train),
    testDays: num(v.test),
    objective: v.objective,
    minTrades: num(v['min-trades']),
    anchored: v.anchored,
    extremeLowThreshold: num(v['extreme-low']),
    extremeHighThreshold: num(v['extreme-high']),
    dateRange: v.start === undefined && v.end === undefined ? undefined : { start: v.start, end: v.end },
  };
  const parsed = walkForwardRequestSchema.safeParse(
    Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)),
  );
  if (!parsed.success) {
    const message = formatZodError(parsed.error).replace(
      /(^|; )(\w+)(?=[.:])/g,
      (_, sep: string, field: string) => `${sep}${FLAG_OF_FIELD[field] ?? `--${field}`}`,
    );
    throw new Error(`invalid arguments: ${message}`);
  }
  return { request: parsed.data, json: v.json ?? false, help: false };
}
