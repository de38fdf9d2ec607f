/**
 * Result-cache keys (SPEC §5). Pure and client-safe: the page may build the same key to show
 * which cache entry a result came from.
 */
import { RequestError } from '../errors';
import {
  ASSETS,
  backtestParamsSchema,
  formatZodError,
  STRATEGIES,
  TIMEFRAMES,
  type Asset,
  type BacktestParams,
  type Timeframe,
} from '../schemas';

/**
 * The cache key of validated backtest params:
 * `{asset}-{timeframe}-{leverage}x-{low}-{high}-{strategy}`, then `-e{extremeLow}-{extremeHigh}`
 * when extreme thresholds are set, then `-{start}-{end}` when a dateRange is given.
 * Examples: `ETH-4h-3x-25-75-contrarian`, `SOL-4h-5x-30-70-momentum-2024-01-01-2024-03-31`.
 * Call it only with params that passed `backtestParamsSchema`; the key is also a file name.
 */
export function cacheKey(params: BacktestParams): string {
  const { asset, timeframe, leverage, lowThreshold, highThreshold, strategy } = params;
  let key = `${asset}-${timeframe}-${leverage}x-${lowThreshold}-${highThreshold}-${strategy}`;
  if (params.extremeLowThreshold !== undefined && params.extremeHighThreshold !== undefined) {
    key += `-e${params.extremeLowThreshold}-${params.extremeHighThreshold}`;
  }
  if (params.dateRange) key += `-${params.dateRange.start}-${params.dateRange.end}`;
  return key;
}

/**
 * The cache key of `params`, validated first: keys (and so file names) are only ever built from
 * params that pass backtestParamsSchema, whoever the caller is.
 * @throws RequestError 400 naming the invalid field.
 */
export function validatedCacheKey(params: BacktestParams): string {
  const parsed = backtestParamsSchema.safeParse(params);
  if (!parsed.success) throw new RequestError(`invalid params: ${formatZodError(parsed.error)}`);
  return cacheKey(params);
}

const DAY = String.raw`\d{4}-\d{2}-\d{2}`;
const KEY_PATTERN = new RegExp(
  `^(${ASSETS.join('|')})-(${TIMEFRAMES.join('|')})-\\d{1,2}x-\\d{1,2}-\\d{1,3}-(${STRATEGIES.join('|')})` +
    `(-e\\d{1,2}-\\d{1,3})?(-${DAY}-${DAY})?$`,
);

/**
 * True when `name` has the exact shape of a key made by `cacheKey` (letters, digits and `-`
 * only, so it can never name a path outside its folder).
 */
export function isCacheKey(name: string): boolean {
  return KEY_PATTERN.test(name);
}

/** Asset and timeframe a cache key belongs to, or null when `key` is not a cache key. */
export function keyMarket(key: string): { asset: Asset; timeframe: Timeframe } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { asset: match[1] as Asset, timeframe: match[2] as Timeframe } : null;
}

/** Keys of generic documents (walk-forward results): `WF-` then letters, digits, `.` and `-`. */
const DOCUMENT_KEY_PATTERN = /^WF-[A-Za-z0-9.-]+$/;
/** Longest key accepted, characters (a file name is key + `.json`, well under NAME_MAX = 255). */
const MAX_KEY_LENGTH = 200;

/**
 * True when `name` is a document key (`WF-…`, letters, digits, `.` and `-` only, at most 200
 * characters): no `/`, so it can never name a path outside its folder.
 */
export function isDocumentKey(name: string): boolean {
  return name.length <= MAX_KEY_LENGTH && DOCUMENT_KEY_PATTERN.test(name);
}

/** True for every key the cache stores: backtest keys (isCacheKey) and document keys (isDocumentKey). */
export function isEntryKey(name: string): boolean {
  return isCacheKey(name) || isDocumentKey(name);
}
