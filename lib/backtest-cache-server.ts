/**
 * The result cache of SPEC §5 in front of the backtest engine: lookup in the permanent tier, then
 * the temporary tier (stale after 24 h), then compute; single-flight for concurrent misses of one
 * key; corrupt or version-mismatched entries treated as misses and replaced; cache I/O failures
 * degrade to computing without the cache; hit bookkeeping (accessCount, lastAccessed) written
 * later, off the response path. Storage is a CacheStore chosen by lib/cache/create-store.ts (files
 * by default, or Redis shared by several instances); on a store shared by several processes,
 * concurrent misses of one key are computed once across all of them (a compute lock per key).
 *
 * Server side (Node APIs) but without `server-only`: scripts import it too.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { getEnv } from './env';
import { ENGINE_VERSION } from './engine';
import type { BacktestDetail, BacktestResult } from './engine/types';
import { loadSeries } from './market-data';
import { computeBacktest } from './run-backtest';
import { RequestError } from './errors';
import { backtestParamsSchema, formatZodError, type Asset, type BacktestParams, type ClearScope, type Timeframe } from './schemas';
import {
  CACHE_TIERS,
  ENTRY_FORMAT_VERSION,
  InvalidEntryError,
  validateEntry,
  type CacheEntry,
  type CacheTier,
} from './cache/entry';
import { createStore } from './cache/create-store';
import { FileCacheStore } from './cache/file-store';
import { cacheKey, keyMarket } from './cache/key';
import { isFinalizedRange, staleReason, TEMPORARY_TTL_MS } from './cache/policy';
import { CacheStatsRecorder } from './cache/stats';
import type { CacheStore, ComputeLock, StoredItem } from './cache/store';
import type { CacheInfo, CacheStats, ClearResult, RunOutcome } from './cache/types';

/** Output of one backtest computation (the shape of `computeBacktest` in lib/run-backtest.ts). */
export interface ComputeOutput {
  result: BacktestResult;
  detail?: BacktestDetail;
  /** MarketSeries.dataVersion of the data the result came from. */
  dataVersion: string;
}

/** Computes one backtest; `detail` asks for the chart series and trades as well. */
export type ComputeFn = (params: BacktestParams, options: { detail?: boolean }) => Promise<ComputeOutput>;

/** What the cache needs to know about a loaded market series. */
export interface SeriesFacts {
  /** MarketSeries.dataVersion. */
  dataVersion: string;
  /** Close time of the newest bar, Unix ms (its open time + interval). */
  lastCloseTime: number;
}

/** Receives the cache's log lines (`[CACHE HIT] …`, `[CACHE MISS] …`, `[BACKTEST FLOW] …`, …). */
export interface CacheLogger {
  info(line: string): void;
  warn(line: string): void;
}

/** Construction options; every dependency is injectable for tests. */
export interface BacktestCacheServerOptions {
  /** Cache folder holding `permanent/` and `temporary/` (used when `store` is not given). */
  cacheDir?: string;
  /** Storage; default a FileCacheStore on `cacheDir`. */
  store?: CacheStore;
  /** Backtest computation; default computeBacktest (lib/run-backtest.ts). */
  compute?: ComputeFn;
  /** Data version and last close of a series; default from loadSeries (lib/market-data). */
  seriesFacts?: (asset: Asset, timeframe: Timeframe) => Promise<SeriesFacts>;
  /** Version written into and required of entries; default ENGINE_VERSION. */
  engineVersion?: string;
  /** Clock in Unix ms for computedAt, lastAccessed, ages and TTL; default Date.now. */
  now?: () => number;
  /** Bound on the temporary tier in bytes (least recently accessed entries evicted); null = unlimited. */
  maxTemporaryBytes?: number | null;
  logger?: CacheLogger;
  /** Delay before hit bookkeeping is written, ms (default 5000); hits in between are coalesced. */
  bookkeepingDelayMs?: number;
  /**
   * Shared stores only: lifetime of a key's compute lock, ms (default 15000). A holder that dies
   * blocks the key at most this long; instances waiting for it then compute themselves.
   */
  lockTtlMs?: number;
  /** Shared stores only: how often an instance waiting for another's computation looks for the entry, ms (default 20). */
  lockPollMs?: number;
}

/** Options of one `runAndCache` call. */
export interface RunOptions {
  /** Store the result in (or move a cached one to) the permanent tier. */
  permanent?: boolean;
  /** Skip the lookup, recompute and overwrite the stored entry. */
  forceRefresh?: boolean;
  /**
   * `normal` and `high` are interactive requests (the execute route passes one): they never wait
   * for warm-up work, and `whenInteractiveIdle()` waits for them. Left out = background work.
   */
  priority?: 'normal' | 'high';
  /** Also return the chart detail (computed, never stored). */
  detail?: boolean;
}

/** A stored entry with its place and freshness, as scanned for info, clear and getAllForAsset. */
interface ScannedEntry extends StoredItem {
  tier: CacheTier;
  entry: CacheEntry | null;
  /** Why a lookup would not serve it (unreadable, other version, too old), or null when fresh. */
  staleReason: string | null;
}

type Hit = { tier: CacheTier; entry: CacheEntry };

type Probe =
  | { kind: 'hit'; entry: CacheEntry }
  | { kind: 'absent' }
  | { kind: 'stale'; reason: string };

interface PendingAccess {
  tier: CacheTier;
  key: string;
  computedAt: number;
  hits: number;
  lastAccessed: number;
}

/** Leftovers of interrupted atomic writes older than this are removed by stale/all clears, ms. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;
/** Cache I/O errors of one kind are logged at most once per this interval, ms. */
const IO_ERROR_LOG_INTERVAL_MS = 60 * 1000;
/** Eviction brings the temporary tier down to this share of its bound, so it runs rarely. */
const EVICTION_LOW_WATER = 0.9;

/**
 * The cache key of `params`, validated first: keys (and so file names) are only ever built from
 * params that pass backtestParamsSchema, whoever the caller is.
 * @throws RequestError 400 naming the invalid field.
 */
function keyOf(params: BacktestParams): string {
  const parsed = backtestParamsSchema.safeParse(params);
  if (!parsed.success) throw new RequestError(`invalid params: ${formatZodError(parsed.error)}`);
  return cacheKey(params);
}

const ms = (value: number) => `${value.toFixed(1)}ms`;
const errorText = (error: unknown) =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);

/** Data version and last close time of the loaded series (loaded once per process). */
async function loadSeriesFacts(asset: Asset, timeframe: Timeframe): Promise<SeriesFacts> {
  const series = await loadSeries(asset, timeframe);
  const last = series.openTime.length - 1;
  return {
    dataVersion: series.dataVersion,
    lastCloseTime: last >= 0 ? series.openTime[last] + series.intervalMs : 0,
  };
}

/** The result cache. Use the singleton `backtestCacheServer` outside tests. */
export class BacktestCacheServer {
  /** Where entries are stored. */
  readonly store: CacheStore;
  private readonly compute: ComputeFn;
  private readonly seriesFacts: (asset: Asset, timeframe: Timeframe) => Promise<SeriesFacts>;
  private readonly engineVersion: string;
  private readonly now: () => number;
  private readonly maxTemporaryBytes: number | null;
  private readonly logger: CacheLogger;
  private readonly bookkeepingDelayMs: number;
  private readonly lockTtlMs: number;
  private readonly lockPollMs: number;
  private readonly recorder = new CacheStatsRecorder();

  private readonly inFlight = new Map<string, Promise<{ output: ComputeOutput; tier: CacheTier | null }>>();
  private readonly fileLocks = new Map<string, Promise<void>>();
  private readonly pendingAccess = new Map<string, PendingAccess>();
  private bookkeepingTimer: NodeJS.Timeout | null = null;
  /** Bookkeeping writes and evictions run one at a time, in order, off the response path. */
  private maintenanceQueue: Promise<void> = Promise.resolve();
  private readonly maintenance = new Set<Promise<void>>();
  private interactiveInFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private temporaryBytes: number | null = null;
  private evictionQueued = false;
  private readonly ioErrorLog = new Map<string, { at: number; suppressed: number }>();

  constructor(options: BacktestCacheServerOptions) {
    if (!options.store && !options.cacheDir) throw new Error('BacktestCacheServer needs cacheDir or store');
    this.store = options.store ?? new FileCacheStore(options.cacheDir!);
    this.compute = options.compute ?? computeBacktest;
    this.seriesFacts = options.seriesFacts ?? loadSeriesFacts;
    this.engineVersion = options.engineVersion ?? ENGINE_VERSION;
    this.now = options.now ?? Date.now;
    this.maxTemporaryBytes = options.maxTemporaryBytes ?? null;
    this.logger = options.logger ?? { info: (line) => console.log(line), warn: (line) => console.warn(line) };
    this.bookkeepingDelayMs = options.bookkeepingDelayMs ?? 5000;
    this.lockTtlMs = options.lockTtlMs ?? 15_000;
    this.lockPollMs = options.lockPollMs ?? 20;
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
  async runAndCache(params: BacktestParams, options: RunOptions = {}): Promise<RunOutcome> {
    const interactive = options.priority !== undefined;
    if (interactive) this.interactiveInFlight += 1;
    try {
      return await this.run(params, options);
    } finally {
      if (interactive) this.leaveInteractive();
    }
  }

  /** The cached outcome for `params` without computing, or null on a miss. Not counted in stats. */
  async get(params: BacktestParams): Promise<RunOutcome | null> {
    const started = performance.now();
    const key = keyOf(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const lookup = await this.lookup(key, facts.dataVersion);
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
    const key = keyOf(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const tier = this.targetTier(params, facts, permanent);
    const written = await this.writeEntry(tier, key, result, facts.dataVersion);
    if (written && tier === 'permanent') await this.removeQuietly('temporary', key);
    return written ? tier : null;
  }

  /** Resolves when no interactive (`normal`/`high` priority) request is in flight. */
  whenInteractiveIdle(): Promise<void> {
    if (this.interactiveInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
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
   */
  async clear(scope: ClearScope, asset?: Asset): Promise<ClearResult> {
    const tiers: readonly CacheTier[] = scope === 'permanent' || scope === 'temporary' ? [scope] : CACHE_TIERS;
    const outcome: ClearResult = { removed: 0, freedBytes: 0 };
    for (const tier of tiers) {
      const items: StoredItem[] =
        scope === 'stale' ? (await this.scan(tier)).filter((item) => item.staleReason !== null) : await this.listQuietly(tier);
      for (const { key } of items) {
        if (asset && keyMarket(key)?.asset !== asset) continue;
        this.pendingAccess.delete(`${tier}/${key}`);
        const freed = await this.withFileLock(tier, key, () => this.store.remove(tier, key));
        if (freed === null) continue;
        outcome.removed += 1;
        outcome.freedBytes += freed;
      }
    }
    if ((scope === 'stale' || scope === 'all') && !asset) {
      const orphans = await this.store.removeOrphans(ORPHAN_AGE_MS).catch((error) => {
        this.reportIoError('list', error);
        return { files: 0, bytes: 0 };
      });
      outcome.removed += orphans.files;
      outcome.freedBytes += orphans.bytes;
    }
    if (tiers.includes('temporary')) this.temporaryBytes = null;
    this.logger.info(
      `[BACKTEST FLOW] Cleared ${scope} cache${asset ? ` for ${asset}` : ''}: ${outcome.removed} files, ${outcome.freedBytes} bytes`,
    );
    return outcome;
  }

  /** Fresh entries of one market, one per key (the permanent tier's when both hold it). */
  async getAllForAsset(asset: Asset, timeframe: Timeframe): Promise<CacheEntry[]> {
    const byKey = new Map<string, CacheEntry>();
    for (const tier of CACHE_TIERS) {
      for (const item of await this.scan(tier, { asset, timeframe })) {
        if (item.entry && item.staleReason === null && !byKey.has(item.key)) byKey.set(item.key, item.entry);
      }
    }
    return [...byKey.values()];
  }

  /** Storage statistics (entries, bytes) now, plus hits, misses and mean times measured in this process. */
  async stats(): Promise<CacheStats> {
    const [permanent, temporary] = await Promise.all(CACHE_TIERS.map((tier) => this.listQuietly(tier)));
    const bytes = (items: StoredItem[]) => items.reduce((sum, item) => sum + item.bytes, 0);
    return {
      totalEntries: permanent.length + temporary.length,
      permanentEntries: permanent.length,
      temporaryEntries: temporary.length,
      cacheSize: bytes(permanent) + bytes(temporary),
      ...this.recorder.snapshot(),
    };
  }

  /** Entries by tier, stale count, bytes, counts per market, oldest/newest, and the archive folder. */
  async info(): Promise<CacheInfo> {
    const info: CacheInfo = {
      tiers: { permanent: { entries: 0, bytes: 0, stale: 0 }, temporary: { entries: 0, bytes: 0, stale: 0 } },
      totalEntries: 0,
      totalBytes: 0,
      staleEntries: 0,
      byMarket: {},
      oldestComputedAt: null,
      newestComputedAt: null,
      archive: await this.store.archiveUsage().catch((error) => {
        this.reportIoError('list', error);
        return { files: 0, bytes: 0 };
      }),
      engineVersion: this.engineVersion,
      temporaryTtlMs: TEMPORARY_TTL_MS,
      maxTemporaryBytes: this.maxTemporaryBytes,
      store: await this.store.describe(),
    };
    for (const tier of CACHE_TIERS) {
      for (const item of await this.scan(tier)) {
        const tierInfo = info.tiers[tier];
        tierInfo.entries += 1;
        tierInfo.bytes += item.bytes;
        if (item.staleReason !== null) tierInfo.stale += 1;
        const market = keyMarket(item.key)!;
        const counts = (info.byMarket[`${market.asset}-${market.timeframe}`] ??= { permanent: 0, temporary: 0 });
        counts[tier] += 1;
        const computedAt = item.entry?.computedAt;
        if (computedAt === undefined) continue;
        info.oldestComputedAt = Math.min(info.oldestComputedAt ?? computedAt, computedAt);
        info.newestComputedAt = Math.max(info.newestComputedAt ?? computedAt, computedAt);
      }
      info.totalEntries += info.tiers[tier].entries;
      info.totalBytes += info.tiers[tier].bytes;
      info.staleEntries += info.tiers[tier].stale;
    }
    return info;
  }

  /** Writes pending hit bookkeeping now and waits for it and any eviction in progress. */
  async flush(): Promise<void> {
    if (this.bookkeepingTimer) clearTimeout(this.bookkeepingTimer);
    this.bookkeepingTimer = null;
    this.enqueueMaintenance(() => this.writeBookkeeping());
    while (this.maintenance.size > 0) await Promise.all([...this.maintenance]);
  }

  private async run(params: BacktestParams, options: RunOptions): Promise<RunOutcome> {
    const started = performance.now();
    const key = keyOf(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const lookup = await this.lookup(key, facts.dataVersion);
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
    const tier = this.targetTier(params, facts, options.permanent === true || hasPermanent);
    const { output } = await this.computeOnce(key, params, tier, {
      replacesTemporary: hasTemporary,
      detail: options.detail === true,
      dataVersion: facts.dataVersion,
      forceRefresh: options.forceRefresh === true,
    });
    const outcome: RunOutcome = { result: { ...output.result, params }, cached: false };
    if (options.detail) outcome.detail = output.detail ?? (await this.computeDetail(params));
    return outcome;
  }

  /** Looks in the permanent tier, then the temporary one; collects stale entries on the way. */
  private async lookup(
    key: string,
    dataVersion: string,
  ): Promise<{ hit: { tier: CacheTier; entry: CacheEntry } | null; stale: { tier: CacheTier; reason: string }[] }> {
    const stale: { tier: CacheTier; reason: string }[] = [];
    for (const tier of CACHE_TIERS) {
      const probe = await this.probe(tier, key, dataVersion);
      if (probe.kind === 'hit') return { hit: { tier, entry: probe.entry }, stale };
      if (probe.kind === 'stale') stale.push({ tier, reason: probe.reason });
    }
    return { hit: null, stale };
  }

  private async probe(tier: CacheTier, key: string, dataVersion: string | null): Promise<Probe> {
    let entry: CacheEntry | null;
    try {
      entry = await this.store.read(tier, key);
    } catch (error) {
      if (error instanceof InvalidEntryError) return { kind: 'stale', reason: `unreadable entry: ${error.reason}` };
      this.reportIoError('read', error);
      return { kind: 'absent' };
    }
    if (!entry) return { kind: 'absent' };
    const reason = staleReason(entry, tier, { engineVersion: this.engineVersion, dataVersion }, this.now());
    return reason ? { kind: 'stale', reason } : { kind: 'hit', entry };
  }

  private serveHit(
    key: string,
    params: BacktestParams,
    hit: { tier: CacheTier; entry: CacheEntry },
    started: number,
  ): RunOutcome {
    const { tier, entry } = hit;
    const now = this.now();
    this.noteAccess(tier, entry, now);
    const label = tier === 'permanent' ? 'Permanent' : 'Temporary';
    this.logger.info(`[CACHE HIT] ${label} cache hit for ${key} in ${ms(performance.now() - started)}`);
    return {
      result: { ...entry.result, params },
      cached: true,
      // Ages under the clock's 1 ms resolution are reported as 1 ms.
      cacheAge: Math.max(1, now - entry.computedAt),
      cacheTier: tier,
    };
  }

  private logMiss(key: string, stale: { tier: CacheTier; reason: string }[]): void {
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
   * lock (see `coordinate`; forceRefresh recomputes without waiting for another instance).
   */
  private computeOnce(
    key: string,
    params: BacktestParams,
    tier: CacheTier,
    run: { replacesTemporary: boolean; detail: boolean; dataVersion: string; forceRefresh: boolean },
  ) {
    const running = this.inFlight.get(key);
    if (running) {
      this.logger.info(`[BACKTEST FLOW] Joining the computation in flight for ${key}`);
      return running;
    }
    const flight = (async () => {
      const shared = run.forceRefresh ? { lock: null } : await this.coordinate(key, run.dataVersion);
      if ('hit' in shared) {
        const { entry } = shared.hit;
        this.logger.info(`[BACKTEST FLOW] ${key} was computed by another instance; taken from the ${shared.hit.tier} cache`);
        return { output: { result: entry.result, dataVersion: entry.dataVersion } as ComputeOutput, tier: shared.hit.tier };
      }
      try {
        this.logger.info(`[BACKTEST FLOW] Computing ${key} (target: ${tier} cache)`);
        const started = performance.now();
        const output = await this.compute(params, { detail: run.detail });
        const elapsed = performance.now() - started;
        this.recorder.recordComputation(elapsed);
        const written = await this.writeEntry(tier, key, output.result, output.dataVersion);
        if (written && tier === 'permanent' && run.replacesTemporary) await this.removeQuietly('temporary', key);
        this.logger.info(
          `[BACKTEST EXEC] ${key}: ${output.result.bars} bars computed in ${ms(elapsed)}, ` +
            (written ? `stored in the ${tier} cache` : 'not stored (cache unavailable)'),
        );
        return { output, tier: written ? tier : null };
      } finally {
        await shared.lock?.release().catch((error) => this.reportIoError('lock release', error));
      }
    })();
    this.inFlight.set(key, flight);
    const release = () => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    };
    flight.then(release, release);
    return flight;
  }

  /**
   * Cross-instance single-flight on a store several processes share: takes the key's compute
   * lock, or waits for the instance holding it to store the entry, looking every `lockPollMs`. A
   * holder that dies leaves a lock that expires after `lockTtlMs`, which is then taken here; after
   * waiting that long in any case, computes without the lock. Returns the lock to release after
   * computing (null: compute without one, e.g. no coordinator or the store is unreachable), or the
   * fresh entry another instance stored meanwhile.
   */
  private async coordinate(key: string, dataVersion: string): Promise<{ lock: ComputeLock | null } | { hit: Hit }> {
    const coordinator = this.store.coordinator;
    if (!coordinator) return { lock: null };
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      let lock: ComputeLock | null;
      try {
        lock = await coordinator.tryLock(key, this.lockTtlMs);
      } catch (error) {
        this.reportIoError('lock', error);
        return { lock: null };
      }
      // Looked up after every attempt: another instance may have stored the entry since our miss.
      const { hit } = await this.lookup(key, dataVersion);
      if (hit) {
        await lock?.release().catch((error) => this.reportIoError('lock release', error));
        return { hit };
      }
      if (lock) return { lock };
      const waited = performance.now() - started;
      if (attempt === 0) this.logger.info(`[BACKTEST FLOW] Waiting for ${key}: another instance is computing it`);
      if (waited >= this.lockTtlMs) {
        this.logger.info(`[BACKTEST FLOW] Gave up waiting for ${key} after ${ms(waited)}; computing it here`);
        return { lock: null };
      }
      await sleep(this.lockPollMs);
    }
  }

  /**
   * Moves a fresh temporary entry to the permanent tier (asked for with `permanent`), without
   * recomputing. Returns where the entry is served from afterwards.
   */
  private async promote(key: string, entry: CacheEntry): Promise<{ tier: CacheTier; entry: CacheEntry }> {
    const promoted = { ...entry, isPermanent: true };
    try {
      await this.withFileLock('permanent', key, () => this.store.write('permanent', key, promoted));
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
    const now = this.now();
    let entry: CacheEntry;
    try {
      entry = validateEntry(
        {
          key,
          result,
          computedAt: now,
          accessCount: 0,
          lastAccessed: now,
          isPermanent: tier === 'permanent',
          version: ENTRY_FORMAT_VERSION,
          engineVersion: this.engineVersion,
          dataVersion,
        },
        key,
      );
    } catch (error) {
      this.reportIoError('entry validation', error);
      return false;
    }
    try {
      const bytes = await this.withFileLock(tier, key, () => this.store.write(tier, key, entry));
      this.pendingAccess.delete(`${tier}/${key}`);
      if (tier === 'temporary') this.afterTemporaryWrite(bytes);
      return true;
    } catch (error) {
      this.reportIoError('write', error);
      return false;
    }
  }

  private async removeQuietly(tier: CacheTier, key: string): Promise<void> {
    this.pendingAccess.delete(`${tier}/${key}`);
    await this.withFileLock(tier, key, () => this.store.remove(tier, key)).catch((error) =>
      this.reportIoError('remove', error),
    );
  }

  /**
   * The entries of a tier as listed, or none when the tier cannot be listed (a file where the
   * folder should be, no permission, the store unreachable): logged, never a failed request.
   */
  private async listQuietly(tier: CacheTier): Promise<StoredItem[]> {
    try {
      return await this.store.list(tier);
    } catch (error) {
      this.reportIoError('list', error);
      return [];
    }
  }

  /** Reads every entry of a tier (optionally one market's) with its freshness. */
  private async scan(tier: CacheTier, market?: { asset: Asset; timeframe: Timeframe }): Promise<ScannedEntry[]> {
    const items = (await this.listQuietly(tier)).filter((item) => {
      const m = keyMarket(item.key);
      return !market || (m?.asset === market.asset && m.timeframe === market.timeframe);
    });
    const dataVersions = new Map<string, Promise<string | null>>();
    const dataVersionOf = (asset: Asset, timeframe: Timeframe) => {
      const id = `${asset}-${timeframe}`;
      if (!dataVersions.has(id)) {
        dataVersions.set(
          id,
          this.seriesFacts(asset, timeframe).then(
            (facts) => facts.dataVersion,
            () => null, // market data unavailable: the data version cannot be compared
          ),
        );
      }
      return dataVersions.get(id)!;
    };
    const now = this.now();
    return Promise.all(
      items.map(async (item): Promise<ScannedEntry> => {
        let entry: CacheEntry | null;
        try {
          entry = await this.store.read(tier, item.key);
        } catch (error) {
          if (!(error instanceof InvalidEntryError)) this.reportIoError('read', error);
          const reason = error instanceof InvalidEntryError ? error.reason : errorText(error);
          return { ...item, tier, entry: null, staleReason: `unreadable entry: ${reason}` };
        }
        if (!entry) return { ...item, tier, entry: null, staleReason: 'removed during the scan' };
        const { asset, timeframe } = keyMarket(item.key)!;
        const current = { engineVersion: this.engineVersion, dataVersion: await dataVersionOf(asset, timeframe) };
        return { ...item, tier, entry, staleReason: staleReason(entry, tier, current, now) };
      }),
    );
  }

  /** Runs read-modify-write work on one stored entry one at a time within this process. */
  private async withFileLock<T>(tier: CacheTier, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${tier}/${key}`;
    const previous = this.fileLocks.get(id) ?? Promise.resolve();
    const result = previous.then(work);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.fileLocks.set(id, done);
    try {
      return await result;
    } finally {
      if (this.fileLocks.get(id) === done) this.fileLocks.delete(id);
    }
  }

  /** Counts a hit for the delayed bookkeeping write. */
  private noteAccess(tier: CacheTier, entry: CacheEntry, now: number): void {
    const id = `${tier}/${entry.key}`;
    const pending = this.pendingAccess.get(id);
    if (pending && pending.computedAt === entry.computedAt) {
      pending.hits += 1;
      pending.lastAccessed = Math.max(pending.lastAccessed, now);
    } else {
      this.pendingAccess.set(id, { tier, key: entry.key, computedAt: entry.computedAt, hits: 1, lastAccessed: now });
    }
    if (this.bookkeepingTimer) return;
    this.bookkeepingTimer = setTimeout(() => {
      this.bookkeepingTimer = null;
      this.enqueueMaintenance(() => this.writeBookkeeping());
    }, this.bookkeepingDelayMs);
    this.bookkeepingTimer.unref();
  }

  /** Adds pending hit counts to the stored entries they were counted on (skips replaced ones). */
  private async writeBookkeeping(): Promise<void> {
    const batch = [...this.pendingAccess.values()];
    this.pendingAccess.clear();
    await Promise.all(
      batch.map((access) =>
        this.withFileLock(access.tier, access.key, () =>
          this.store.update(access.tier, access.key, (stored) =>
            stored.computedAt !== access.computedAt
              ? null // replaced since the hits were counted: they belong to the old entry
              : {
                  ...stored,
                  accessCount: stored.accessCount + access.hits,
                  lastAccessed: Math.max(stored.lastAccessed, access.lastAccessed),
                },
          ),
        ).catch((error) => {
          if (!(error instanceof InvalidEntryError)) this.reportIoError('bookkeeping', error);
        }),
      ),
    );
  }

  private afterTemporaryWrite(bytes: number): void {
    if (this.maxTemporaryBytes === null) return;
    if (this.temporaryBytes !== null) this.temporaryBytes += bytes;
    if (this.temporaryBytes !== null && this.temporaryBytes <= this.maxTemporaryBytes) return;
    if (this.evictionQueued) return;
    this.evictionQueued = true;
    this.enqueueMaintenance(async () => {
      this.evictionQueued = false;
      await this.evictTemporary(this.maxTemporaryBytes!).catch((error) => this.reportIoError('eviction', error));
    });
  }

  /**
   * Measures the temporary tier and, when it is over `limit` bytes, removes the least recently
   * accessed entries (by lastAccessed, including hits not yet written) down to 90 % of the limit.
   */
  private async evictTemporary(limit: number): Promise<void> {
    const items = await this.store.list('temporary');
    let total = items.reduce((sum, item) => sum + item.bytes, 0);
    if (total > limit) {
      const byAccess = await Promise.all(
        items.map(async (item) => {
          const entry = await this.store.read('temporary', item.key).catch(() => null);
          const pending = this.pendingAccess.get(`temporary/${item.key}`)?.lastAccessed ?? 0;
          return { item, lastAccess: Math.max(entry?.lastAccessed ?? 0, pending) };
        }),
      );
      byAccess.sort((a, b) => a.lastAccess - b.lastAccess);
      const target = limit * EVICTION_LOW_WATER;
      let removed = 0;
      let freed = 0;
      for (const { item } of byAccess) {
        if (total <= target) break;
        this.pendingAccess.delete(`temporary/${item.key}`);
        const bytes = await this.withFileLock('temporary', item.key, () => this.store.remove('temporary', item.key));
        total -= item.bytes;
        if (bytes === null) continue;
        removed += 1;
        freed += bytes;
      }
      this.logger.info(
        `[BACKTEST FLOW] Evicted ${removed} least recently accessed temporary entries (${freed} bytes) to stay within ${limit} bytes`,
      );
    }
    this.temporaryBytes = total;
  }

  private enqueueMaintenance(task: () => Promise<void>): void {
    const run = this.maintenanceQueue.then(task);
    this.maintenanceQueue = run;
    this.maintenance.add(run);
    void run.finally(() => this.maintenance.delete(run));
  }

  private leaveInteractive(): void {
    this.interactiveInFlight -= 1;
    if (this.interactiveInFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Logs a cache I/O failure, at most once a minute per kind; the request goes on without the cache. */
  private reportIoError(kind: string, error: unknown): void {
    const now = this.now();
    const last = this.ioErrorLog.get(kind);
    if (last && now - last.at < IO_ERROR_LOG_INTERVAL_MS) {
      last.suppressed += 1;
      return;
    }
    const more = last?.suppressed ? ` (${last.suppressed} more since the last report)` : '';
    this.ioErrorLog.set(kind, { at: now, suppressed: 0 });
    this.logger.warn(`[CACHE ERROR] Cache ${kind} failed: ${errorText(error)}; continuing without the cache${more}`);
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
