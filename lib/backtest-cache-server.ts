/**
 * The result cache of SPEC §5 in front of the backtest engine: lookup in the permanent tier, then
 * the temporary tier (stale after 24 h), then compute; single-flight for concurrent misses of one
 * key (a caller that joins keeps its own tier rule); corrupt, special or version-mismatched
 * entries treated as misses and replaced; cache I/O failures degrade to computing without the
 * cache; hit bookkeeping (accessCount, lastAccessed) written later, off the response path; one
 * CACHE_MAX_MB bound on both tiers; info and stats from an in-memory inventory reconciled in the
 * background. Storage is a CacheStore chosen by lib/cache/create-store.ts (files by default, or
 * Redis shared by several instances; then concurrent misses are computed once across all of them).
 *
 * Besides backtests it stores generic documents (`runAndCacheDocument`, e.g. walk-forward results
 * under `WF-…` keys) with the same tiers, rules and bound.
 *
 * This file is the lookup → compute → store flow; the machinery it uses lives in lib/cache/, one
 * job per module (docs/cache.md). Server only: scripts run under the `react-server` condition.
 */
import 'server-only';
import type { z } from 'zod';
import { getEnv } from './env';
import { CacheStoreError } from './errors';
import { ENGINE_VERSION } from './engine';
import type { BacktestDetail, BacktestResult } from './engine/types';
import { computeBacktest } from './backtest-service';
import type { Asset, BacktestParams, ClearScope, Timeframe } from './schemas';
import { CacheBound } from './cache/cache-bound';
import {
  CrossInstanceSingleFlight,
  EntryLocks,
  InteractiveGate,
  MaintenanceQueue,
  SingleFlight,
} from './cache/concurrency';
import { createStore } from './cache/create-store';
import { CACHE_TIERS, newEntry, type CacheEntry, type CacheHit, type CacheTier } from './cache/entry';
import { FileCacheStore } from './cache/file-store';
import { HitBookkeeping } from './cache/hit-bookkeeping';
import { CacheInventory } from './cache/inventory';
import { isDocumentKey, validatedCacheKey } from './cache/key';
import { errorText, formatMs, ThrottledIoErrorLog, type ReportIoError } from './cache/log';
import { EntryLookup, type ResultCheck, type StaleFind } from './cache/lookup';
import { isFinalizedRange, TEMPORARY_TTL_MS } from './cache/policy';
import { loadSeriesFacts, type SeriesFacts } from './cache/series-facts';
import { CacheStatsRecorder } from './cache/stats';
import type { CacheStore } from './cache/store';
import type { CacheInfo, CacheStats, ClearResult, RunOutcome } from './cache/types';

export type { SeriesFacts } from './cache/series-facts';

/** Output of one backtest computation (the shape of `computeBacktest` in lib/run-backtest.ts). */
export interface ComputeOutput {
  result: BacktestResult;
  detail?: BacktestDetail;
  /** MarketSeries.dataVersion of the data the result came from. */
  dataVersion: string;
}

/** Computes one backtest; `detail` asks for the chart series and trades as well. */
export type ComputeFn = (params: BacktestParams, options: { detail?: boolean }) => Promise<ComputeOutput>;

/** Receives the cache's log lines (`[CACHE HIT] …`, `[CACHE MISS] …`, `[BACKTEST FLOW] …`, …). */
export interface CacheLogger {
  info(line: string): void;
  warn(line: string): void;
}

/** Construction options of BacktestCacheServer; every dependency is injectable for tests. */
export interface BacktestCacheServerOptions {
  /** Cache folder holding `permanent/` and `temporary/` (used when `store` is not given). */
  cacheDir?: string;
  /** Storage; default a FileCacheStore on `cacheDir`. */
  store?: CacheStore;
  /** Backtest computation; default computeBacktest (lib/run-backtest.ts). */
  compute?: ComputeFn;
  /** Data version and last close of a series; default loadSeriesFacts (lib/cache/series-facts.ts). */
  seriesFacts?: (asset: Asset, timeframe: Timeframe) => Promise<SeriesFacts>;
  /** Version written into and required of entries; default ENGINE_VERSION. */
  engineVersion?: string;
  /** Clock in Unix ms for computedAt, lastAccessed, ages and TTL; default Date.now. */
  now?: () => number;
  /** Bound on both tiers together in bytes (least recently accessed entries evicted, temporary first); null = unlimited. */
  maxBytes?: number | null;
  logger?: CacheLogger;
  /** Delay before hit bookkeeping is written, ms (default 5000); hits in between are coalesced. */
  bookkeepingDelayMs?: number;
  /** Interval between background inventory scans, ms (default 60 000). */
  scanIntervalMs?: number;
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
   * for warm-up work, and `whenInteractiveQuiet()` waits for them. Left out = background work.
   */
  priority?: 'normal' | 'high';
  /** Also return the chart detail (computed from the in-memory series, never stored). */
  detail?: boolean;
}

/** What `runAndCacheDocument` is asked: a document kept in the cache under `key`. */
export interface DocumentRequest<T> {
  /** `WF-…`: letters, digits, `.` and `-` (lib/cache/key.ts isDocumentKey); anything else throws. */
  key: string;
  /** Validates the document on write and on every read (a stored value that fails it is a miss, replaced). */
  schema: z.ZodType<T>;
  /** Store it in (or move a cached one to) the permanent tier; else temporary (stale after 24 h). */
  permanent: boolean;
  /** Version of the data the document is computed from; an entry of another data version is stale. */
  dataVersion: string;
  /** Skip the lookup, recompute and overwrite the stored entry. */
  forceRefresh?: boolean;
  /** Computes the document on a miss (once for concurrent misses of one key). */
  compute: () => Promise<T>;
}

/** What `runAndCacheDocument` returns. `cacheTier` and `cacheAge` (ms since computed, ≥ 1) when `cached`. */
export interface DocumentOutcome<T> {
  value: T;
  cached: boolean;
  cacheTier?: CacheTier;
  cacheAge?: number;
}

/** How one key is looked up, computed and stored (backtests and documents alike). */
interface EntryPlan<R, X> {
  key: string;
  dataVersion: string;
  check: ResultCheck<R>;
  /** Asked for the permanent tier (a fresh temporary entry is then moved there). */
  permanent: boolean;
  forceRefresh: boolean;
  /** Tier a computed result goes to, given whether the key has a permanent entry (fresh or stale). */
  targetTier: (hasPermanent: boolean) => CacheTier;
  compute: () => Promise<{ result: R; dataVersion: string; extra?: X }>;
  /** The `[BACKTEST EXEC]` line's description of a computed result, e.g. `1234 bars`. */
  describe: (result: R) => string;
}

/** A lookup's hit, or the computation a miss ran or joined. */
type EntryOutcome<R, X> = { hit: CacheHit<R> } | { computed: { result: R; dataVersion: string; extra?: X } };

/** A finished computation and the tier it was stored in (null: not stored). */
interface Stored {
  output: { result: unknown; dataVersion: string; extra?: unknown };
  tier: CacheTier | null;
}

/** Leftovers of interrupted atomic writes older than this are removed by stale/all clears, ms. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;

/** Backtest results are validated by the store when read (lib/cache/entry.ts). */
const backtestResult: ResultCheck<BacktestResult> = (result) => ({ value: result as BacktestResult });

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
  /** Bookkeeping writes run one at a time, in order, off the response path. */
  private readonly maintenance = new MaintenanceQueue();
  private readonly bookkeeping: HitBookkeeping;
  private readonly bound: CacheBound;
  private readonly lookup: EntryLookup;
  private readonly inventory: CacheInventory;
  private readonly computations = new SingleFlight<Stored>();
  private readonly crossInstance: CrossInstanceSingleFlight;

  constructor(options: BacktestCacheServerOptions) {
    if (!options.store && !options.cacheDir) throw new Error('BacktestCacheServer needs cacheDir or store');
    this.logger = options.logger ?? { info: (line) => console.log(line), warn: (line) => console.warn(line) };
    this.store = options.store ?? new FileCacheStore(options.cacheDir!, { warn: (line) => this.logger.warn(line) });
    this.compute = options.compute ?? computeBacktest;
    this.seriesFacts = options.seriesFacts ?? loadSeriesFacts;
    this.engineVersion = options.engineVersion ?? ENGINE_VERSION;
    this.now = options.now ?? Date.now;
    const info = (line: string) => this.logger.info(line);
    const reportIoError = (this.reportIoError = new ThrottledIoErrorLog({
      now: () => this.now(),
      warn: (line) => this.logger.warn(line),
    }).report);
    const { store, locks, maintenance: queue } = this;
    this.bookkeeping = new HitBookkeeping({ store, locks, queue, delayMs: options.bookkeepingDelayMs ?? 5000, reportIoError });
    this.inventory = new CacheInventory({
      store,
      engineVersion: this.engineVersion,
      now: () => this.now(),
      dataVersion: async (asset, timeframe) => (await this.seriesFacts(asset, timeframe)).dataVersion,
      reportIoError,
      scanIntervalMs: options.scanIntervalMs,
    });
    this.bound = new CacheBound({
      maxBytes: options.maxBytes ?? null,
      inventory: this.inventory,
      remove: (tier, key) => this.removeEntry(tier, key),
      info,
      reportIoError,
    });
    this.lookup = new EntryLookup({
      store,
      inventory: this.inventory,
      engineVersion: this.engineVersion,
      now: () => this.now(),
      reportIoError,
    });
    this.crossInstance = new CrossInstanceSingleFlight({
      coordinator: store.coordinator,
      lockTtlMs: options.lockTtlMs ?? 15_000,
      lockPollMs: options.lockPollMs ?? 20,
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

  /**
   * A document (e.g. a walk-forward result) from the cache, or computed by `request.compute` and
   * stored under `request.key`, with the rules of backtests: permanent tier, then temporary (stale
   * after 24 h), an entry of another engine or data version stale; single-flight; atomic writes
   * that never follow a link; counted in info (`walkForward`), stats and the CACHE_MAX_MB bound.
   * A computed value that fails `schema` is returned but not stored (logged).
   * @throws Error when `key` is not a document key (`WF-…`); whatever `compute` throws.
   */
  async runAndCacheDocument<T>(request: DocumentRequest<T>): Promise<DocumentOutcome<T>> {
    const { key, schema, dataVersion } = request;
    if (!isDocumentKey(key)) throw new Error(`not a document key: ${JSON.stringify(key)}`);
    const check: ResultCheck<T> = (value) => {
      const parsed = schema.safeParse(value);
      return parsed.success ? { value: parsed.data } : { reason: parsed.error.issues[0]?.message ?? 'invalid document' };
    };
    const started = performance.now();
    const outcome = await this.serveOrCompute<T, never>({
      key,
      dataVersion,
      check,
      permanent: request.permanent,
      forceRefresh: request.forceRefresh === true,
      targetTier: (hasPermanent) => (request.permanent || hasPermanent ? 'permanent' : 'temporary'),
      compute: async () => ({ result: await request.compute(), dataVersion }),
      describe: () => 'document',
    });
    if ('computed' in outcome) return { value: outcome.computed.result, cached: false };
    const { tier, entry } = outcome.hit;
    this.finishHit(key, tier, started);
    return { value: entry.result, cached: true, cacheTier: tier, cacheAge: Math.max(1, this.now() - entry.computedAt) };
  }

  /** The cached outcome for `params` without computing, or null on a miss. Not counted in stats. */
  async get(params: BacktestParams): Promise<RunOutcome | null> {
    const key = validatedCacheKey(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const started = performance.now();
    const lookup = await this.lookup.find(key, facts.dataVersion, backtestResult);
    if (!lookup.hit) {
      this.logMiss(key, lookup.stale);
      return null;
    }
    this.noteHit(lookup.hit);
    this.logHit(key, lookup.hit.tier, performance.now() - started);
    return this.hitOutcome(params, lookup.hit);
  }

  /**
   * Stores a computed `result` for `params`, stamped with the running engine version and the
   * current data version, in the tier runAndCache would choose: permanent when `permanent`, when
   * its dateRange is finalized, or when the key already has a permanent entry (replaced in place,
   * its temporary twin removed). Returns the tier written, or null when the cache is unavailable
   * (logged).
   */
  async set(params: BacktestParams, result: BacktestResult, permanent = false): Promise<CacheTier | null> {
    const key = validatedCacheKey(params);
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const lookup = await this.lookup.find(key, facts.dataVersion, backtestResult);
    const hasPermanent = lookup.hit?.tier === 'permanent' || lookup.stale.some((s) => s.tier === 'permanent');
    const tier = this.targetTier(params, facts, permanent || hasPermanent);
    const written = await this.writeEntry(tier, key, result, facts.dataVersion);
    if (written && tier === 'permanent') await this.removeQuietly('temporary', key);
    return written ? tier : null;
  }

  /**
   * Resolves once no interactive (`normal`/`high` priority) request has been in flight for 20 ms,
   * and after 50 ms at the latest (InteractiveGate.whenQuiet): warm-up runners wait for it
   * before each item.
   */
  whenInteractiveQuiet(): Promise<void> {
    return this.interactive.whenQuiet();
  }

  /** Removes every stale or unreadable entry (and old leftovers of interrupted writes). */
  cleanStale(): Promise<ClearResult> {
    return this.clear('stale');
  }

  /**
   * Removes entries: `temporary`, `permanent` or `all` tiers, or `stale` (unreadable, other
   * engine/data version, expired temporary) in both; only keys of `asset` when given (documents
   * have no asset: only clears without one remove them). Works from the inventory, removing names
   * (never what a link points to). `stale` and `all` without an asset also remove leftovers of
   * interrupted writes older than 10 min. `removed` counts files.
   * @throws CacheStoreError (503) when the store refuses to remove entries (read-only, down);
   * the message says how many were removed and how many were not.
   */
  async clear(scope: ClearScope, asset?: Asset): Promise<ClearResult> {
    await this.inventory.ready();
    const tiers: readonly CacheTier[] = scope === 'permanent' || scope === 'temporary' ? [scope] : CACHE_TIERS;
    const outcome: ClearResult = { removed: 0, freedBytes: 0 };
    let failed = 0;
    let firstFailure: unknown;
    for (const { tier, key, market } of await this.inventory.select(tiers, scope === 'stale')) {
      if (asset && !market?.startsWith(`${asset}-`)) continue;
      const freed = await this.removeEntry(tier, key).catch((error: unknown) => {
        failed += 1;
        firstFailure ??= error;
        return null;
      });
      if (freed === null) continue;
      outcome.removed += 1;
      outcome.freedBytes += freed;
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
    this.logger.info(
      `[BACKTEST FLOW] Cleared ${scope} cache${asset ? ` for ${asset}` : ''}: ${outcome.removed} files, ${outcome.freedBytes} bytes`,
    );
    return outcome;
  }

  /** Fresh entries of one market, one per key (the permanent tier's when both hold it). */
  async getAllForAsset(asset: Asset, timeframe: Timeframe): Promise<CacheEntry[]> {
    await this.inventory.ready();
    return this.inventory.freshEntries(asset, timeframe);
  }

  /**
   * Storage figures from the inventory (entries, bytes), plus hits, misses and mean times measured
   * in this process.
   * @throws CacheStoreError (503) when no inventory scan has completed yet (the store did not
   * answer): figures are never reported as zero because the store was slow.
   */
  async stats(): Promise<CacheStats> {
    await this.inventoryReady();
    return { ...this.inventory.storage(), ...this.recorder.snapshot() };
  }

  /**
   * Entries by tier, stale count, bytes, counts per market and of documents, oldest/newest, the
   * archive folder, all from the inventory; and the store's own description (Redis: asked live).
   * @throws CacheStoreError (503) when the store does not answer (e.g. a Redis timeout).
   */
  async info(): Promise<CacheInfo> {
    await this.inventoryReady();
    const store = await this.store.describe().catch((error: unknown) => {
      throw new CacheStoreError(`the cache store did not answer (${errorText(error)}); cache info is unavailable, try again`, {
        cause: error,
      });
    });
    return {
      ...(await this.inventory.tally()),
      archive: this.inventory.archiveUsage(),
      engineVersion: this.engineVersion,
      temporaryTtlMs: TEMPORARY_TTL_MS,
      maxBytes: this.bound.maxBytes,
      store,
    };
  }

  /** Reconciles the inventory with the store now (normally every 60 s in the background). */
  async rescan(): Promise<void> {
    await this.inventory.ready();
    await this.inventory.scan();
  }

  /** Writes pending hit bookkeeping now and waits for it. */
  async flush(): Promise<void> {
    this.bookkeeping.writeNow();
    await this.maintenance.drain();
  }

  /** Stops the background inventory scans (tests and scripts that create several servers). */
  close(): void {
    this.inventory.stop();
  }

  private async inventoryReady(): Promise<void> {
    await this.inventory.ready();
    if (!this.inventory.hasScanned) {
      throw new CacheStoreError('the cache store has not answered an inventory scan yet; cache figures are unavailable, try again');
    }
  }

  private async run(params: BacktestParams, options: RunOptions): Promise<RunOutcome> {
    const key = validatedCacheKey(params);
    // Loading the market data (slow once per process) is not part of the cache's response time.
    const facts = await this.seriesFacts(params.asset, params.timeframe);
    const started = performance.now();
    const detail = options.detail === true;
    const outcome = await this.serveOrCompute<BacktestResult, BacktestDetail>({
      key,
      dataVersion: facts.dataVersion,
      check: backtestResult,
      permanent: options.permanent === true,
      forceRefresh: options.forceRefresh === true,
      targetTier: (hasPermanent) => this.targetTier(params, facts, options.permanent === true || hasPermanent),
      compute: async () => {
        const output = await this.compute(params, { detail });
        return { result: output.result, dataVersion: output.dataVersion, extra: output.detail };
      },
      describe: (result) => `${result.bars} bars`,
    });
    if ('hit' in outcome) {
      const served = this.hitOutcome(params, outcome.hit);
      // The caller waits for the detail too: it is part of the hit's response time.
      if (detail) served.detail = await this.computeDetail(params);
      this.finishHit(key, outcome.hit.tier, started);
      return served;
    }
    const served: RunOutcome = { result: { ...outcome.computed.result, params }, cached: false };
    if (detail) served.detail = outcome.computed.extra ?? (await this.computeDetail(params));
    return served;
  }

  /**
   * The lookup → compute → store flow of one key: a fresh entry is served (moved to the
   * permanent tier first when asked); a miss computes once however many callers miss at the same
   * time, and each caller's own tier rule holds (a permanent request that joined a temporary
   * computation stores the result permanently).
   */
  private async serveOrCompute<R, X>(plan: EntryPlan<R, X>): Promise<EntryOutcome<R, X>> {
    const { key } = plan;
    const lookup = await this.lookup.find(key, plan.dataVersion, plan.check);
    if (lookup.hit && !plan.forceRefresh) {
      let hit = lookup.hit;
      if (plan.permanent && hit.tier === 'temporary') hit = await this.promote(key, hit.entry);
      this.noteHit(hit);
      return { hit };
    }
    if (plan.forceRefresh) this.logger.info(`[BACKTEST FLOW] forceRefresh for ${key}: recomputing`);
    else this.logMiss(key, lookup.stale);
    this.recorder.recordMiss();

    const hasPermanent = lookup.hit?.tier === 'permanent' || lookup.stale.some((s) => s.tier === 'permanent');
    const hasTemporary = lookup.hit?.tier === 'temporary' || lookup.stale.some((s) => s.tier === 'temporary');
    const tier = plan.targetTier(hasPermanent);
    let joined = false;
    const stored = await this.computations.run(
      key,
      () => this.computeAndStore(plan, tier, hasTemporary),
      () => {
        joined = true;
        this.logger.info(`[BACKTEST FLOW] Joining the computation in flight for ${key}`);
      },
    );
    const computed = stored.output as { result: R; dataVersion: string; extra?: X };
    if (joined && tier === 'permanent' && stored.tier === 'temporary') {
      // The computation we joined stored a temporary entry; this caller's rule asks for permanent.
      if (await this.writeEntry('permanent', key, computed.result, computed.dataVersion)) {
        await this.removeQuietly('temporary', key);
        this.logger.info(`[BACKTEST FLOW] Stored ${key} in the permanent cache for a caller that joined its computation`);
      }
    }
    return { computed };
  }

  /**
   * Computes `plan.key` and stores it in `tier`: once across processes sharing the store through
   * its compute lock (forceRefresh recomputes without waiting for another instance).
   */
  private async computeAndStore<R, X>(plan: EntryPlan<R, X>, tier: CacheTier, replacesTemporary: boolean): Promise<Stored> {
    const { key } = plan;
    const claim = plan.forceRefresh
      ? { lock: null }
      : await this.crossInstance.claim(key, async () => (await this.lookup.find(key, plan.dataVersion, plan.check)).hit);
    if ('hit' in claim) {
      const { entry } = claim.hit;
      this.logger.info(`[BACKTEST FLOW] ${key} was computed by another instance; taken from the ${claim.hit.tier} cache`);
      return { output: { result: entry.result, dataVersion: entry.dataVersion }, tier: claim.hit.tier };
    }
    try {
      this.logger.info(`[BACKTEST FLOW] Computing ${key} (target: ${tier} cache)`);
      const started = performance.now();
      const output = await plan.compute();
      const elapsed = performance.now() - started;
      this.recorder.recordComputation(elapsed);
      const checked = plan.check(output.result);
      if ('reason' in checked) this.reportIoError('entry validation', new Error(`${key}: ${checked.reason}`));
      const written = 'value' in checked && (await this.writeEntry(tier, key, output.result, output.dataVersion));
      if (written && tier === 'permanent' && replacesTemporary) await this.removeQuietly('temporary', key);
      this.logger.info(
        `[BACKTEST EXEC] ${key}: ${plan.describe(output.result)} computed in ${formatMs(elapsed)}, ` +
          (written ? `stored in the ${tier} cache` : 'not stored (cache unavailable)'),
      );
      return { output, tier: written ? tier : null };
    } finally {
      await this.crossInstance.release(claim.lock);
    }
  }

  private hitOutcome(params: BacktestParams, hit: CacheHit): RunOutcome {
    return {
      result: { ...hit.entry.result, params },
      cached: true,
      // Ages under the clock's 1 ms resolution are reported as 1 ms.
      cacheAge: Math.max(1, this.now() - hit.entry.computedAt),
      cacheTier: hit.tier,
    };
  }

  /** Hit bookkeeping (written later) and the inventory's lastAccessed. */
  private noteHit(hit: CacheHit<unknown>): void {
    const now = this.now();
    this.bookkeeping.note(hit.tier, hit.entry, now);
    this.inventory.noteHit(hit.tier, hit.entry.key, now);
  }

  /** Logs a served hit and records its response time: from the lookup to the answer (detail included). */
  private finishHit(key: string, tier: CacheTier, started: number): void {
    const elapsed = performance.now() - started;
    this.recorder.recordHit(elapsed);
    this.logHit(key, tier, elapsed);
  }

  private logHit(key: string, tier: CacheTier, elapsed: number): void {
    const label = tier === 'permanent' ? 'Permanent' : 'Temporary';
    this.logger.info(`[CACHE HIT] ${label} cache hit for ${key} in ${formatMs(elapsed)}`);
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
   * Moves a fresh temporary entry to the permanent tier (asked for with `permanent`), without
   * recomputing. Returns where the entry is served from afterwards.
   */
  private async promote<R>(key: string, entry: CacheEntry<R>): Promise<CacheHit<R>> {
    const promoted = { ...entry, isPermanent: true };
    if (!(await this.storeEntry('permanent', promoted))) return { tier: 'temporary', entry };
    await this.removeQuietly('temporary', key);
    this.logger.info(`[BACKTEST FLOW] Promoted ${key} to the permanent cache`);
    return { tier: 'permanent', entry: promoted };
  }

  /** Chart detail for a cached result: recomputed from the in-memory series (deterministic). */
  private async computeDetail(params: BacktestParams): Promise<BacktestDetail | undefined> {
    return (await this.compute(params, { detail: true })).detail;
  }

  /** Writes a new entry; false (logged) when the cache is unavailable or the result is not storable. */
  private async writeEntry(tier: CacheTier, key: string, result: unknown, dataVersion: string): Promise<boolean> {
    let entry: CacheEntry<unknown>;
    try {
      entry = newEntry({ key, result, tier, now: this.now(), engineVersion: this.engineVersion, dataVersion });
    } catch (error) {
      this.reportIoError('entry validation', error);
      return false;
    }
    return this.storeEntry(tier, entry);
  }

  /**
   * Stores an entry within the CACHE_MAX_MB bound (evicting first when needed) and records it in
   * the inventory; false (logged) when the cache is unavailable.
   */
  private async storeEntry(tier: CacheTier, entry: CacheEntry<unknown>): Promise<boolean> {
    const release = await this.bound.reserve(() => this.store.encodedSize(entry));
    try {
      const bytes = await this.locks.run(tier, entry.key, () => this.store.write(tier, entry.key, entry));
      this.bookkeeping.forget(tier, entry.key);
      this.inventory.noteWrite(tier, entry, bytes);
      return true;
    } catch (error) {
      this.reportIoError('write', error);
      return false;
    } finally {
      release();
    }
  }

  /** Removes a stored entry and its unwritten hits; bytes freed, or null when nothing was stored. */
  private async removeEntry(tier: CacheTier, key: string): Promise<number | null> {
    this.bookkeeping.forget(tier, key);
    const freed = await this.locks.run(tier, key, () => this.store.remove(tier, key));
    this.inventory.noteRemoved(tier, key);
    return freed;
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
    maxBytes: env.CACHE_MAX_MB === undefined ? null : Math.floor(env.CACHE_MAX_MB * 1024 * 1024),
    scanIntervalMs: env.CACHE_SCAN_INTERVAL_MS,
    ...overrides,
  });
}

/**
 * The process-wide cache server (CACHE_STORE with CACHE_DIR or REDIS_URL/REDIS_PREFIX,
 * CACHE_MAX_MB and CACHE_SCAN_INTERVAL_MS from the environment; see lib/cache/create-store.ts). Kept on
 * globalThis so every route bundle and module reload shares one instance: one single-flight
 * map, one inventory and one set of statistics per process.
 */
export const backtestCacheServer: BacktestCacheServer = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??=
  createCacheServerFromEnv()) as BacktestCacheServer;
