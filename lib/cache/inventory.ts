/**
 * The in-memory inventory of the result cache (SPEC §5): one record per stored entry (key, tier,
 * size, computedAt, lastAccessed, engine and data version), so that info, stats, clear-by-scope
 * and eviction never read every entry. Kept up to date by this process's own writes, hits and
 * removals, and reconciled with the store by a background scan: the store's listing (files:
 * readdir + lstat; Redis: SCAN + pipelined STRLEN), an entry's header read only when its size or
 * mtime changed (at most 32 files open at once), yielding between batches; every 60 s, and soon
 * after a lookup finds an inventoried entry gone. Lookups never use it: they go to the store, so
 * an operator's `rm` takes effect at the next request and shows here after the next scan.
 *
 * A scan that fails (a refused folder, Redis slow or down) keeps the records it had, logged:
 * figures are never reset to zero because the store did not answer.
 */
import type { Asset, Timeframe } from '../schemas';
import { CACHE_TIERS, InvalidEntryError, type CacheEntry, type CacheTier, type EntryHeader } from './entry';
import { isCacheKey, keyMarket } from './key';
import type { ReportIoError } from './log';
import { staleReason } from './policy';
import type { CacheStore, StorageUsage } from './store';
import type { CacheInfo, CacheStats } from './types';
import { mapBounded } from './concurrency';

/** One stored entry as the inventory knows it. */
export interface InventoryRecord {
  key: string;
  tier: CacheTier;
  /** Stored size, bytes. */
  bytes: number;
  /** Write time as the store listed it (files: mtime, Unix ms); undefined when not recorded. */
  modifiedAt?: number;
  /** `{asset}-{timeframe}` of a backtest key; null for a document (`WF-…`). */
  market: string | null;
  /** The entry's header, or null when it could not be read as an entry. */
  header: EntryHeader | null;
  /** Why the stored value is not an entry, when `header` is null. */
  invalid: string | null;
  /** Latest hit known to this process, or the header's lastAccessed, Unix ms. */
  lastAccessed: number;
  /** Scan generation that last saw or wrote it. */
  generation: number;
}

/** The entry counts and bytes part of CacheInfo. */
export type InventoryTally = Pick<
  CacheInfo,
  | 'tiers'
  | 'totalEntries'
  | 'totalBytes'
  | 'staleEntries'
  | 'byMarket'
  | 'walkForward'
  | 'oldestComputedAt'
  | 'newestComputedAt'
  | 'scannedAt'
>;

/** The storage part of CacheStats. */
export type StorageTotals = Pick<CacheStats, 'totalEntries' | 'permanentEntries' | 'temporaryEntries' | 'cacheSize'>;

/** What the inventory works with. */
export interface InventoryDeps {
  store: CacheStore;
  /** ENGINE_VERSION entries must have to be fresh. */
  engineVersion: string;
  /** Clock in Unix ms for the temporary tier's 24 h limit. */
  now: () => number;
  /** MarketSeries.dataVersion of a market; a rejection (data unavailable) means it is not compared. */
  dataVersion: (asset: Asset, timeframe: Timeframe) => Promise<string>;
  reportIoError: ReportIoError;
  /** Interval between background scans, ms (default 60 000). */
  scanIntervalMs?: number;
}

/** Delay between a lookup finding an entry gone and the scan it triggers, ms. */
const RESCAN_DELAY_MS = 200;

/** The inventory of one store. */
export class CacheInventory {
  private readonly records: Record<CacheTier, Map<string, InventoryRecord>> = {
    permanent: new Map(),
    temporary: new Map(),
  };
  private readonly totals: Record<CacheTier, { entries: number; bytes: number }> = {
    permanent: { entries: 0, bytes: 0 },
    temporary: { entries: 0, bytes: 0 },
  };
  private archive: StorageUsage = { files: 0, bytes: 0 };
  private generation = 0;
  private scanning: Promise<void> | null = null;
  private rescanRequested = false;
  private firstScan: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private rescanTimer: NodeJS.Timeout | null = null;
  /** End of the last scan that listed every tier, Unix ms; null before. */
  private scannedAt: number | null = null;

  constructor(private readonly deps: InventoryDeps) {}

  /**
   * Resolves when the first scan has finished (started here when none has; the periodic scans
   * start with it). A failed scan also resolves (logged); `hasScanned` tells the difference.
   */
  ready(): Promise<void> {
    if (!this.firstScan) {
      this.firstScan = this.scan();
      this.timer = setInterval(() => void this.scan(), this.deps.scanIntervalMs ?? 60_000);
      this.timer.unref();
    }
    return this.firstScan;
  }

  /** True once a scan has listed every tier. */
  get hasScanned(): boolean {
    return this.scannedAt !== null;
  }

  /** Stops the periodic scans (tests, scripts). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.timer = this.rescanTimer = null;
  }

  /** Records an entry this process has just written (`bytes` as stored). */
  noteWrite(tier: CacheTier, entry: CacheEntry<unknown>, bytes: number): void {
    const { result, ...header } = entry;
    void result;
    this.put({
      key: entry.key,
      tier,
      bytes,
      market: marketOf(entry.key),
      header,
      invalid: null,
      lastAccessed: entry.lastAccessed,
      generation: this.generation,
    });
  }

  /** Records a hit on an entry at Unix ms `now` (for least-recently-accessed eviction). */
  noteHit(tier: CacheTier, key: string, now: number): void {
    const record = this.records[tier].get(key);
    if (record) record.lastAccessed = Math.max(record.lastAccessed, now);
  }

  /** Forgets an entry this process has removed. */
  noteRemoved(tier: CacheTier, key: string): void {
    this.drop(tier, key);
  }

  /** A lookup found no entry: forgets it and, when it was inventoried, reconciles the rest soon. */
  noteAbsent(tier: CacheTier, key: string): void {
    if (!this.records[tier].has(key)) return;
    this.drop(tier, key);
    if (this.rescanTimer || !this.firstScan) return;
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = null;
      void this.scan();
    }, RESCAN_DELAY_MS);
    this.rescanTimer.unref();
  }

  /** Stored bytes of an entry, or undefined when it is not inventoried. */
  bytesOf(tier: CacheTier, key: string): number | undefined {
    return this.records[tier].get(key)?.bytes;
  }

  /** Bytes of all entries of both tiers. */
  get totalBytes(): number {
    return this.totals.permanent.bytes + this.totals.temporary.bytes;
  }

  /** Entries and bytes of both tiers. */
  storage(): StorageTotals {
    const { permanent, temporary } = this.totals;
    return {
      totalEntries: permanent.entries + temporary.entries,
      permanentEntries: permanent.entries,
      temporaryEntries: temporary.entries,
      cacheSize: permanent.bytes + temporary.bytes,
    };
  }

  /** The operators' archive as last measured by a scan. */
  archiveUsage(): StorageUsage {
    return { ...this.archive };
  }

  /** Entries in eviction order: temporary ones least recently accessed first, then permanent ones. */
  evictionOrder(): InventoryRecord[] {
    const byAccess = (a: InventoryRecord, b: InventoryRecord) => a.lastAccessed - b.lastAccessed;
    return CACHE_TIERS.slice()
      .reverse()
      .flatMap((tier) => [...this.records[tier].values()].sort(byAccess));
  }

  /** The inventoried entries of `tiers`, optionally only those a lookup would not serve (`staleOnly`). */
  async select(tiers: readonly CacheTier[], staleOnly: boolean): Promise<InventoryRecord[]> {
    const isStale = staleOnly ? await this.staleTest() : null;
    return tiers.flatMap((tier) => [...this.records[tier].values()].filter((r) => !isStale || isStale(r)));
  }

  /** Fresh entries of one market, one per key (the permanent tier's when both hold it), read from the store. */
  async freshEntries(asset: Asset, timeframe: Timeframe): Promise<CacheEntry[]> {
    const market = `${asset}-${timeframe}`;
    const isStale = await this.staleTest();
    const wanted = new Map<string, CacheTier>();
    for (const tier of CACHE_TIERS) {
      for (const record of this.records[tier].values()) {
        if (record.market === market && !wanted.has(record.key) && !isStale(record)) wanted.set(record.key, tier);
      }
    }
    const entries = await mapBounded([...wanted], 32, async ([key, tier]) =>
      (this.deps.store.read(tier, key) as Promise<CacheEntry | null>).catch((error) => {
        if (!(error instanceof InvalidEntryError)) this.deps.reportIoError('read', error);
        return null;
      }),
    );
    return entries.filter((entry): entry is CacheEntry => entry !== null);
  }

  /** Entries, bytes and stale entries per tier and in total, counts per market, oldest/newest computedAt. */
  async tally(): Promise<InventoryTally> {
    const isStale = await this.staleTest();
    const tally: InventoryTally = {
      tiers: { permanent: { entries: 0, bytes: 0, stale: 0 }, temporary: { entries: 0, bytes: 0, stale: 0 } },
      totalEntries: 0,
      totalBytes: 0,
      staleEntries: 0,
      byMarket: {},
      walkForward: { permanent: 0, temporary: 0 },
      oldestComputedAt: null,
      newestComputedAt: null,
      scannedAt: this.scannedAt,
    };
    let oldest = Infinity;
    let newest = -Infinity;
    for (const tier of CACHE_TIERS) {
      const tierInfo = tally.tiers[tier];
      tierInfo.entries = this.totals[tier].entries;
      tierInfo.bytes = this.totals[tier].bytes;
      for (const record of this.records[tier].values()) {
        if (isStale(record)) tierInfo.stale += 1;
        const counts = record.market === null ? tally.walkForward : (tally.byMarket[record.market] ??= { permanent: 0, temporary: 0 });
        counts[tier] += 1;
        const computedAt = record.header?.computedAt;
        if (computedAt === undefined) continue;
        if (computedAt < oldest) oldest = computedAt;
        if (computedAt > newest) newest = computedAt;
      }
      tally.totalEntries += tierInfo.entries;
      tally.totalBytes += tierInfo.bytes;
      tally.staleEntries += tierInfo.stale;
    }
    if (newest >= oldest) {
      tally.oldestComputedAt = oldest;
      tally.newestComputedAt = newest;
    }
    return tally;
  }

  /**
   * Reconciles the records with the store (see the module comment). One scan at a time: a scan
   * asked for while one runs runs once more after it.
   */
  scan(): Promise<void> {
    if (this.scanning) {
      this.rescanRequested = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.rescanRequested = false;
        await this.scanOnce();
      } while (this.rescanRequested);
    })().finally(() => {
      this.scanning = null;
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const { store, reportIoError } = this.deps;
    const generation = ++this.generation;
    let complete = true;
    for (const tier of CACHE_TIERS) {
      try {
        for await (const batch of store.listBatches(tier)) {
          const changed = batch.filter((item) => {
            const known = this.records[tier].get(item.key);
            if (known && known.bytes === item.bytes && known.modifiedAt === item.modifiedAt) {
              known.generation = generation;
              return false;
            }
            return true;
          });
          if (changed.length === 0) continue;
          const headers = await store.readHeaders(tier, changed.map((item) => item.key));
          changed.forEach((item, i) => {
            const header = headers[i];
            const known = this.records[tier].get(item.key);
            // Written by this process since the listing: its own record is newer.
            if (header === null || (known && known.generation === generation && known.modifiedAt === undefined)) return;
            const valid = header instanceof InvalidEntryError ? null : header;
            this.put({
              key: item.key,
              tier,
              bytes: item.bytes,
              modifiedAt: item.modifiedAt,
              market: marketOf(item.key),
              header: valid,
              invalid: valid ? null : (header as InvalidEntryError).reason,
              lastAccessed: Math.max(valid?.lastAccessed ?? 0, known?.lastAccessed ?? 0),
              generation,
            });
          });
        }
      } catch (error) {
        reportIoError('scan', error);
        // A refused folder (a symbolic link) holds nothing of the cache's; anything else keeps the records.
        if ((error as { code?: string }).code !== 'CACHE_FOLDER_REFUSED') {
          complete = false;
          continue;
        }
        for (const record of [...this.records[tier].values()]) this.drop(tier, record.key);
        continue;
      }
      for (const record of [...this.records[tier].values()]) {
        if (record.generation < generation) this.drop(tier, record.key);
      }
    }
    try {
      this.archive = await store.archiveUsage();
    } catch (error) {
      reportIoError('archive', error);
      this.archive = { files: 0, bytes: 0 };
    }
    if (complete) this.scannedAt = this.deps.now();
  }

  /** A test of "a lookup would not serve it" with the current data versions looked up once. */
  private async staleTest(): Promise<(record: InventoryRecord) => boolean> {
    const markets = new Set<string>();
    for (const tier of CACHE_TIERS) for (const record of this.records[tier].values()) if (record.market) markets.add(record.market);
    const versions = new Map<string, string | null>();
    await Promise.all(
      [...markets].map(async (market) => {
        const [asset, timeframe] = market.split('-') as [Asset, Timeframe];
        versions.set(market, await this.deps.dataVersion(asset, timeframe).catch(() => null));
      }),
    );
    const { engineVersion } = this.deps;
    const now = this.deps.now();
    return (record) => {
      if (!record.header) return true;
      // A document's data version is its caller's; only engine version and age are known here.
      const dataVersion = record.market === null ? null : (versions.get(record.market) ?? null);
      return staleReason(record.header, record.tier, { engineVersion, dataVersion }, now) !== null;
    };
  }

  private put(record: InventoryRecord): void {
    const map = this.records[record.tier];
    const totals = this.totals[record.tier];
    const previous = map.get(record.key);
    if (previous) totals.bytes -= previous.bytes;
    else totals.entries += 1;
    totals.bytes += record.bytes;
    map.set(record.key, record);
  }

  private drop(tier: CacheTier, key: string): void {
    const previous = this.records[tier].get(key);
    if (!previous) return;
    this.records[tier].delete(key);
    this.totals[tier].entries -= 1;
    this.totals[tier].bytes -= previous.bytes;
  }
}

/** `{asset}-{timeframe}` of a backtest key, null for a document key. */
function marketOf(key: string): string | null {
  if (!isCacheKey(key)) return null;
  const market = keyMarket(key)!;
  return `${market.asset}-${market.timeframe}`;
}
