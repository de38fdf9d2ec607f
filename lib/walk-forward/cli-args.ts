/**
 * Command-line flags of `scripts/walk-forward.ts`, turned into a validated request with the
 * shared schema (lib/schemas.ts). Pure.
 */
import { parseArgs } from 'node:util';
import { BACKTEST_FLAGS, flagNumber, requestFields } from '../cli-flags';
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
  ...BACKTEST_FLAGS,
  train: { type: 'string' },
  test: { type: 'string' },
  objective: { type: 'string' },
  'min-trades': { type: 'string' },
  anchored: { type: 'boolean' },
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
  const body = requestFields(v, {
    trainDays: flagNumber(v.train),
    testDays: flagNumber(v.test),
    objective: v.objective,
    minTrades: flagNumber(v['min-trades']),
    anchored: v.anchored,
  });
  const parsed = walkForwardRequestSchema.safeParse(body);
  if (!parsed.success) {
    const message = formatZodError(parsed.error).replace(
      /(^|; )(\w+)(?=[.:])/g,
      (_, sep: string, field: string) => `${sep}${FLAG_OF_FIELD[field] ?? `--${field}`}`,
    );
    throw new Error(`invalid arguments: ${message}`);
  }
  return { request: parsed.data, json: v.json ?? false, help: false };
}
