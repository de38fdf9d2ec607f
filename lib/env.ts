/**
 * Server environment, validated with zod once: parsed at the first `getEnv()` and reused for as
 * long as the variables it reads (and the working directory) stay the same, so hot paths pay a
 * string comparison, not a parse; a test or script that changes a variable gets it re-read. Read
 * lazily so tests and scripts can set variables before first use. Server only.
 */
import 'server-only';
import path from 'node:path';
import fs from 'node:fs';
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  /** Folder with the market data (SOURCES.md layout). Default: ../shared/market-data if it exists. */
  MARKET_DATA_DIR: z.string().min(1).optional(),
  /** Result cache folder. Default: .cache/backtests under the project root. */
  CACHE_DIR: z.string().min(1).optional(),
  /** Bound on the whole cache (both tiers) in MB; unset = unlimited. */
  CACHE_MAX_MB: z.coerce.number().positive().optional(),
  /** Interval of the background inventory scan that notices files changed by hand, ms (default 60 000). */
  CACHE_SCAN_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).optional(),
  /** Bearer token required by clear and warm-cache when set. */
  CACHE_ADMIN_TOKEN: z.string().min(1).optional(),
  /** `file` (default) or `redis`. */
  CACHE_STORE: z.enum(['file', 'redis']).default('file'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Key prefix of the Redis store. */
  REDIS_PREFIX: z.string().default('splitsea:'),
  /** Worker threads of the pool (lib/worker-pool); default os.availableParallelism(). */
  WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  /** Base URLs of the online sources (overridable for tests). */
  BINANCE_API_URL: z.string().url().default('https://api.binance.com'),
  /** Binance USDT-M futures REST API (funding-rate history). */
  BINANCE_FUTURES_API_URL: z.string().url().default('https://fapi.binance.com'),
  /** A freqtrade data folder (`user_data/data/binance`) read beside MARKET_DATA_DIR; unset = none. */
  FREQTRADE_DATA_DIR: z.string().min(1).optional(),
  FGI_API_URL: z.string().url().default('https://api.alternative.me'),
});

export type ServerEnv = z.infer<typeof envSchema> & {
  /** Absolute project root (the server's working directory). */
  projectRoot: string;
  /** Absolute market-data folder, or null when none exists (online mode). */
  marketDataDir: string | null;
  /** Absolute freqtrade data folder (FREQTRADE_DATA_DIR), or null when unset. */
  freqtradeDataDir: string | null;
  /** Absolute result cache folder. */
  cacheDir: string;
  /** Absolute folder for downloaded market data. */
  downloadDir: string;
};

const ENV_NAMES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
let parsedOnce: { fingerprint: string; env: ServerEnv } | null = null;

/**
 * The validated environment (see the module comment: parsed once, again only when a variable changed).
 * @throws Error naming the variable when a value is invalid.
 */
export function getEnv(): ServerEnv {
  const fingerprint = `${process.cwd()}\0${ENV_NAMES.map((name) => process.env[name] ?? '').join('\0')}`;
  if (parsedOnce?.fingerprint === fingerprint) return parsedOnce.env;
  const env = parseEnv();
  parsedOnce = { fingerprint, env };
  return env;
}

function parseEnv(): ServerEnv {
  const parsed = envSchema.safeParse(
    Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  const env = parsed.data;
  // Run-time folders, not build inputs: the ignore comments keep Next's file tracing out of them.
  const projectRoot = process.cwd();
  const defaultData = path.resolve(/*turbopackIgnore: true*/ projectRoot, '../shared/market-data');
  const marketDataDir = env.MARKET_DATA_DIR
    ? path.resolve(/*turbopackIgnore: true*/ projectRoot, env.MARKET_DATA_DIR)
    : fs.existsSync(defaultData)
      ? defaultData
      : null;
  return {
    ...env,
    projectRoot,
    marketDataDir,
    freqtradeDataDir: env.FREQTRADE_DATA_DIR
      ? path.resolve(/*turbopackIgnore: true*/ projectRoot, env.FREQTRADE_DATA_DIR)
      : null,
    cacheDir: path.resolve(/*turbopackIgnore: true*/ projectRoot, env.CACHE_DIR ?? '.cache/backtests'),
    downloadDir: path.resolve(/*turbopackIgnore: true*/ projectRoot, '.cache/market-data'),
  };
}
