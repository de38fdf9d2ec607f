/**
 * The cache entry file format (SPEC §5), version "1.0": a pretty-printed JSON object
 * `{ key, result, computedAt, accessCount, lastAccessed, isPermanent, version, engineVersion,
 * dataVersion }`. Validated with zod on every read from disk, so a truncated, hand-edited or
 * foreign file is recognised and treated as a miss. Client-safe (no Node imports).
 */
import { z } from 'zod';
import { backtestParamsSchema } from '../schemas';
import type { BacktestResult } from '../engine/types';
import { cacheKey } from './key';

/** Version of the entry file format written by this code. */
export const ENTRY_FORMAT_VERSION = '1.0';

/** The two cache tiers: `permanent` never expires by age; `temporary` is stale after 24 h. */
export type CacheTier = 'permanent' | 'temporary';
/** Tiers in lookup order. */
export const CACHE_TIERS: readonly CacheTier[] = ['permanent', 'temporary'];

/** One cache entry as stored. Times are Unix ms (UTC). */
export interface CacheEntry {
  key: string;
  /** The backtest result of SPEC §4 (without chart detail). */
  result: BacktestResult;
  /** When the result was stored, Unix ms. */
  computedAt: number;
  /** Number of cache hits served from this entry. */
  accessCount: number;
  /** Last hit (or the store time when never hit), Unix ms. */
  lastAccessed: number;
  isPermanent: boolean;
  /** Entry format version, ENTRY_FORMAT_VERSION. */
  version: string;
  /** ENGINE_VERSION of the engine that computed `result`. */
  engineVersion: string;
  /** MarketSeries.dataVersion of the data `result` was computed from. */
  dataVersion: string;
}

/** An entry a lookup would serve, with the tier it was found in. */
export interface CacheHit {
  tier: CacheTier;
  entry: CacheEntry;
}

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
const count = z.number().int().nonnegative();

/** Shape of a stored BacktestResult; extra fields an engine adds later are kept as they are. */
const resultSchema = z.looseObject({
  returns: finite,
  maxDrawdown: finite,
  sharpeRatio: finite,
  sortinoRatio: finite,
  calmarRatio: finite.nullable(),
  trades: count,
  winRate: finite,
  profitFactor: finite.nullable(),
  avgWin: finite,
  avgLoss: finite,
  fees: finite,
  funding: finite,
  fundingCoverage: finite.optional(), // engine ≥ 2.0.0; older entries are stale by engineVersion anyway
  liquidated: z.boolean(),
  liquidations: count,
  exposure: finite,
  buyAndHoldReturn: finite,
  overrides: count,
  bars: count,
  finalEquity: finite,
  period: z.object({ start: z.string(), end: z.string() }),
  executionTime: finite,
  timestamp: count,
  params: backtestParamsSchema,
});

const entrySchema = z.object({
  key: z.string(),
  result: resultSchema,
  computedAt: count,
  accessCount: count,
  lastAccessed: count,
  isPermanent: z.boolean(),
  version: z.literal(ENTRY_FORMAT_VERSION),
  engineVersion: z.string().min(1),
  dataVersion: z.string().min(1),
});

/** A file or value that is not a valid entry of the current format; `reason` says why. */
export class InvalidEntryError extends Error {
  constructor(readonly reason: string) {
    super(`invalid cache entry: ${reason}`);
    this.name = 'InvalidEntryError';
  }
}

/**
 * Validates a parsed value as a CacheEntry for `expectedKey`: the current format version, the
 * full shape, and a `result.params` whose key is the entry's key.
 * @throws InvalidEntryError naming the first problem.
 */
export function validateEntry(value: unknown, expectedKey: string): CacheEntry {
  const version = (value as { version?: unknown } | null)?.version;
  if (version !== ENTRY_FORMAT_VERSION) {
    throw new InvalidEntryError(`entry format version ${JSON.stringify(version)} ≠ ${ENTRY_FORMAT_VERSION}`);
  }
  const parsed = entrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidEntryError(`${issue.path.join('.') || 'entry'}: ${issue.message}`);
  }
  const entry = parsed.data as unknown as CacheEntry;
  if (entry.key !== expectedKey) throw new InvalidEntryError(`key ${entry.key} ≠ ${expectedKey}`);
  if (cacheKey(entry.result.params) !== expectedKey) {
    throw new InvalidEntryError(`result.params belong to ${cacheKey(entry.result.params)}`);
  }
  return entry;
}

/**
 * The entry for a `result` of `key` computed at Unix ms `now` and about to be stored in `tier`:
 * never hit yet, stamped with the current format, engine and data versions, and validated.
 * @throws InvalidEntryError when the result is not storable (e.g. a non-finite metric).
 */
export function newEntry(fields: {
  key: string;
  result: BacktestResult;
  tier: CacheTier;
  now: number;
  engineVersion: string;
  dataVersion: string;
}): CacheEntry {
  const { key, result, tier, now, engineVersion, dataVersion } = fields;
  return validateEntry(
    {
      key,
      result,
      computedAt: now,
      accessCount: 0,
      lastAccessed: now,
      isPermanent: tier === 'permanent',
      version: ENTRY_FORMAT_VERSION,
      engineVersion,
      dataVersion,
    },
    key,
  );
}

/**
 * Parses an entry file's text.
 * @throws InvalidEntryError when the text is not JSON or not a valid entry for `expectedKey`.
 */
export function parseEntry(text: string, expectedKey: string): CacheEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidEntryError(text.length === 0 ? 'empty file' : 'not valid JSON');
  }
  return validateEntry(value, expectedKey);
}

/** The entry file's text: pretty-printed JSON (2-space indent) with a final newline. */
export function serializeEntry(entry: CacheEntry): string {
  return `${JSON.stringify(entry, null, 2)}\n`;
}
