/**
 * Command-line flags of `scripts/cache-warmer.ts`, turned into validated warm-up options with
 * the shared schema (lib/schemas.ts). Pure.
 */
import { parseArgs } from 'node:util';
import { formatZodError, warmOptionsSchema, type WarmOptions, type WarmOptionsInput } from '../schemas';

export const WARMER_USAGE = `Usage: bun run scripts/cache-warmer.ts [options]
       npx tsx scripts/cache-warmer.ts [options]   |   npm run cache-warmer -- [options]

Pre-computes backtests into the result cache (skips what is cached already).

  --preset default|grid     default: the priority tiers of common settings (SPEC §7);
                            grid: every low < high threshold pair in the ranges below
  --assets BTC,ETH,SOL      narrow the default tiers / choose the grid's assets (grid: ETH)
  --timeframes 15m,1h,4h    (grid: 4h)
  --leverages 1,3,5         integers 1-12 (grid: 3)
  --strategies contrarian,momentum   (grid: contrarian)
  --low-min N --low-max N   grid low thresholds (1..99)
  --high-min N --high-max N grid high thresholds (2..100)
  --step N                  grid step (1)
  --extreme-low N --extreme-high N   extreme thresholds for contrarian runs
  --start YYYY-MM-DD --end YYYY-MM-DD   a dateRange instead of the trailing 90 days
  --permanent               write to the permanent tier
  --concurrency N           backtests in flight at once (4)
  --url URL                 warm through a running server (starts a job there and follows it)
  --token TOKEN             admin token for --url (default: $CACHE_ADMIN_TOKEN)
  --every 6h                keep running: re-warm on this interval (s, m, h, d) and clean
                            stale entries; stops cleanly on SIGINT/SIGTERM
  --help                    this text

Exit code 1 when any combination failed, 2 on invalid options.`;

/** What the script should do. */
export interface WarmerCommand {
  options: WarmOptions;
  /** Base URL of a running server, or null for in-process warming. */
  url: string | null;
  token: string | undefined;
  /** Re-warm interval in ms, or null to run once. */
  everyMs: number | null;
  help: boolean;
}

const FLAG_OF_FIELD: Record<string, string> = {
  lowMin: '--low-min',
  lowMax: '--low-max',
  highMin: '--high-min',
  highMax: '--high-max',
  extremeLowThreshold: '--extreme-low',
  extremeHighThreshold: '--extreme-high',
  dateRange: '--start/--end',
};

/**
 * Parses argv (without node and script). Durations: `90s`, `30m`, `6h`, `1d`.
 * @throws Error with a message naming the flag when a flag or value is invalid.
 */
export function parseWarmerArgs(
  argv: string[],
  env: Record<string, string | undefined> = {},
): WarmerCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      preset: { type: 'string' },
      assets: { type: 'string' },
      timeframes: { type: 'string' },
      leverages: { type: 'string' },
      strategies: { type: 'string' },
      'low-min': { type: 'string' },
      'low-max': { type: 'string' },
      'high-min': { type: 'string' },
      'high-max': { type: 'string' },
      step: { type: 'string' },
      'extreme-low': { type: 'string' },
      'extreme-high': { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      permanent: { type: 'boolean' },
      concurrency: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      every: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const list = (s: string | undefined) => s?.split(',').map((v) => v.trim());
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const numbers = (s: string | undefined) => list(s)?.map(Number);
  if ((values.start === undefined) !== (values.end === undefined)) {
    throw new Error('--start and --end must be given together');
  }
  const input: WarmOptionsInput = {
    preset: values.preset as WarmOptionsInput['preset'],
    assets: list(values.assets) as WarmOptionsInput['assets'],
    timeframes: list(values.timeframes) as WarmOptionsInput['timeframes'],
    leverages: numbers(values.leverages),
    strategies: list(values.strategies) as WarmOptionsInput['strategies'],
    lowMin: num(values['low-min']),
    lowMax: num(values['low-max']),
    highMin: num(values['high-min']),
    highMax: num(values['high-max']),
    step: num(values.step),
    extremeLowThreshold: num(values['extreme-low']),
    extremeHighThreshold: num(values['extreme-high']),
    dateRange: values.start ? { start: values.start, end: values.end! } : undefined,
    permanent: values.permanent,
    concurrency: num(values.concurrency),
  };
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const parsed = warmOptionsSchema.safeParse(defined);
  if (!parsed.success) {
    const message = formatZodError(parsed.error).replace(/^(\w+)/, (f) => FLAG_OF_FIELD[f] ?? `--${f}`);
    throw new Error(`invalid option ${message}`);
  }
  if (values.url !== undefined && !/^https?:\/\/[^\s]+$/.test(values.url)) {
    throw new Error(`--url must be an http(s) URL, got ${JSON.stringify(values.url)}`);
  }
  return {
    options: parsed.data,
    url: values.url?.replace(/\/+$/, '') ?? null,
    token: values.token ?? env.CACHE_ADMIN_TOKEN,
    everyMs: values.every === undefined ? null : parseDuration(values.every),
    help: values.help ?? false,
  };
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `6h` → 21,600,000 ms. Units s, m, h, d; at least one second.
 * @throws Error naming `--every` for any other form.
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms >= 1_000)) throw new Error(`--every must be a duration like 30m, 6h or 1d (at least 1s), got ${JSON.stringify(text)}`);
  return ms;
}
