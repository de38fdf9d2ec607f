/**
 * The CACHE_MAX_MB bound on the whole cache, both tiers (SPEC §5): before a write that would take
 * the stored bytes (the inventory's, plus the writes in flight) over the bound, the least recently
 * accessed temporary entries are removed, then permanent ones, down to 90 % of the bound so that
 * evictions run rarely. Reservations are taken one at a time, so concurrent writes (a 64-way warm
 * burst) never pass the bound together; the stored size exceeds it by at most one entry (an entry
 * larger than the room left after evicting everything, or entries another process wrote since the
 * last scan).
 */
import type { CacheTier } from './entry';
import type { CacheInventory } from './inventory';
import type { ReportIoError } from './log';

/** Eviction brings the cache down to this share of its bound. */
const LOW_WATER = 0.9;

/** What the bound works with. */
export interface CacheBoundDeps {
  /** Bound on both tiers together, bytes; null = unlimited (nothing is ever evicted). */
  maxBytes: number | null;
  inventory: CacheInventory;
  /** Removes an entry (with its unwritten hits); bytes freed or null when it was gone. */
  remove: (tier: CacheTier, key: string) => Promise<number | null>;
  info: (line: string) => void;
  reportIoError: ReportIoError;
}

/** Keeps the cache within `maxBytes`. */
export class CacheBound {
  /** Bytes of writes that hold a reservation and have not yet been recorded in the inventory. */
  private reserved = 0;
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly deps: CacheBoundDeps) {}

  /** The bound, bytes; null = unlimited. */
  get maxBytes(): number | null {
    return this.deps.maxBytes;
  }

  /**
   * Makes room for a write of `size()` bytes (evicting first when the bound would be passed) and
   * holds it until the returned release is called, once the write has been recorded in the
   * inventory or has failed. `size` is called only when there is a bound (it may serialise the entry).
   */
  async reserve(size: () => number): Promise<() => void> {
    const limit = this.deps.maxBytes;
    if (limit === null) return () => undefined;
    const bytes = size();
    const previous = this.turn;
    let done!: () => void;
    this.turn = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      if (this.deps.inventory.totalBytes + this.reserved + bytes > limit) await this.evict(limit, bytes);
      this.reserved += bytes;
    } finally {
      done();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved -= bytes;
    };
  }

  /** Removes least recently accessed entries until `incoming` more bytes fit under 90 % of `limit`. */
  private async evict(limit: number, incoming: number): Promise<void> {
    const { inventory } = this.deps;
    const target = Math.max(0, limit * LOW_WATER - incoming);
    let removed = 0;
    let freed = 0;
    for (const victim of inventory.evictionOrder()) {
      if (inventory.totalBytes + this.reserved <= target) break;
      const bytes = await this.deps.remove(victim.tier, victim.key).catch((error) => {
        this.deps.reportIoError('eviction', error);
        return null;
      });
      if (bytes === null) continue;
      removed += 1;
      freed += bytes;
    }
    this.deps.info(
      `[BACKTEST FLOW] Evicted ${removed} least recently accessed entries (${freed} bytes) to stay within ${limit} bytes`,
    );
  }
}
