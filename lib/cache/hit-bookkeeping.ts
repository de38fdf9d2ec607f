/**
 * Hit bookkeeping (`accessCount`, `lastAccessed`) written off the response path: hits are counted
 * in memory per stored entry for `delayMs` (coalesced), then added to the stored entries in one
 * background batch. Hits counted on an entry that has since been replaced are dropped, never
 * added to its replacement.
 */
import { InvalidEntryError, type CacheEntry, type CacheTier } from './entry';
import type { EntryLocks, MaintenanceQueue } from './concurrency';
import type { ReportIoError } from './log';
import type { CacheStore } from './store';

/** Hits of one stored entry not yet written. */
interface PendingHits {
  tier: CacheTier;
  key: string;
  /** computedAt of the entry the hits were served from. */
  computedAt: number;
  hits: number;
  /** Latest hit, Unix ms. */
  lastAccessed: number;
}

/** What the bookkeeping works with. */
export interface HitBookkeepingDeps {
  store: CacheStore;
  /** Serialises the bookkeeping update of an entry with other writes to it. */
  locks: EntryLocks;
  /** Where the batched writes run. */
  queue: MaintenanceQueue;
  /** Delay between the first counted hit and the write, ms. */
  delayMs: number;
  reportIoError: ReportIoError;
}

/** Counts hits and writes them to the store later, in batches. */
export class HitBookkeeping {
  private readonly pending = new Map<string, PendingHits>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: HitBookkeepingDeps) {}

  /** Counts a hit on `entry`, served from `tier` at Unix ms `now`; the write follows within `delayMs`. */
  note(tier: CacheTier, entry: CacheEntry<unknown>, now: number): void {
    const id = `${tier}/${entry.key}`;
    const pending = this.pending.get(id);
    if (pending && pending.computedAt === entry.computedAt) {
      pending.hits += 1;
      pending.lastAccessed = Math.max(pending.lastAccessed, now);
    } else {
      this.pending.set(id, { tier, key: entry.key, computedAt: entry.computedAt, hits: 1, lastAccessed: now });
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.deps.queue.enqueue(() => this.write());
    }, this.deps.delayMs);
    this.timer.unref();
  }

  /** Drops the unwritten hits of an entry that is being replaced or removed. */
  forget(tier: CacheTier, key: string): void {
    this.pending.delete(`${tier}/${key}`);
  }

  /** Queues the write of every counted hit now instead of after the delay. */
  writeNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.deps.queue.enqueue(() => this.write());
  }

  /** Adds the counted hits to the stored entries they were counted on (skips replaced ones). */
  private async write(): Promise<void> {
    const { store, locks, reportIoError } = this.deps;
    const batch = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(
      batch.map((access) =>
        locks
          .run(access.tier, access.key, () =>
            store.update(access.tier, access.key, (stored) =>
              stored.computedAt !== access.computedAt
                ? null // replaced since the hits were counted: they belong to the old entry
                : {
                    ...stored,
                    accessCount: stored.accessCount + access.hits,
                    lastAccessed: Math.max(stored.lastAccessed, access.lastAccessed),
                  },
            ),
          )
          .catch((error) => {
            if (!(error instanceof InvalidEntryError)) reportIoError('bookkeeping', error);
          }),
      ),
    );
  }
}
