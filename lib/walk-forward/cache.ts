/**
 * The cache a walk-forward job stores its result in, as an interface so the job service does not
 * depend on one implementation: in production `backtestCacheServer.runAndCacheDocument` (same
 * tiers as backtests, SPEC §5), in tests and until that is merged the in-memory cache below.
 */
import type { DocumentOutcome, DocumentRequest } from '../backtest-cache-server';
import type { CacheTier } from '../cache/entry';
import { TEMPORARY_TTL_MS } from '../cache/policy';

/** One lookup-or-compute of a JSON document, as the backtest cache takes it. */
export type CacheDocumentRequest<T> = DocumentRequest<T>;
/** The document and where it came from, as the backtest cache answers it. */
export type CacheDocumentOutcome<T> = DocumentOutcome<T>;

/** What the walk-forward job service needs of a result cache. */
export interface WalkForwardCache {
  /**
   * Answers from the cache or computes, stores and returns; concurrent misses of one key compute
   * once. Rejects with compute's error.
   */
  runAndCacheDocument<T>(request: CacheDocumentRequest<T>): Promise<CacheDocumentOutcome<T>>;
}

interface MemoryEntry {
  json: string;
  tier: CacheTier;
  computedAt: number;
  dataVersion: string;
}

/**
 * An in-process WalkForwardCache with the tier rules of SPEC §5: entries kept as JSON text and
 * validated with the request's schema on every read, a temporary entry stale after 24 h, an
 * entry of another dataVersion stale, single-flight per key. Bounded to `maxEntries` (oldest
 * dropped first).
 */
export class MemoryWalkForwardCache implements WalkForwardCache {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly inFlight = new Map<string, Promise<CacheDocumentOutcome<unknown>>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 256,
  ) {}

  /** Stored entries (both tiers). */
  get size(): number {
    return this.entries.size;
  }

  async runAndCacheDocument<T>(request: CacheDocumentRequest<T>): Promise<CacheDocumentOutcome<T>> {
    if (!request.forceRefresh) {
      const hit = this.read(request);
      if (hit) return hit;
    }
    const running = this.inFlight.get(request.key) as Promise<CacheDocumentOutcome<T>> | undefined;
    if (running) return { ...(await running), cached: false };
    const computing = (async () => {
      const value = await request.compute();
      this.entries.delete(request.key);
      this.entries.set(request.key, {
        json: JSON.stringify(value),
        tier: request.permanent ? 'permanent' : 'temporary',
        computedAt: this.now(),
        dataVersion: request.dataVersion,
      });
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      return { value, cached: false };
    })();
    this.inFlight.set(request.key, computing);
    try {
      return await computing;
    } finally {
      this.inFlight.delete(request.key);
    }
  }

  private read<T>(request: CacheDocumentRequest<T>): CacheDocumentOutcome<T> | null {
    const entry = this.entries.get(request.key);
    if (!entry) return null;
    const age = this.now() - entry.computedAt;
    if (entry.dataVersion !== request.dataVersion || (entry.tier === 'temporary' && age >= TEMPORARY_TTL_MS)) {
      this.entries.delete(request.key);
      return null;
    }
    const parsed = request.schema.safeParse(JSON.parse(entry.json));
    if (!parsed.success) {
      this.entries.delete(request.key);
      return null;
    }
    return { value: parsed.data, cached: true, cacheTier: entry.tier, cacheAge: Math.max(1, age) };
  }
}
