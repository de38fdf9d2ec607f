/**
 * Storage behind the result cache: a small interface so the file store (lib/cache/file-store.ts)
 * can later be joined by a Redis store without touching the cache semantics in
 * lib/backtest-cache-server.ts (lookup order, TTL, versions, promotion, single-flight).
 */
import type { CacheEntry, CacheTier } from './entry';

/** One stored entry as listed, without reading it. */
export interface StoredItem {
  key: string;
  /** Stored size, bytes. */
  bytes: number;
  /** Last write time, Unix ms. */
  modifiedAt: number;
}

/** Space used by something the store keeps but never serves, e.g. an operator's archive. */
export interface StorageUsage {
  files: number;
  bytes: number;
}

/**
 * A keyed entry store with two tiers. Keys are always `cacheKey` output; implementations reject
 * anything else. Every method may throw an I/O error (e.g. EACCES, EROFS, ENOSPC), which callers
 * treat as "cache unavailable" and never as a failed request.
 */
export interface CacheStore {
  /**
   * The entry stored under `key`, or null when there is none. The object may be shared with
   * later reads (an in-memory layer): treat it as read-only.
   * @throws InvalidEntryError when something is stored but is not a valid current-format entry.
   */
  read(tier: CacheTier, key: string): Promise<CacheEntry | null>;
  /** Stores `entry` atomically (a reader sees the old or the new entry, never a part). Returns bytes written. */
  write(tier: CacheTier, key: string, entry: CacheEntry): Promise<number>;
  /** Deletes the entry; returns the bytes freed, or null when nothing was stored. */
  remove(tier: CacheTier, key: string): Promise<number | null>;
  /** Every entry of the tier with its size and write time (no contents read). */
  list(tier: CacheTier): Promise<StoredItem[]>;
  /**
   * Deletes leftovers of interrupted writes (a writer killed between creating and renaming its
   * temporary file) last modified more than `olderThanMs` ago. Lookups never read them.
   */
  removeOrphans(olderThanMs: number): Promise<StorageUsage>;
  /** Space used by the operators' archive (never read by lookups); zero when there is none. */
  archiveUsage(): Promise<StorageUsage>;
}
