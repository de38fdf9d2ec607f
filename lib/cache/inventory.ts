/**
 * What the result cache holds, for `info`, `clear`, `stats` and `getAllForAsset`: the entries of
 * a tier listed, or read with their freshness, and totals per tier and market. Failures never
 * fail a request: a tier that cannot be listed (a file where the folder should be, no
 * permission, the store unreachable) counts as empty and an unreadable entry as stale, logged.
 */
import type { Asset, Timeframe } from '../schemas';
import { CACHE_TIERS, InvalidEntryError, type CacheEntry, type CacheTier } from './entry';
import { keyMarket } from './key';
import { staleReason } from './policy';
import type { CacheStore, StorageUsage, StoredItem } from './store';
import type { ReportIoError } from './throttled-log';
import type { CacheInfo, CacheStats } from './types';

/** A stored entry with its place and freshness. */
export interface ScannedEntry extends StoredItem {
  tier: CacheTier;
  /** The entry, or null when it could not be read. */
  entry: CacheEntry | null;
  /**
   * Why a lookup would not serve it (invalid content, other version, too old), or null when it is
   * fresh or its read failed for a reason outside the entry (an I/O error).
   */
  staleReason: string | null;
}

/** The entry counts and bytes part of CacheInfo. */
export type InventoryTally = Pick<
  CacheInfo,
  'tiers' | 'totalEntries' | 'totalBytes' | 'staleEntries' | 'byMarket' | 'oldestComputedAt' | 'newestComputedAt'
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
}

/** Lists and reads the tiers of one store. */
export class CacheInventory {
  constructor(private readonly deps: InventoryDeps) {}

  /** The entries of a tier as listed (no contents read), or none when the tier cannot be listed (logged). */
  async list(tier: CacheTier): Promise<StoredItem[]> {
    try {
      return await this.deps.store.list(tier);
    } catch (error) {
      this.deps.reportIoError('list', error);
      return [];
    }
  }

  /** Entries and bytes of both tiers as listed (no contents read). */
  async storage(): Promise<StorageTotals> {
    const [permanent, temporary] = await Promise.all(CACHE_TIERS.map((tier) => this.list(tier)));
    const bytes = (items: StoredItem[]) => items.reduce((sum, item) => sum + item.bytes, 0);
    return {
      totalEntries: permanent.length + temporary.length,
      permanentEntries: permanent.length,
      temporaryEntries: temporary.length,
      cacheSize: bytes(permanent) + bytes(temporary),
    };
  }

  /** Space used by the operators' archive; zero when it cannot be measured (logged). */
  async archiveUsage(): Promise<StorageUsage> {
    return this.deps.store.archiveUsage().catch((error) => {
      this.deps.reportIoError('list', error);
      return { files: 0, bytes: 0 };
    });
  }

  /** Reads every entry of a tier (optionally one market's) with its freshness. */
  async scan(tier: CacheTier, market?: { asset: Asset; timeframe: Timeframe }): Promise<ScannedEntry[]> {
    const { store, engineVersion, reportIoError } = this.deps;
    const items = (await this.list(tier)).filter((item) => {
      const m = keyMarket(item.key);
      return !market || (m?.asset === market.asset && m.timeframe === market.timeframe);
    });
    const dataVersionOf = this.dataVersionsOnce();
    const now = this.deps.now();
    return Promise.all(
      items.map(async (item): Promise<ScannedEntry> => {
        let entry: CacheEntry | null;
        try {
          entry = await store.read(tier, item.key);
        } catch (error) {
          if (error instanceof InvalidEntryError) {
            return { ...item, tier, entry: null, staleReason: `unreadable entry: ${error.reason}` };
          }
          // A failed read (EMFILE, EIO, a Redis timeout) says nothing about the entry: it is
          // neither fresh nor stale, so a stale clear leaves it alone.
          reportIoError('read', error);
          return { ...item, tier, entry: null, staleReason: null };
        }
        if (!entry) return { ...item, tier, entry: null, staleReason: 'removed during the scan' };
        const { asset, timeframe } = keyMarket(item.key)!;
        const current = { engineVersion, dataVersion: await dataVersionOf(asset, timeframe) };
        return { ...item, tier, entry, staleReason: staleReason(entry, tier, current, now) };
      }),
    );
  }

  /** Fresh entries of one market, one per key (the permanent tier's when both hold it). */
  async freshEntries(asset: Asset, timeframe: Timeframe): Promise<CacheEntry[]> {
    const byKey = new Map<string, CacheEntry>();
    for (const tier of CACHE_TIERS) {
      for (const item of await this.scan(tier, { asset, timeframe })) {
        if (item.entry && item.staleReason === null && !byKey.has(item.key)) byKey.set(item.key, item.entry);
      }
    }
    return [...byKey.values()];
  }

  /** Entries, bytes and stale entries per tier and in total, counts per market, oldest/newest computedAt. */
  async tally(): Promise<InventoryTally> {
    const tally: InventoryTally = {
      tiers: { permanent: { entries: 0, bytes: 0, stale: 0 }, temporary: { entries: 0, bytes: 0, stale: 0 } },
      totalEntries: 0,
      totalBytes: 0,
      staleEntries: 0,
      byMarket: {},
      oldestComputedAt: null,
      newestComputedAt: null,
    };
    for (const tier of CACHE_TIERS) {
      const tierInfo = tally.tiers[tier];
      for (const item of await this.scan(tier)) {
        tierInfo.entries += 1;
        tierInfo.bytes += item.bytes;
        if (item.staleReason !== null) tierInfo.stale += 1;
        const market = keyMarket(item.key)!;
        const counts = (tally.byMarket[`${market.asset}-${market.timeframe}`] ??= { permanent: 0, temporary: 0 });
        counts[tier] += 1;
        const computedAt = item.entry?.computedAt;
        if (computedAt === undefined) continue;
        tally.oldestComputedAt = Math.min(tally.oldestComputedAt ?? computedAt, computedAt);
        tally.newestComputedAt = Math.max(tally.newestComputedAt ?? computedAt, computedAt);
      }
      tally.totalEntries += tierInfo.entries;
      tally.totalBytes += tierInfo.bytes;
      tally.staleEntries += tierInfo.stale;
    }
    return tally;
  }

  /** The data version of each market asked for, looked up once (null when the market data is unavailable). */
  private dataVersionsOnce(): (asset: Asset, timeframe: Timeframe) => Promise<string | null> {
    const versions = new Map<string, Promise<string | null>>();
    return (asset, timeframe) => {
      const id = `${asset}-${timeframe}`;
      let version = versions.get(id);
      if (!version) {
        version = this.deps.dataVersion(asset, timeframe).catch(() => null);
        versions.set(id, version);
      }
      return version;
    };
  }
}
