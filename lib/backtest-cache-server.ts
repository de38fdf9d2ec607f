/**
 * The result cache of SPEC §5 in front of the backtest engine: lookup in the permanent tier, then
 * the temporary tier (stale after 24 h), then compute; single-flight for concurrent misses of one
 * key; corrupt or version-mismatched entries treated as misses and replaced; cache I/O failures
 * degrade to computing without the cache; hit bookkeeping (accessCount, lastAccessed) written
 * later, off the response path. Storage is a CacheStore chosen by lib/cache/create-store.ts (files
 * by default, or Redis shared by several instances); on a store shared by several processes,
 * concurrent misses of one key are computed once across all of them (a compute lock per key).
 *
 * This file is the lookup → compute → store flow; the machinery it uses (single-flight, hit
 * bookkeeping, eviction, inventory, …) lives in lib/cache/, one job per module (docs/cache.md).
 *
 * Server side (Node APIs) but without `server-only`: scripts import it too.
 */
import { getEnv } from './env';
import { CacheStoreError } from './errors';
import { ENGINE_VERSION } from './engine';
import type { BacktestDetail, BacktestResult } from './engine/types';
import { computeBacktest } from './backtest-service';
import type { Asset, BacktestParams, ClearScope, Timeframe } from './schemas';
import { createStore } from './cache/create-store';
import { CACHE_TIERS, newEntry, type CacheEntry, type CacheHit, type CacheTier } from './cache/entry';
import { EntryLocks } from './cache/entry-locks';
import { FileCacheStore } from './cache/file-store';
import { HitBookkeeping } from './cache/hit-bookkeeping';
import { InteractiveGate } from './cache/interactive-gate';
import { CacheInventory } from './cache/inventory';
import { keyMarket, validatedCacheKey } from './cache/key';
import { errorText, formatMs } from './cache/log-format';
import { EntryLookup, type StaleFind } from './cache/lookup';
import { MaintenanceQueue } from './cache/maintenance-queue';
import { isFinalizedRange, TEMPORARY_TTL_MS } from './cache/policy';
import { loadSeriesFacts, type SeriesFacts } from './cache/series-facts';
import type { BacktestCacheServerOptions, CacheLogger, ComputeFn, ComputeOutput, RunOptions } from './cache/server-options';
import { CrossInstanceSingleFlight, SingleFlight } from './cache/single-flight';
import { CacheStatsRecorder } from './cache/stats';
import type { CacheStore, StoredItem } from './cache/store';
import { TemporaryTierBound } from './cache/temporary-eviction';
import { ThrottledIoErrorLog, type ReportIoError } from './cache/throttled-log';
import type { CacheInfo, CacheStats, ClearResult, RunOutcome } from './cache/types';

export type { BacktestCacheServerOptions, CacheLogger, ComputeFn, ComputeOutput, RunOptions } from './cache/server-options';
export type { SeriesFacts } from './cache/series-facts';

/** How a miss is computed and stored. */
interface MissPlan {
  /** Tier the result is stored in. */
  tier: CacheTier;
  /** The key has a temporary entry, to remove once the result is stored permanently. */
  replacesTemporary: boolean;
  detail: boolean;
  dataVersion: string;
  /** Recompute without waiting for another instance. */
  forceRefresh: boolean;
}

/** Leftovers of interrupted atomic writes older than this are removed by stale/all clears, ms. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

/** The result cache. Use the singleton `backtestCacheServer` outside tests. */
export class BacktestCacheServer {
  /** Where entries are stored. */
  readonly store: CacheStore;
  private readonly compute: ComputeFn;
  private readonly seriesFacts: (asset: Asset, timeframe: Timeframe) => Promise<SeriesFacts>;
  private readonly engineVersion: string;
  private readonly now: () => number;
  private readonly logger: CacheLogger;
  private readonly reportIoError: ReportIoError;
  private readonly recorder = new CacheStatsRecorder();
  private readonly interactive = new InteractiveGate();
  private readonly locks = new EntryLocks();
  /** Bookkeeping writes and evictions run one at a time, in order, off the response path. */
  private readonly maintenance = new MaintenanceQueue();
  private readonly bookkeeping: HitBookkeeping;
  private readonly temporaryBound: TemporaryTierBound;
  private readonly lookup: EntryLookup;
  private readonly inventory: CacheInventory;
  private readonly computations = new SingleFlight<ComputeOutput>();
  private readonly crossInstance: CrossInstanceSingleFlight;

  constructor(options: BacktestCacheServerOptions) {
    if (!options.store && !options.cacheDir) throw new Error('BacktestCacheServer needs cacheDir or store');
    this.store = options.store ?? new FileCacheStore(options.cacheDir!);
    this.compute = options.compute ?? computeBacktest;
    this.seriesFacts = options.seriesFacts ?? loadSeriesFacts;
    this.engineVersion = options.engineVersion ?? ENGINE_VERSION;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? { info: (line) => console.log(line), warn: (line) => console.warn(line) };
    const info = (line: string) => this.logger.info(line);
    const reportIoError = (this.reportIoError = new ThrottledIoErrorLog({
      now: () => this.now(),
      warn: (line) => this.logger.warn(line),
    }).report);
    const { store, locks, maintenance: queue } = this;
    this.bookkeeping = new HitBookkeeping({ store, locks, queue, delayMs: options.bookkeepingDelayMs ?? 5000, reportIoError });
    this.temporaryBound = new TemporaryTierBound({
      maxBytes: options.maxTemporaryBytes ?? null,
      store,
      remove: (key) => this.removeEntry('temporary', key),
      pendingLastAccessed: (key) => this.bookkeeping.pendingLastAccessed('temporary', key),
      queue,
      info,
      reportIoError,
    });
    this.inventory = new CacheInventory({
      store,
      engineVersion: this.engineVersion,
      now: () => this.now(),
      dataVersion: async (asset, timeframe) => (await this.seriesFacts(asset, timeframe)).dataVersion,
      reportIoError,
    });
    this.lookup = new EntryLookup({ store, engineVersion: this.engineVersion, now: () => this.now(), reportIoError });
    this.crossInstance = new CrossInstanceSingleFlight({
      coordinator: store.coordinator,
      lockTtlMs: options.lockTtlMs ?? 15_000,
      lockPollMs: options.lockPollMs ?? 20,
      lookup: async (key, dataVersion) => (await this.lookup.find(key, dataVersion)).hit,
      info,
      reportIoError,
    });
  }

  /**
   * Answers a backtest from the cache or computes and stores it (SPEC §5). The returned
   * `result.params` is `params` itself. Promotion: the permanent tier when `permanent` is asked
   * (a fresh temporary entry is then moved there without recomputing), when the dateRange lies
   * entirely within finalized data, or when the key already has a permanent entry (which is then
   * replaced in place).
   * @throws RequestError 400 for invalid params; NoDataInRangeError / MarketDataError from the
   * computation; never for cache I/O, which only logs and computes without the cache.
   */
  async runAndCache(params: BacktestParams, options: RunOptions | boolean = {}): Promise<RunOutcome> {
    // SPEC §5 spells it runAndCache(params, permanent?): a boolean is the permanent flag.
    const run = typeof options === 'boolean' ? { permanent: options } : options;
    if (run.priority === undefined) return this.run(params, run);
    return this.interactive.run(() => this.run(params, run));
  }

  /** The cached outcome for `params` without computing, or null on a miss. Not counted in stats. */
  async get(params: BacktestParams): Promise<RunOutcome | null> {
    const started = performance.now();
    const key = validatedCacheKey(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const lookup = await this.lookup.find(key, facts.dataVersion);
    if (!lookup.hit) {
      this.logMiss(key, lookup.stale);
      return null;
    }
    return this.serveHit(key, params, lookup.hit, started);
  }

  /**
   * Stores a computed `result` for `params` (in the permanent tier when `permanent` or when its
   * dateRange is finalized), stamped with the running engine version and the current data version.
   * Returns the tier written, or null when the cache is unavailable (logged).
   */
  async set(params: BacktestParams, result: BacktestResult, permanent = false): Promise<CacheTier | null> {
    const key = validatedCacheKey(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const tier = this.targetTier(params, facts, permanent);
    const written = await this.writeEntry(tier, key, result, facts.dataVersion);
    if (written && tier === 'permanent') await this.removeQuietly('temporary', key);
    return written ? tier : null;
  }

  /** Resolves when no interactive (`normal`/`high` priority) request is in flight. */
  whenInteractiveIdle(): Promise<void> {
    return this.interactive.whenIdle();
  }

  /** Removes every stale or unreadable entry (and old leftovers of interrupted writes). */
  cleanStale(): Promise<ClearResult> {
    return this.clear('stale');
  }

  /**
   * Removes entries: `temporary`, `permanent` or `all` tiers, or `stale` (unreadable, other
   * engine/data version, expired temporary) in both; only keys of `asset` when given. `stale` and
   * `all` without an asset also remove leftovers of interrupted writes older than 10 min.
   * `removed` counts files.
   * @throws CacheStoreError (503) when the store refuses to remove entries (read-only, down);
   * the message says how many were removed and how many were not.
   */
  async clear(scope: ClearScope, asset?: Asset): Promise<ClearResult> {
    const tiers: readonly CacheTier[] = scope === 'permanent' || scope === 'temporary' ? [scope] : CACHE_TIERS;
    const outcome: ClearResult = { removed: 0, freedBytes: 0 };
    let failed = 0;
    let firstFailure: unknown;
    for (const tier of tiers) {
      const items: StoredItem[] =
        scope === 'stale'
          ? (await this.inventory.scan(tier)).filter((item) => item.staleReason !== null)
          : await this.inventory.list(tier);
      for (const { key } of items) {
        if (asset && keyMarket(key)?.asset !== asset) continue;
        const freed = await this.removeEntry(tier, key).catch((error: unknown) => {
          failed += 1;
          firstFailure ??= error;
          return null;
        });
        if (freed === null) continue;
        outcome.removed += 1;
        outcome.freedBytes += freed;
      }
    }
    if (failed > 0) {
      this.reportIoError('remove', firstFailure);
      throw new CacheStoreError(
        `could not remove ${failed} cache entries (${errorText(firstFailure)}); removed ${outcome.removed} (${outcome.freedBytes} bytes)`,
        { cause: firstFailure },
      );
    }
    if ((scope === 'stale' || scope === 'all') && !asset) {
      const orphans = await this.store.removeOrphans(ORPHAN_AGE_MS).catch((error) => {
        this.reportIoError('list', error);
        return { files: 0, bytes: 0 };
      });
      outcome.removed += orphans.files;
      outcome.freedBytes += orphans.bytes;
    }
    if (tiers.includes('temporary')) this.temporaryBound.forgetSize();
    this.logger.info(
      `[BACKTEST FLOW] Cleared ${scope} cache${asset ? ` for ${asset}` : ''}: ${outcome.removed} files, ${outcome.freedBytes} bytes`,
    );
    return outcome;
  }

  /** Fresh entries of one market, one per key (the permanent tier's when both hold it). */
  getAllForAsset(asset: Asset, timeframe: Timeframe): Promise<CacheEntry[]> {
    return this.inventory.freshEntries(asset, timeframe);
  }

  /** Storage statistics (entries, bytes) now, plus hits, misses and mean times measured in this process. */
  async stats(): Promise<CacheStats> {
    return { ...(await this.inventory.storage()), ...this.recorder.snapshot() };
  }

  /** Entries by tier, stale count, bytes, counts per market, oldest/newest, and the archive folder. */
  async info(): Promise<CacheInfo> {
    const archive = await this.inventory.archiveUsage();
    const store = await this.store.describe();
    return {
      ...(await this.inventory.tally()),
      archive,
      engineVersion: this.engineVersion,
      temporaryTtlMs: TEMPORARY_TTL_MS,
      maxTemporaryBytes: this.temporaryBound.maxBytes,
      store,
    };
  }

  /** Writes pending hit bookkeeping now and waits for it and any eviction in progress. */
  async flush(): Promise<void> {
    this.bookkeeping.writeNow();
    await this.maintenance.drain();
  }

  private async run(params: BacktestParams, options: RunOptions): Promise<RunOutcome> {
    const started = performance.now();
    const key = validatedCacheKey(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const lookup = await this.lookup.find(key, facts.dataVersion);
    if (lookup.hit && !options.forceRefresh) {
      if (options.permanent && lookup.hit.tier === 'temporary') lookup.hit = await this.promote(key, lookup.hit.entry);
      const outcome = this.serveHit(key, params, lookup.hit, started);
      this.recorder.recordHit(performance.now() - started);
      if (options.detail) outcome.detail = await this.computeDetail(params);
      return outcome;
    }
    if (options.forceRefresh) this.logger.info(`[BACKTEST FLOW] forceRefresh for ${key}: recomputing`);
    else this.logMiss(key, lookup.stale);
    this.recorder.recordMiss();

    const hasPermanent = lookup.hit?.tier === 'permanent' || lookup.stale.some((s) => s.tier === 'permanent');
    const hasTemporary = lookup.hit?.tier === 'temporary' || lookup.stale.some((s) => s.tier === 'temporary');
    const output = await this.computeOnce(key, params, {
      tier: this.targetTier(params, facts, options.permanent === true || hasPermanent),
      replacesTemporary: hasTemporary,
      detail: options.detail === true,
      dataVersion: facts.dataVersion,
      forceRefresh: options.forceRefresh === true,
    });
    const outcome: RunOutcome = { result: { ...output.result, params }, cached: false };
    if (options.detail) outcome.detail = output.detail ?? (await this.computeDetail(params));
    return outcome;
  }

  private serveHit(key: string, params: BacktestParams, hit: CacheHit, started: number): RunOutcome {
    const { tier, entry } = hit;
    const now = this.now();
    this.bookkeeping.note(tier, entry, now);
    const label = tier === 'permanent' ? 'Permanent' : 'Temporary';
    this.logger.info(`[CACHE HIT] ${label} cache hit for ${key} in ${formatMs(performance.now() - started)}`);
    return {
      result: { ...entry.result, params },
      cached: true,
      // Ages under the clock's 1 ms resolution are reported as 1 ms.
      cacheAge: Math.max(1, now - entry.computedAt),
      cacheTier: tier,
    };
  }

  private logMiss(key: string, stale: StaleFind[]): void {
    if (stale.length === 0) {
      this.logger.info(`[CACHE MISS] No cache entry found for ${key}`);
      return;
    }
    const reasons = stale.map((s) => `${s.tier}: ${s.reason}`).join('; ');
    this.logger.info(`[CACHE MISS] Stale cache entry for ${key} (${reasons})`);
  }

  private targetTier(params: BacktestParams, facts: SeriesFacts, permanent: boolean): CacheTier {
    const finalized = params.dateRange !== undefined && isFinalizedRange(params.dateRange, facts.lastCloseTime);
    return permanent || finalized ? 'permanent' : 'temporary';
  }

  /**
   * Computes and stores `key` once, however many callers miss it at the same time: in this
   * process through the in-flight map, and across processes sharing the store through its compute
   * lock (forceRefresh recomputes without waiting for another instance).
   */
  private computeOnce(key: string, params: BacktestParams, plan: MissPlan): Promise<ComputeOutput> {
    return this.computations.run(
      key,
      () => this.computeAndStore(key, params, plan),
      () => this.logger.info(`[BACKTEST FLOW] Joining the computation in flight for ${key}`),
    );
  }

  private async computeAndStore(key: string, params: BacktestParams, plan: MissPlan): Promise<ComputeOutput> {
    const { tier } = plan;
    const claim = plan.forceRefresh ? { lock: null } : await this.crossInstance.claim(key, plan.dataVersion);
    if ('hit' in claim) {
      const { entry } = claim.hit;
      this.logger.info(`[BACKTEST FLOW] ${key} was computed by another instance; taken from the ${claim.hit.tier} cache`);
      return { result: entry.result, dataVersion: entry.dataVersion };
    }
    try {
      this.logger.info(`[BACKTEST FLOW] Computing ${key} (target: ${tier} cache)`);
      const started = performance.now();
      const output = await this.compute(params, { detail: plan.detail });
      const elapsed = performance.now() - started;
      this.recorder.recordComputation(elapsed);
      const written = await this.writeEntry(tier, key, output.result, output.dataVersion);
      if (written && tier === 'permanent' && plan.replacesTemporary) await this.removeQuietly('temporary', key);
      this.logger.info(
        `[BACKTEST EXEC] ${key}: ${output.result.bars} bars computed in ${formatMs(elapsed)}, ` +
          (written ? `stored in the ${tier} cache` : 'not stored (cache unavailable)'),
      );
      return output;
    } finally {
      await this.crossInstance.release(claim.lock);
    }
  }

  /**
   * Moves a fresh temporary entry to the permanent tier (asked for with `permanent`), without
   * recomputing. Returns where the entry is served from afterwards.
   */
  private async promote(key: string, entry: CacheEntry): Promise<CacheHit> {
    const promoted = { ...entry, isPermanent: true };
    try {
      await this.locks.run('permanent', key, () => this.store.write('permanent', key, promoted));
    } catch (error) {
      this.reportIoError('write', error);
      return { tier: 'temporary', entry };
    }
    await this.removeQuietly('temporary', key);
    this.logger.info(`[BACKTEST FLOW] Promoted ${key} to the permanent cache`);
    return { tier: 'permanent', entry: promoted };
  }

  /** Chart detail for a cached result: recomputed from the in-memory series (deterministic). */
  private async computeDetail(params: BacktestParams): Promise<BacktestDetail | undefined> {
    return (await this.compute(params, { detail: true })).detail;
  }

  /** Writes a new entry; false (logged) when the cache is unavailable or the result is not storable. */
  private async writeEntry(tier: CacheTier, key: string, result: BacktestResult, dataVersion: string): Promise<boolean> {
    let entry: CacheEntry;
    try {
      entry = newEntry({ key, result, tier, now: this.now(), engineVersion: this.engineVersion, dataVersion });
    } catch (error) {
      this.reportIoError('entry validation', error);
      return false;
    }
    try {
      const bytes = await this.locks.run(tier, key, () => this.store.write(tier, key, entry));
      this.bookkeeping.forget(tier, key);
      if (tier === 'temporary') this.temporaryBound.afterWrite(bytes);
      return true;
    } catch (error) {
      this.reportIoError('write', error);
      return false;
    }
  }

  /** Removes a stored entry and its unwritten hits; bytes freed, or null when nothing was stored. */
  private removeEntry(tier: CacheTier, key: string): Promise<number | null> {
    this.bookkeeping.forget(tier, key);
    return this.locks.run(tier, key, () => this.store.remove(tier, key));
  }

  /** removeEntry, with a failure only logged. */
  private async removeQuietly(tier: CacheTier, key: string): Promise<void> {
    await this.removeEntry(tier, key).catch((error) => this.reportIoError('remove', error));
  }
}

const SINGLETON = Symbol.for('split-sea.backtestCacheServer');

/**
 * A cache server configured from the environment (CACHE_STORE with CACHE_DIR or
 * REDIS_URL/REDIS_PREFIX, CACHE_MAX_MB); `overrides` replace any option, e.g. a quieter logger
 * for the cache warmer.
 */
export function createCacheServerFromEnv(overrides: Partial<BacktestCacheServerOptions> = {}): BacktestCacheServer {
  const env = getEnv();
  return new BacktestCacheServer({
    store: createStore(env),
    maxTemporaryBytes: env.CACHE_MAX_MB === undefined ? null : Math.floor(env.CACHE_MAX_MB * 1024 * 1024),
    ...overrides,
  });
}

/**
 * The process-wide cache server (CACHE_STORE with CACHE_DIR or REDIS_URL/REDIS_PREFIX, and
 * CACHE_MAX_MB from the environment; see lib/cache/create-store.ts). Kept on
 * globalThis so every route bundle and module reload shares one instance: one single-flight
 * map and one set of statistics per process.
 */
export const backtestCacheServer: BacktestCacheServer = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??=
  createCacheServerFromEnv()) as BacktestCacheServer;
