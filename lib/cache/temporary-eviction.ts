/**
 * The CACHE_MAX_MB bound on the temporary tier: when writes take the tier over the bound, a
 * background task removes the least recently accessed temporary entries (by `lastAccessed`,
 * including hits not yet written) down to 90 % of the bound, so it runs rarely. The tier's size
 * is measured by the first eviction task, then tracked by the bytes written, until a clear makes
 * it unknown again.
 */
import type { MaintenanceQueue } from './maintenance-queue';
import type { CacheStore } from './store';
import type { ReportIoError } from './throttled-log';

/** Eviction brings the temporary tier down to this share of its bound. */
const LOW_WATER = 0.9;

/** What the bound works with. */
export interface TemporaryTierBoundDeps {
  /** Bound on the temporary tier, bytes; null = unlimited (nothing is ever evicted). */
  maxBytes: number | null;
  /** Lists and reads the temporary tier. */
  store: CacheStore;
  /** Removes a temporary entry (with its unwritten hits); bytes freed or null when it was gone. */
  remove: (key: string) => Promise<number | null>;
  /** The latest unwritten hit on a temporary entry, Unix ms. */
  pendingLastAccessed: (key: string) => number | undefined;
  /** Where the evictions run. */
  queue: MaintenanceQueue;
  info: (line: string) => void;
  reportIoError: ReportIoError;
}

/** Keeps the temporary tier within `maxBytes`. */
export class TemporaryTierBound {
  /** Bytes in the temporary tier as last measured plus the writes since; null = not measured. */
  private bytes: number | null = null;
  private evictionQueued = false;

  constructor(private readonly deps: TemporaryTierBoundDeps) {}

  /** The bound, bytes; null = unlimited. */
  get maxBytes(): number | null {
    return this.deps.maxBytes;
  }

  /** Accounts for `bytes` just written to the temporary tier; queues an eviction when over the bound or not yet measured. */
  afterWrite(bytes: number): void {
    const limit = this.deps.maxBytes;
    if (limit === null) return;
    if (this.bytes !== null) this.bytes += bytes;
    if (this.bytes !== null && this.bytes <= limit) return;
    if (this.evictionQueued) return;
    this.evictionQueued = true;
    this.deps.queue.enqueue(async () => {
      this.evictionQueued = false;
      await this.evict(limit).catch((error) => this.deps.reportIoError('eviction', error));
    });
  }

  /** Forgets the tracked size after entries were removed behind its back (a clear); the next write measures again. */
  forgetSize(): void {
    this.bytes = null;
  }

  /**
   * Measures the temporary tier and, when it is over `limit` bytes, removes the least recently
   * accessed entries down to 90 % of the limit.
   */
  private async evict(limit: number): Promise<void> {
    const { store } = this.deps;
    const items = await store.list('temporary');
    let total = items.reduce((sum, item) => sum + item.bytes, 0);
    if (total > limit) {
      const byAccess = await Promise.all(
        items.map(async (item) => {
          const entry = await store.read('temporary', item.key).catch(() => null);
          const pending = this.deps.pendingLastAccessed(item.key) ?? 0;
          return { item, lastAccess: Math.max(entry?.lastAccessed ?? 0, pending) };
        }),
      );
      byAccess.sort((a, b) => a.lastAccess - b.lastAccess);
      const target = limit * LOW_WATER;
      let removed = 0;
      let freed = 0;
      for (const { item } of byAccess) {
        if (total <= target) break;
        const bytes = await this.deps.remove(item.key);
        total -= item.bytes;
        if (bytes === null) continue;
        removed += 1;
        freed += bytes;
      }
      this.deps.info(
        `[BACKTEST FLOW] Evicted ${removed} least recently accessed temporary entries (${freed} bytes) to stay within ${limit} bytes`,
      );
    }
    this.bytes = total;
  }
}
