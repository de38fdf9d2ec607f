/**
 * The lookup of one key (SPEC §5): the permanent tier, then the temporary one. An entry of
 * another engine or data version, a temporary entry 24 h old or older, or something stored that
 * is not a valid entry (including a link, FIFO, socket or folder in its place) is stale: not
 * served, and reported with the reason. A read that fails (cache unavailable) counts as absent,
 * logged. An entry the inventory lists but the store no longer has is reported to it.
 */
import { CACHE_TIERS, InvalidEntryError, type CacheEntry, type CacheHit, type CacheTier } from './entry';
import type { CacheInventory } from './inventory';
import type { ReportIoError } from './log';
import { staleReason } from './policy';
import type { CacheStore } from './store';

/** A stale entry met by a lookup and why it was not served. */
export interface StaleFind {
  tier: CacheTier;
  reason: string;
}

/** The entry to serve, if any, and the stale entries met before it. */
export interface LookupResult<R> {
  hit: CacheHit<R> | null;
  stale: StaleFind[];
}

/**
 * Checks a stored result (a backtest's is validated by the store already; a document's by its
 * caller's schema): `{ value }` to serve, or `{ reason }` it cannot be served.
 */
export type ResultCheck<R> = (result: unknown) => { value: R } | { reason: string };

type Probe<R> = { kind: 'hit'; entry: CacheEntry<R> } | { kind: 'absent' } | { kind: 'stale'; reason: string };

/** What the lookup works with. */
export interface EntryLookupDeps {
  store: CacheStore;
  inventory: CacheInventory;
  /** ENGINE_VERSION entries must have to be served. */
  engineVersion: string;
  /** Clock in Unix ms for the temporary tier's 24 h limit. */
  now: () => number;
  reportIoError: ReportIoError;
}

/** Finds the entry a request may be served from. */
export class EntryLookup {
  constructor(private readonly deps: EntryLookupDeps) {}

  /**
   * Looks in the permanent tier, then the temporary one, for a fresh entry of `key` made from
   * data `dataVersion` whose result passes `check`.
   */
  async find<R>(key: string, dataVersion: string, check: ResultCheck<R>): Promise<LookupResult<R>> {
    const stale: StaleFind[] = [];
    for (const tier of CACHE_TIERS) {
      const probe = await this.probe(tier, key, dataVersion, check);
      if (probe.kind === 'hit') return { hit: { tier, entry: probe.entry }, stale };
      if (probe.kind === 'stale') stale.push({ tier, reason: probe.reason });
    }
    return { hit: null, stale };
  }

  private async probe<R>(tier: CacheTier, key: string, dataVersion: string, check: ResultCheck<R>): Promise<Probe<R>> {
    const { store, engineVersion } = this.deps;
    let entry: CacheEntry<unknown> | null;
    try {
      entry = await store.read(tier, key);
    } catch (error) {
      if (error instanceof InvalidEntryError) return { kind: 'stale', reason: `unreadable entry: ${error.reason}` };
      this.deps.reportIoError('read', error);
      return { kind: 'absent' };
    }
    if (!entry) {
      this.deps.inventory.noteAbsent(tier, key);
      return { kind: 'absent' };
    }
    const reason = staleReason(entry, tier, { engineVersion, dataVersion }, this.deps.now());
    if (reason) return { kind: 'stale', reason };
    const checked = check(entry.result);
    if ('reason' in checked) return { kind: 'stale', reason: `unreadable entry: ${checked.reason}` };
    return { kind: 'hit', entry: checked.value === entry.result ? (entry as CacheEntry<R>) : { ...entry, result: checked.value } };
  }
}
