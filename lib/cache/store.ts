/**
 * Storage behind the result cache: a small interface with two implementations, files
 * (lib/cache/file-store.ts, the default) and Redis (lib/cache/redis-store.ts, CACHE_STORE=redis,
 * shared by several app instances), so the cache semantics in lib/backtest-cache-server.ts
 * (lookup order, TTL, versions, promotion, single-flight, stats, info, clear) are the same on both.
 */
import type { CacheEntry, CacheTier, EntryHeader, InvalidEntryError } from './entry';

/** One stored entry as listed, without reading it. */
export interface StoredItem {
  key: string;
  /** Stored size, bytes. */
  bytes: number;
  /** Last write time, Unix ms, when the store records one (files: mtime; Redis: not recorded). */
  modifiedAt?: number;
}

/** An entry's header as read by `readHeaders`, an InvalidEntryError when it has none, or null when gone. */
export type HeaderRead = EntryHeader | InvalidEntryError | null;

/** Space used by something the store keeps but never serves, e.g. an operator's archive. */
export interface StorageUsage {
  files: number;
  bytes: number;
}

/** What a store is and the memory it uses, for `GET /api/backtest/cache`. Sizes in bytes. */
export type StoreDescription =
  | { kind: 'file' }
  | {
      kind: 'redis';
      /** Key prefix, e.g. `splitsea:` (keys are `{prefix}{tier}:{cacheKey}`). */
      prefix: string;
      /**
       * MEMORY USAGE summed over the entries of each tier, and INFO memory `used_memory` of the
       * whole Redis server; null where the server refuses the command (some managed services) or
       * cannot be reached.
       */
      memory: { permanent: number | null; temporary: number | null; server: number | null };
    };

/** A held cross-process compute lock of one key. */
export interface ComputeLock {
  /** Releases the lock if this holder still owns it (compare-and-delete); a lost or expired lock is left alone. */
  release(): Promise<void>;
}

/**
 * Coordination of computations between processes sharing one store: a lock per key that expires
 * by itself, so a holder that dies blocks the key for at most the lock's lifetime.
 */
export interface ComputeCoordinator {
  /**
   * Takes the compute lock of `key` for at most `ttlMs` ms, or resolves null when another holder
   * has it. Throws when the store is unreachable.
   */
  tryLock(key: string, ttlMs: number): Promise<ComputeLock | null>;
}

/**
 * A keyed entry store with two tiers. Keys are always `cacheKey` output; implementations reject
 * anything else. Every method may throw an I/O error (e.g. EACCES, EROFS, ENOSPC, or a Redis
 * connection error), which callers treat as "cache unavailable" and never as a failed request.
 */
export interface CacheStore {
  /**
   * The entry stored under `key`, or null when there is none. The object may be shared with
   * later reads (an in-memory layer): treat it as read-only.
   * @throws InvalidEntryError when something is stored but is not a valid current-format entry.
   */
  read(tier: CacheTier, key: string): Promise<CacheEntry<unknown> | null>;
  /** Bytes `entry` takes when stored (the CACHE_MAX_MB bound reserves them before the write). */
  encodedSize(entry: CacheEntry<unknown>): number;
  /** Stores `entry` atomically (a reader sees the old or the new entry, never a part). Returns bytes written. */
  write(tier: CacheTier, key: string, entry: CacheEntry<unknown>): Promise<number>;
  /**
   * Read-modify-write of one stored entry: `change` gets the stored entry and returns its
   * replacement, or null to leave it. The replacement keeps the stored entry's expiry. Redis
   * checks and writes atomically (nothing is written when another instance replaced the entry
   * meanwhile); the file store reads and writes, and callers serialize writes within the process.
   * Resolves true when written.
   * @throws InvalidEntryError when the stored value is not a valid entry.
   */
  update(
    tier: CacheTier,
    key: string,
    change: (entry: CacheEntry<unknown>) => CacheEntry<unknown> | null,
  ): Promise<boolean>;
  /** Deletes the entry; returns the bytes freed, or null when nothing was stored. */
  remove(tier: CacheTier, key: string): Promise<number | null>;
  /**
   * Every entry of the tier with its size and write time (no contents read), in batches of a few
   * hundred, yielding to other work between batches (files: a streamed directory listing and
   * lstat; Redis: SCAN and pipelined STRLEN). A tier that does not exist yields nothing.
   */
  listBatches(tier: CacheTier): AsyncIterable<StoredItem[]>;
  /**
   * The headers of entries (the fields before `result`), in `keys` order, with a bounded number of
   * files open or commands in flight at once (files: at most 32).
   */
  readHeaders(tier: CacheTier, keys: readonly string[]): Promise<HeaderRead[]>;
  /**
   * Deletes leftovers of interrupted writes (a writer killed between creating and renaming its
   * temporary file) last modified more than `olderThanMs` ago. Lookups never read them.
   */
  removeOrphans(olderThanMs: number): Promise<StorageUsage>;
  /** Space used by the operators' archive (never read by lookups, measured without following links); zero when there is none. */
  archiveUsage(): Promise<StorageUsage>;
  /** The kind of store and, for Redis, the memory its entries use. */
  describe(): Promise<StoreDescription>;
  /**
   * Present on stores that several processes share (Redis): the cache server then computes each
   * key once across all of them, not only within one process.
   */
  readonly coordinator?: ComputeCoordinator;
}
