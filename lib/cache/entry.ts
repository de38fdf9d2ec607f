/**
 * The cache entry format (SPEC §5), version "1.0": a JSON object `{ key, version, computedAt,
 * accessCount, lastAccessed, isPermanent, engineVersion, dataVersion, result }`, pretty-printed in
 * files. The bookkeeping fields come first so that the inventory can read an entry's header (the
 * bytes before `"result"`) without reading the result. Validated with zod on every read, so a
 * truncated, hand-edited or foreign file is recognised and treated as a miss.
 *
 * Two kinds of entries share the format: backtests (key from lib/cache/key.ts `cacheKey`, result
 * a BacktestResult validated here) and documents (`WF-…` keys, e.g. walk-forward results, result
 * validated by the caller's schema in `runAndCacheDocument`). Client-safe (no Node imports).
 */
import { z } from 'zod';
import { backtestParamsSchema } from '../schemas';
import type { BacktestResult } from '../engine/types';
import { cacheKey, isCacheKey, isDocumentKey } from './key';

/** Version of the entry file format written by this code. */
export const ENTRY_FORMAT_VERSION = '1.0';

/** The two cache tiers: `permanent` never expires by age; `temporary` is stale after 24 h. */
export type CacheTier = 'permanent' | 'temporary';
/** Tiers in lookup order. */
export const CACHE_TIERS: readonly CacheTier[] = ['permanent', 'temporary'];

/** The bookkeeping part of an entry (everything but `result`). Times are Unix ms (UTC). */
export interface EntryHeader {
  key: string;
  /** Entry format version, ENTRY_FORMAT_VERSION. */
  version: string;
  /** When the result was stored, Unix ms. */
  computedAt: number;
  /** Number of cache hits served from this entry. */
  accessCount: number;
  /** Last hit (or the store time when never hit), Unix ms. */
  lastAccessed: number;
  isPermanent: boolean;
  /** ENGINE_VERSION of the engine that computed `result`. */
  engineVersion: string;
  /** Data version the result was computed from (MarketSeries.dataVersion for backtests). */
  dataVersion: string;
}

/** One cache entry as stored: a backtest result (the default) or a document's value. */
export interface CacheEntry<R = BacktestResult> extends EntryHeader {
  /** The backtest result of SPEC §4 (without chart detail), or the document. */
  result: R;
}

/** An entry a lookup would serve, with the tier it was found in. */
export interface CacheHit<R = BacktestResult> {
  tier: CacheTier;
  entry: CacheEntry<R>;
}

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
const count = z.number().int().nonnegative();
/** A percentage in 0..100. */
const percent = finite.refine((value) => value >= 0 && value <= 100, { error: 'must be a percentage in 0..100' });

/**
 * The validator of every field of a BacktestResult, keyed exactly by its fields: `satisfies`
 * makes a field missing here, one here that BacktestResult lacks, or a validator of another type
 * a compile error, so the stored shape and `BacktestResult` (lib/engine/types.ts) cannot drift
 * and a new metric is validated on write as soon as it exists.
 */
const resultShape = {
  returns: finite,
  maxDrawdown: finite,
  sharpeRatio: finite,
  sortinoRatio: finite,
  calmarRatio: finite.nullable(),
  trades: count,
  winRate: percent,
  profitFactor: finite.nullable(),
  avgWin: finite,
  avgLoss: finite,
  fees: finite,
  funding: finite,
  fundingCoverage: percent,
  liquidated: z.boolean(),
  liquidations: count,
  exposure: percent,
  buyAndHoldReturn: finite,
  overrides: count,
  bars: count,
  finalEquity: finite,
  period: z.object({ start: z.string(), end: z.string() }),
  executionTime: finite,
  timestamp: count,
  params: backtestParamsSchema,
} satisfies { [K in keyof BacktestResult]-?: z.ZodType<BacktestResult[K]> };

/** Shape of a stored BacktestResult. */
const resultSchema = z.object(resultShape);

const headerShape = {
  key: z.string(),
  version: z.literal(ENTRY_FORMAT_VERSION),
  computedAt: count,
  accessCount: count,
  lastAccessed: count,
  isPermanent: z.boolean(),
  engineVersion: z.string().min(1),
  dataVersion: z.string().min(1),
};
const headerSchema = z.object(headerShape);
const backtestEntrySchema = z.object({ ...headerShape, result: resultSchema });
/** A document's value is checked by its caller's schema; here only that there is one. */
const documentEntrySchema = z.object({
  ...headerShape,
  result: z.unknown().refine((value) => value !== undefined, { error: 'missing result' }),
});

/** A file or value that is not a valid entry of the current format; `reason` says why. */
export class InvalidEntryError extends Error {
  constructor(readonly reason: string) {
    super(`invalid cache entry: ${reason}`);
    this.name = 'InvalidEntryError';
  }
}

function checkVersion(value: unknown): void {
  const version = (value as { version?: unknown } | null)?.version;
  if (version !== ENTRY_FORMAT_VERSION) {
    throw new InvalidEntryError(`entry format version ${JSON.stringify(version)} ≠ ${ENTRY_FORMAT_VERSION}`);
  }
}

function firstIssue(error: z.ZodError): InvalidEntryError {
  const issue = error.issues[0];
  return new InvalidEntryError(`${issue.path.join('.') || 'entry'}: ${issue.message}`);
}

/**
 * Validates a parsed value as an entry for `expectedKey`: the current format version, the full
 * shape and, for a backtest key, a result whose `params` give the entry's key. For a document key
 * the result is returned unchecked (its caller validates it).
 * @throws InvalidEntryError naming the first problem.
 */
export function validateEntry(value: unknown, expectedKey: string): CacheEntry<unknown> {
  checkVersion(value);
  const isDocument = isDocumentKey(expectedKey);
  if (!isDocument && !isCacheKey(expectedKey)) throw new InvalidEntryError(`not a cache key: ${expectedKey}`);
  const parsed = (isDocument ? documentEntrySchema : backtestEntrySchema).safeParse(value);
  if (!parsed.success) throw firstIssue(parsed.error);
  const entry = parsed.data as CacheEntry<unknown>;
  if (entry.key !== expectedKey) throw new InvalidEntryError(`key ${entry.key} ≠ ${expectedKey}`);
  if (!isDocument) {
    const owner = cacheKey((entry.result as BacktestResult).params);
    if (owner !== expectedKey) throw new InvalidEntryError(`result.params belong to ${owner}`);
  }
  return entry;
}

/**
 * The entry for a `result` of `key` computed at Unix ms `now` and about to be stored in `tier`:
 * never hit yet, stamped with the current format, engine and data versions, and validated.
 * @throws InvalidEntryError when the result is not storable (e.g. a non-finite metric).
 */
export function newEntry<R>(fields: {
  key: string;
  result: R;
  tier: CacheTier;
  now: number;
  engineVersion: string;
  dataVersion: string;
}): CacheEntry<R> {
  const { key, result, tier, now, engineVersion, dataVersion } = fields;
  const entry: CacheEntry<R> = {
    key,
    version: ENTRY_FORMAT_VERSION,
    computedAt: now,
    accessCount: 0,
    lastAccessed: now,
    isPermanent: tier === 'permanent',
    engineVersion,
    dataVersion,
    result,
  };
  validateEntry(entry, key);
  return entry;
}

/**
 * Parses an entry file's text.
 * @throws InvalidEntryError when the text is not JSON or not a valid entry for `expectedKey`.
 */
export function parseEntry(text: string, expectedKey: string): CacheEntry<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidEntryError(text.length === 0 ? 'empty file' : 'not valid JSON');
  }
  return validateEntry(value, expectedKey);
}

/** Bytes of an entry's beginning that hold its header (everything before `"result"`). */
export const HEADER_BYTES = 2048;

/**
 * The header of an entry from the beginning of its text (at least the bytes before `"result"`,
 * or the whole text): the fields before `"result"` are parsed as a JSON object of their own.
 * @throws InvalidEntryError when no valid header for `expectedKey` is found there.
 */
export function parseEntryHeader(prefix: string, expectedKey: string): EntryHeader {
  const at = prefix.indexOf('"result"');
  let value: unknown;
  try {
    value = at < 0 ? JSON.parse(prefix) : JSON.parse(`${prefix.slice(0, at).trimEnd().replace(/,$/, '')}}`);
  } catch {
    throw new InvalidEntryError(prefix.length === 0 ? 'empty file' : 'no entry header');
  }
  checkVersion(value);
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) throw firstIssue(parsed.error);
  if (parsed.data.key !== expectedKey) throw new InvalidEntryError(`key ${parsed.data.key} ≠ ${expectedKey}`);
  return parsed.data;
}

/** An entry with its fields in the stored order: the header first, `result` last. */
function ordered(entry: CacheEntry<unknown>): CacheEntry<unknown> {
  const { key, version, computedAt, accessCount, lastAccessed, isPermanent, engineVersion, dataVersion, result } = entry;
  return { key, version, computedAt, accessCount, lastAccessed, isPermanent, engineVersion, dataVersion, result };
}

/** The entry file's text: pretty-printed JSON (2-space indent), header first, with a final newline. */
export function serializeEntry(entry: CacheEntry<unknown>): string {
  return `${JSON.stringify(ordered(entry), null, 2)}\n`;
}

/** The entry as compact JSON (Redis), header first. */
export function serializeEntryCompact(entry: CacheEntry<unknown>): string {
  return JSON.stringify(ordered(entry));
}
