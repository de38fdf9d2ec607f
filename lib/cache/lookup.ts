/**
 * The lookup of one key (SPEC §5): the permanent tier, then the temporary one. An entry of
 * another engine or data version, a temporary entry 24 h old or older, or something stored that
 * is not a valid entry is stale: not served, and reported with the reason. A read that fails
 * (cache unavailable) counts as absent, logged.
 */
import { CACHE_TIERS, InvalidEntryError, type CacheEntry, type CacheHit, type CacheTier } from './entry';
import { staleReason } from './policy';
import type { CacheStore } from './store';
import type { ReportIoError } from './throttled-log';

/** A stale entry met by a lookup and why it was not served. */
export interface StaleFind {
  tier: CacheTier;
  reason: string;
}

/** The entry to serve, if any, and the stale entries met before it. */
export interface LookupResult {
  hit: CacheHit | null;
  stale: StaleFind[];
}

type Probe = { kind: 'hit'; entry: CacheEntry } | { kind: 'absent' } | { kind: 'stale'; reason: string };

/** What the lookup works with. */
export interface EntryLookupDeps {
  store: CacheStore;
  /** ENGINE_VERSION entries must have to be served. */
  engineVersion: string;
  /** Clock in Unix ms for the temporary tier's 24 h limit. */
  now: () => number;
  reportIoError: ReportIoError;
}

/** Finds the entry a request may be served from. */
export class EntryLookup {
  constructor(private readonly deps: EntryLookupDeps) {}

  /** Looks in the permanent tier, then the temporary one, for a fresh entry of `key` made from data `dataVersion`. */
  async find(key: string, dataVersion: string): Promise<LookupResult> {
    const stale: StaleFind[] = [];
    for (const tier of CACHE_TIERS) {
      const probe = await this.probe(tier, key, dataVersion);
      if (probe.kind === 'hit') return { hit: { tier, entry: probe.entry }, stale };
      if (probe.kind === 'stale') stale.push({ tier, reason: probe.reason });
    }
    return { hit: null, stale };
  }

  private async probe(tier: CacheTier, key: string, dataVersion: string): Promise<Probe> {
    const { store, engineVersion } = this.deps;
    let entry: CacheEntry | null;
    try {
      entry = await store.read(tier, key);
    } catch (error) {
      if (error instanceof InvalidEntryError) return { kind: 'stale', reason: `unreadable entry: ${error.reason}` };
      this.deps.reportIoError('read', error);
      return { kind: 'absent' };
    }
    if (!entry) return { kind: 'absent' };
    const reason = staleReason(entry, tier, { engineVersion, dataVersion }, this.deps.now());
    return reason ? { kind: 'stale', reason } : { kind: 'hit', entry };
  }
}
