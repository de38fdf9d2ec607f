/**
 * BacktestCacheServer behaviour (SPEC §5). Everything that does not depend on the storage runs
 * against both stores, files and Redis (a private redis-server, see ./stores.ts); what only
 * files have (pretty-printed text, the archive folder, an operator's `rm`, an unusable folder)
 * follows at the end. Redis-only behaviour (TTL set by Redis, shared single-flight, outages) is in
 * redis-store.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BacktestCacheServerOptions } from '@/lib/backtest-cache-server';
import type { CacheTier } from '@/lib/cache/entry';
import { cacheKey } from '@/lib/cache/key';
import type { CacheStore } from '@/lib/cache/store';
import type { BacktestParams } from '@/lib/schemas';
import { ENGINE_VERSION } from '@/lib/engine';
import { CacheStoreError } from '@/lib/errors';
import { BASE_PARAMS, FAKE_DETAIL, fakeResult, harness as makeHarness, tempDir, type Harness } from './helpers';
import { STORE_KINDS } from './stores';

const KEY = cacheKey(BASE_PARAMS);
const HOUR = 3_600_000;
const withLow = (lowThreshold: number): BacktestParams => ({ ...BASE_PARAMS, lowThreshold });
/** Bytes of every entry of a tier, summed. */
const tierBytes = async (h: Harness, tier: CacheTier) =>
  (await Promise.all((await h.view.keys(tier)).map((key) => h.view.bytes(tier, key)))).reduce((a, b) => a + b, 0);

describe.each(STORE_KINDS)('BacktestCacheServer on the %s store', (kind) => {
  const harness = (options: Partial<BacktestCacheServerOptions> = {}) => makeHarness({ kind, ...options });

  describe('lookup and compute', () => {
    it('computes on a miss, then serves the identical result from the temporary tier', async () => {
      const h = await harness();
      const miss = await h.server.runAndCache(BASE_PARAMS);
      expect(miss).toEqual({ result: fakeResult(BASE_PARAMS, h.clock.now), cached: false });
      h.clock.now += 1500;
      const hit = await h.server.runAndCache(BASE_PARAMS);
      expect(hit).toEqual({ result: miss.result, cached: true, cacheAge: 1500, cacheTier: 'temporary' });
      expect(hit.result.timestamp).toBe(miss.result.timestamp);
      expect(h.calls).toHaveLength(1);
      expect(h.lines[0]).toBe(`[CACHE MISS] No cache entry found for ${KEY}`);
      expect(h.lines.some((l) => l.startsWith(`[BACKTEST FLOW] Computing ${KEY}`))).toBe(true);
      expect(h.lines.some((l) => l.startsWith(`[BACKTEST EXEC] ${KEY}:`) && l.endsWith('stored in the temporary cache'))).toBe(true);
      expect(h.lines.at(-1)).toMatch(new RegExp(`^\\[CACHE HIT\\] Temporary cache hit for ${KEY} in \\d+\\.\\dms$`));
    });

    it('stores the SPEC entry format', async () => {
      const h = await harness();
      const { result } = await h.server.runAndCache(BASE_PARAMS);
      expect(await h.readEntry('temporary', KEY)).toEqual({
        key: KEY,
        result,
        computedAt: h.clock.now,
        accessCount: 0,
        lastAccessed: h.clock.now,
        isPermanent: false,
        version: '1.0',
        engineVersion: ENGINE_VERSION,
        dataVersion: 'data-v1',
      });
    });

    it('echoes the request params exactly, key order included', async () => {
      const h = await harness();
      const reordered = { strategy: 'contrarian', highThreshold: 75, lowThreshold: 25, leverage: 3, timeframe: '4h', asset: 'ETH' } as BacktestParams;
      await h.server.runAndCache(BASE_PARAMS);
      const hit = await h.server.runAndCache(reordered);
      expect(hit.cached).toBe(true);
      expect(hit.result.params).toBe(reordered);
    });

    it('reads the permanent tier before the temporary one', async () => {
      const h = await harness();
      await h.server.set(BASE_PARAMS, fakeResult(BASE_PARAMS, 1, 11), false);
      await h.server.set(BASE_PARAMS, fakeResult(BASE_PARAMS, 2, 22), true);
      h.clock.now += 10;
      const hit = await h.server.runAndCache(BASE_PARAMS);
      expect(hit).toMatchObject({ cached: true, cacheTier: 'permanent' });
      expect(hit.result.returns).toBe(22);
      expect(h.lines.at(-1)).toMatch(/^\[CACHE HIT\] Permanent cache hit for ETH-4h-3x-25-75-contrarian in [\d.]+ms$/);
      expect(h.calls).toHaveLength(0);
    });

    it('treats a temporary entry older than 24 h as stale and replaces it; permanent entries do not age', async () => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS);
      await h.server.runAndCache(withLow(30), { permanent: true });
      h.clock.now += 23 * HOUR;
      expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(true);
      h.clock.now += 2 * HOUR;
      const stale = await h.server.runAndCache(BASE_PARAMS);
      expect(stale.cached).toBe(false);
      expect(h.lines).toContain(
        `[CACHE MISS] Stale cache entry for ${KEY} (temporary: temporary entry is 25.0 h old, the limit is 24 h)`,
      );
      expect((await h.readEntry('temporary', KEY)).computedAt).toBe(h.clock.now);
      expect((await h.server.runAndCache(withLow(30))).cacheTier).toBe('permanent');
      expect(h.calls).toHaveLength(3);
    });

    it('treats another engine or data version as a miss and replaces the entry', async () => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS, { permanent: true });
      const newer = h.make({ engineVersion: '1.1.0' });
      expect((await newer.runAndCache(BASE_PARAMS)).cached).toBe(false);
      expect(h.lines).toContain(`[CACHE MISS] Stale cache entry for ${KEY} (permanent: engine version ${ENGINE_VERSION} ≠ 1.1.0)`);
      // The stale permanent entry is replaced where it was, not shadowed by a temporary one.
      expect((await h.readEntry('permanent', KEY)).engineVersion).toBe('1.1.0');
      expect(await h.view.raw('temporary', KEY)).toBeNull();
      expect((await newer.runAndCache(BASE_PARAMS)).cached).toBe(true);

      h.facts.dataVersion = 'data-v2';
      expect((await newer.runAndCache(BASE_PARAMS)).cached).toBe(false);
      expect(h.lines).toContain(`[CACHE MISS] Stale cache entry for ${KEY} (permanent: data version data-v1 ≠ data-v2)`);
      expect((await h.readEntry('permanent', KEY)).dataVersion).toBe('data-v2');
      expect(h.calls).toHaveLength(3);
    });

    it.each([
      ['garbage', 'not json at all'],
      ['a truncated file', '{\n  "key": "ETH-4h-3x-25-75-contrarian",\n  "resu'],
      ['an empty file', ''],
      ['an entry of another key', null],
    ])('treats %s as a miss and replaces it', async (_, text) => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS);
      const other = await h.readEntry('temporary', KEY);
      await h.view.writeRaw('temporary', KEY, text ?? JSON.stringify({ ...other, key: 'BTC-4h-3x-25-75-contrarian' }));
      const again = await h.server.runAndCache(BASE_PARAMS);
      expect(again.cached).toBe(false);
      expect(h.lines.some((l) => l.startsWith(`[CACHE MISS] Stale cache entry for ${KEY} (temporary: unreadable entry:`))).toBe(true);
      expect((await h.readEntry('temporary', KEY)).key).toBe(KEY);
      expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(true);
    });

    it('forceRefresh recomputes and overwrites the stored entry', async () => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS);
      h.clock.now += 1000;
      const fresh = await h.server.runAndCache(BASE_PARAMS, { forceRefresh: true });
      expect(fresh.cached).toBe(false);
      expect(fresh.result.timestamp).toBe(h.clock.now);
      expect((await h.readEntry('temporary', KEY)).computedAt).toBe(h.clock.now);
      expect(h.lines).toContain(`[BACKTEST FLOW] forceRefresh for ${KEY}: recomputing`);
      expect(h.calls).toHaveLength(2);
    });

    it('adds the chart detail on request, computing it for hits, and never stores it', async () => {
      const h = await harness();
      const miss = await h.server.runAndCache(BASE_PARAMS, { detail: true });
      expect(miss.detail).toEqual(FAKE_DETAIL);
      expect(await h.readEntry('temporary', KEY)).not.toHaveProperty('detail');
      expect(JSON.stringify(await h.readEntry('temporary', KEY))).not.toContain('"points"');
      const hit = await h.server.runAndCache(BASE_PARAMS, { detail: true });
      expect(hit).toMatchObject({ cached: true, detail: FAKE_DETAIL });
      expect(h.calls.map((c) => c.detail)).toEqual([true, true]);
      expect((await h.server.runAndCache(BASE_PARAMS)).detail).toBeUndefined();
    });

    it('get() answers from the cache without computing, and null on a miss', async () => {
      const h = await harness();
      expect(await h.server.get(BASE_PARAMS)).toBeNull();
      expect(h.lines).toEqual([`[CACHE MISS] No cache entry found for ${KEY}`]);
      const { result } = await h.server.runAndCache(BASE_PARAMS);
      h.clock.now += 7;
      expect(await h.server.get(BASE_PARAMS)).toEqual({ result, cached: true, cacheAge: 7, cacheTier: 'temporary' });
      expect(h.calls).toHaveLength(1);
    });

    it('builds keys only from valid params', async () => {
      const h = await harness();
      const bad = { ...BASE_PARAMS, leverage: 1.5 } as BacktestParams;
      await expect(h.server.runAndCache(bad)).rejects.toThrow('invalid params: leverage: leverage must be an integer from 1 to 12');
      await expect(h.server.get({ ...BASE_PARAMS, asset: '../x' } as unknown as BacktestParams)).rejects.toThrow('asset');
      expect(h.calls).toHaveLength(0);
      expect(await h.view.keys('temporary')).toEqual([]);
    });

    it('passes computation errors through and caches nothing', async () => {
      const h = await harness({
        compute: async () => {
          throw new Error('no bars in range');
        },
      });
      await expect(h.server.runAndCache(BASE_PARAMS)).rejects.toThrow('no bars in range');
      expect(await h.view.raw('temporary', KEY)).toBeNull();
    });
  });

  describe('promotion to the permanent tier', () => {
    it('takes the SPEC §5 form runAndCache(params, true) as a request for the permanent tier', async () => {
      const h = await harness();
      expect((await h.server.runAndCache(BASE_PARAMS, true)).cached).toBe(false);
      expect(await h.view.keys('permanent')).toEqual([KEY]);
      expect(await h.server.runAndCache(BASE_PARAMS, false)).toMatchObject({ cached: true, cacheTier: 'permanent' });
    });

    it('stores permanently when asked', async () => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS, { permanent: true });
      expect((await h.readEntry('permanent', KEY)).isPermanent).toBe(true);
      expect(await h.view.raw('temporary', KEY)).toBeNull();
    });

    it('stores permanently when the dateRange lies entirely within finalized data', async () => {
      const h = await harness(); // newest bar closes 2025-06-01 00:00 UTC
      const finalized = { ...BASE_PARAMS, dateRange: { start: '2025-03-01', end: '2025-05-31' } };
      const open = { ...BASE_PARAMS, dateRange: { start: '2025-03-01', end: '2025-06-01' } };
      await h.server.runAndCache(finalized);
      await h.server.runAndCache(open);
      await h.server.runAndCache(BASE_PARAMS);
      expect(await h.view.keys('permanent')).toEqual([cacheKey(finalized)]);
      expect(await h.view.keys('temporary')).toEqual([cacheKey(open), KEY].sort());
    });

    it('promotes a fresh temporary entry without recomputing when permanent is asked', async () => {
      const h = await harness();
      const miss = await h.server.runAndCache(BASE_PARAMS);
      const promoted = await h.server.runAndCache(BASE_PARAMS, { permanent: true });
      expect(promoted).toMatchObject({ cached: true, cacheTier: 'permanent', result: miss.result });
      expect(await h.readEntry('permanent', KEY)).toMatchObject({ isPermanent: true, computedAt: h.clock.now });
      expect(await h.view.raw('temporary', KEY)).toBeNull();
      expect(h.lines).toContain(`[BACKTEST FLOW] Promoted ${KEY} to the permanent cache`);
      expect(h.calls).toHaveLength(1);
    });

    it('moves an entry to the permanent tier when a permanent refresh replaces a temporary one', async () => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS);
      await h.server.runAndCache(BASE_PARAMS, { permanent: true, forceRefresh: true });
      expect(await h.view.raw('permanent', KEY)).not.toBeNull();
      expect(await h.view.raw('temporary', KEY)).toBeNull();
    });
  });

  describe('concurrency', () => {
    it('runs the engine once for 50 simultaneous identical requests on a cold key', async () => {
      const h = await harness();
      h.delay.ms = 30;
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => h.server.runAndCache(BASE_PARAMS, { priority: 'normal' })));
      expect(h.calls).toHaveLength(1);
      expect(new Set(outcomes.map((o) => JSON.stringify(o.result))).size).toBe(1);
      expect(outcomes.every((o) => !o.cached)).toBe(true);
      expect(h.lines.filter((l) => l.startsWith('[BACKTEST EXEC]'))).toHaveLength(1);
      expect(h.lines.filter((l) => l.startsWith('[BACKTEST FLOW] Joining'))).toHaveLength(49);
    });

    it('whenInteractiveQuiet waits for interactive requests only, and a quiet 20 ms after them', async () => {
      const h = await harness();
      h.delay.ms = 20;
      const interactive = h.server.runAndCache(BASE_PARAMS, { priority: 'high' });
      const started = performance.now();
      await h.server.whenInteractiveQuiet();
      const settledAt = performance.now();
      expect(await h.view.raw('temporary', KEY)).not.toBeNull(); // the request had finished its work
      await interactive;
      expect(settledAt - started).toBeGreaterThanOrEqual(20 + 20 - 2); // its 20 ms, then 20 ms of quiet (timer slack)

      let backgroundDone = false;
      const background = h.server.runAndCache(withLow(30)).then(() => (backgroundDone = true)); // no priority: warm-up work
      await h.server.whenInteractiveQuiet();
      expect(backgroundDone).toBe(false); // not waited for
      await background;
    });

    it('whenInteractiveQuiet lets background work through after 50 ms under back-to-back interactive requests', async () => {
      const h = await harness();
      h.delay.ms = 5;
      let stop = false;
      const stream = (async () => {
        // One request after another, each arriving in a new event-loop turn as HTTP requests do
        // (a memory hit settles in microtasks alone).
        for (let i = 0; !stop; i++) {
          await h.server.runAndCache(withLow(1 + (i % 20)), { priority: 'normal' });
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const started = performance.now();
      await h.server.whenInteractiveQuiet();
      const waited = performance.now() - started;
      stop = true;
      await stream;
      expect(waited).toBeGreaterThanOrEqual(50 - 2);
      expect(waited).toBeLessThan(500);
    });
  });

  describe('hit bookkeeping', () => {
    it('records accessCount and lastAccessed after responding, coalesced per entry', async () => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS);
      for (let i = 0; i < 3; i++) {
        h.clock.now += 100;
        await h.server.runAndCache(BASE_PARAMS);
      }
      expect(await h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 0 });
      await h.server.flush();
      expect(await h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 3, lastAccessed: h.clock.now });
      await h.server.runAndCache(BASE_PARAMS);
      await h.server.flush();
      expect(await h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 4 });
    });

    it('writes on its own after the bookkeeping delay', async () => {
      const h = await harness({ bookkeepingDelayMs: 20 });
      await h.server.runAndCache(BASE_PARAMS);
      await h.server.runAndCache(BASE_PARAMS);
      // No flush(): the delayed write lands by itself (polled, so a busy machine cannot make it flaky).
      await expect.poll(async () => (await h.readEntry('temporary', KEY)).accessCount, { timeout: 5_000 }).toBe(1);
    });

    it('never delays a hit, even when the bookkeeping write hangs', async () => {
      const h = await harness({ bookkeepingDelayMs: 0 });
      let hang = false;
      const store = new Proxy(h.view.store, {
        get: (target, prop, receiver) =>
          prop === 'update' && hang ? () => new Promise<boolean>(() => undefined) : Reflect.get(target, prop, receiver),
      }) as CacheStore;
      const server = h.make({ store });
      await server.runAndCache(BASE_PARAMS);
      hang = true;
      await server.runAndCache(BASE_PARAMS);
      await new Promise((r) => setTimeout(r, 10)); // the bookkeeping write is now hanging
      const hit = await server.runAndCache(BASE_PARAMS);
      expect(hit.cached).toBe(true);
    });

    it('does not count hits of a replaced entry onto its replacement', async () => {
      const h = await harness();
      await h.server.runAndCache(BASE_PARAMS);
      await h.server.runAndCache(BASE_PARAMS);
      h.clock.now += 5;
      await h.server.runAndCache(BASE_PARAMS, { forceRefresh: true });
      await h.server.flush();
      expect(await h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 0, computedAt: h.clock.now });
    });
  });

  describe('CACHE_MAX_MB bound on both tiers', () => {
    it('evicts the least recently accessed temporary entries first, then permanent ones', async () => {
      const probe = await harness();
      await probe.server.runAndCache(withLow(20));
      const size = await probe.view.bytes('temporary', cacheKey(withLow(20)));
      // Room for 4 entries; eviction goes down to 90 % of the bound (room for 3 and the new one).
      const h = await harness({ maxBytes: Math.floor(size * 4.8) });
      await h.server.runAndCache(BASE_PARAMS, { permanent: true });
      for (const low of [20, 21, 22]) {
        h.clock.now += 1000;
        await h.server.runAndCache(withLow(low));
      }
      h.clock.now += 1000;
      await h.server.runAndCache(withLow(20)); // 20 is now the most recently accessed temporary entry
      h.clock.now += 1000;
      await h.server.runAndCache(withLow(23)); // 5th entry: 21 goes (least recently accessed temporary)
      expect(await h.view.keys('temporary')).toEqual([20, 22, 23].map((low) => cacheKey(withLow(low))));
      expect(await h.view.raw('permanent', KEY)).not.toBeNull();
      expect(h.lines.some((l) => l.startsWith('[BACKTEST FLOW] Evicted 1 least recently accessed entries'))).toBe(true);
      // Only permanent entries left to evict once the temporary tier is empty.
      for (const low of [30, 31, 32, 33]) {
        h.clock.now += 1000;
        await h.server.runAndCache(withLow(low), { permanent: true });
      }
      expect(await h.view.keys('temporary')).toEqual([]);
      expect((await h.view.keys('permanent')).length).toBeLessThanOrEqual(4);
      expect(await h.view.raw('permanent', KEY)).toBeNull(); // the oldest permanent entry went
      const stats = await h.server.stats();
      expect(stats.cacheSize).toBeLessThanOrEqual(Math.floor(size * 4.8));
    });
  });

  describe('clear, info, stats, getAllForAsset', () => {
    async function populated() {
      const h = await harness();
      const btc = { ...BASE_PARAMS, asset: 'BTC' } as const;
      await h.server.runAndCache(BASE_PARAMS); // ETH temporary
      await h.server.runAndCache(btc); // BTC temporary
      await h.server.runAndCache(withLow(30), { permanent: true }); // ETH permanent
      await h.server.runAndCache({ ...btc, lowThreshold: 30 }, { permanent: true }); // BTC permanent
      h.clock.now += 25 * HOUR; // both temporary entries are now stale
      await h.server.runAndCache(withLow(40)); // ETH temporary, fresh
      return h;
    }

    it('answers a store that refuses removals with CacheStoreError saying what was and was not removed', async () => {
      const h = await populated();
      let removals = 0;
      const refusing = h.make({
        store: {
          ...h.server.store,
          listBatches: (tier) => h.server.store.listBatches(tier),
          readHeaders: (tier, keys) => h.server.store.readHeaders(tier, keys),
          remove: async (tier, key) => {
            if (++removals > 1) throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
            return h.server.store.remove(tier, key);
          },
        },
      });
      const clearing = refusing.clear('temporary');
      await expect(clearing).rejects.toBeInstanceOf(CacheStoreError);
      await expect(clearing).rejects.toThrow(/^could not remove 2 cache entries \(EROFS\); removed 1 \(\d+ bytes\)$/);
      expect(h.lines.filter((l) => l.startsWith('[CACHE ERROR] Cache remove failed'))).toHaveLength(1);
    });

    it('clears one tier for one asset', async () => {
      const h = await populated();
      expect(await h.server.clear('temporary', 'ETH')).toEqual({ removed: 2, freedBytes: expect.any(Number) });
      expect(await h.view.keys('temporary')).toEqual(['BTC-4h-3x-25-75-contrarian']);
      expect(await h.view.keys('permanent')).toHaveLength(2);
    });

    it('clears the permanent tier and reports the bytes freed', async () => {
      const h = await populated();
      const bytes = await tierBytes(h, 'permanent');
      expect(await h.server.clear('permanent')).toEqual({ removed: 2, freedBytes: bytes });
      expect(await h.view.keys('permanent')).toEqual([]);
      expect(await h.view.keys('temporary')).toHaveLength(3);
    });

    it('clears all tiers of one asset', async () => {
      const h = await populated();
      expect((await h.server.clear('all', 'BTC')).removed).toBe(2);
      const left = [...(await h.view.keys('temporary')), ...(await h.view.keys('permanent'))];
      expect(left).toHaveLength(3);
      expect(left.every((key) => key.startsWith('ETH-'))).toBe(true);
    });

    it('clears stale entries only', async () => {
      const h = await populated();
      await h.view.writeRaw('permanent', cacheKey({ ...BASE_PARAMS, leverage: 9 }), '{broken');
      expect((await h.server.cleanStale()).removed).toBe(3);
      expect(await h.view.keys('temporary')).toEqual([cacheKey(withLow(40))]);
      expect(await h.view.keys('permanent')).toHaveLength(2);
      expect((await h.server.clear('stale')).removed).toBe(0);
    });

    it('reports entries by tier, stale count, bytes, markets, oldest/newest and the store', async () => {
      const h = await populated();
      const [permanent, temporary] = [await tierBytes(h, 'permanent'), await tierBytes(h, 'temporary')];
      const info = await h.server.info();
      expect(info).toEqual({
        tiers: {
          permanent: { entries: 2, bytes: permanent, stale: 0 },
          temporary: { entries: 3, bytes: temporary, stale: 2 },
        },
        totalEntries: 5,
        totalBytes: permanent + temporary,
        staleEntries: 2,
        byMarket: { 'ETH-4h': { permanent: 1, temporary: 2 }, 'BTC-4h': { permanent: 1, temporary: 1 } },
        oldestComputedAt: h.clock.now - 25 * HOUR,
        newestComputedAt: h.clock.now,
        walkForward: { permanent: 0, temporary: 0 },
        archive: { files: 0, bytes: 0 },
        engineVersion: ENGINE_VERSION,
        temporaryTtlMs: 24 * HOUR,
        maxBytes: null,
        scannedAt: expect.any(Number),
        store: expect.objectContaining({ kind }),
      });
    });

    it('measures hits, misses and their times', async () => {
      const h = await harness();
      expect(await h.server.stats()).toEqual({
        totalEntries: 0,
        permanentEntries: 0,
        temporaryEntries: 0,
        cacheSize: 0,
        hits: 0,
        misses: 0,
        hitRate: 0,
        avgExecutionTime: 0,
        avgCacheResponseTime: 0,
      });
      h.delay.ms = 15;
      await h.server.runAndCache(BASE_PARAMS);
      await h.server.runAndCache(withLow(30), { permanent: true });
      for (let i = 0; i < 6; i++) await h.server.runAndCache(BASE_PARAMS);
      const stats = await h.server.stats();
      expect(stats).toMatchObject({
        totalEntries: 2,
        permanentEntries: 1,
        temporaryEntries: 1,
        cacheSize: (await h.view.bytes('temporary', KEY)) + (await h.view.bytes('permanent', cacheKey(withLow(30)))),
        hits: 6,
        misses: 2,
        hitRate: 75,
      });
      expect(stats.avgExecutionTime).toBeGreaterThanOrEqual(14);
      expect(stats.avgCacheResponseTime).toBeGreaterThan(0);
      expect(stats.avgCacheResponseTime).toBeLessThan(stats.avgExecutionTime);
    });

    it('lists the fresh entries of one market', async () => {
      const h = await populated();
      const entries = await h.server.getAllForAsset('ETH', '4h');
      expect(entries.map((e) => e.key).sort()).toEqual([cacheKey(withLow(30)), cacheKey(withLow(40))].sort());
      expect(await h.server.getAllForAsset('SOL', '4h')).toEqual([]);
    });
  });
});

describe('BacktestCacheServer on the file store only', () => {
  const harness = (options: Partial<BacktestCacheServerOptions> = {}) => makeHarness({ kind: 'file', ...options });
  const file = (h: Harness, tier: CacheTier, key: string) => path.join(h.dir, tier, `${key}.json`);

  it('writes entries as pretty-printed JSON', async () => {
    const h = await harness();
    await h.server.runAndCache(BASE_PARAMS);
    expect(fs.readFileSync(file(h, 'temporary', KEY), 'utf8').split('\n')[1]).toBe(`  "key": "${KEY}",`);
  });

  it('never reads the archive folder', async () => {
    const h = await harness();
    await h.server.runAndCache(BASE_PARAMS);
    const archived = path.join(h.dir, 'archive', 'temporary');
    fs.mkdirSync(archived, { recursive: true });
    fs.renameSync(file(h, 'temporary', KEY), path.join(archived, `${KEY}.json`));
    fs.copyFileSync(path.join(archived, `${KEY}.json`), path.join(h.dir, 'archive', `${KEY}.json`));
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.calls).toHaveLength(2);
  });

  it('counts the archive in info, apart from the tiers', async () => {
    const h = await harness();
    await h.server.runAndCache(BASE_PARAMS);
    fs.mkdirSync(path.join(h.dir, 'archive'));
    fs.writeFileSync(path.join(h.dir, 'archive', 'old.json'), '0123456789');
    expect(await h.server.info()).toMatchObject({ archive: { files: 1, bytes: 10 }, totalEntries: 1, store: { kind: 'file' } });
  });

  it('keeps answering while an operator deletes the cache folder or a tier', async () => {
    const h = await harness();
    const failures: unknown[] = [];
    for (let i = 0; i < 120; i++) {
      if (i % 10 === 3) fs.rmSync(h.dir, { recursive: true, force: true });
      if (i % 10 === 7) fs.rmSync(path.join(h.dir, 'temporary'), { recursive: true, force: true });
      await Promise.all(
        [0, 1, 2].map((j) => h.server.runAndCache(withLow(20 + ((i + j) % 6)), { permanent: j === 2 }).catch((e) => failures.push(e))),
      );
    }
    expect(failures).toEqual([]);
    expect(h.lines.filter((l) => l.startsWith('[CACHE ERROR]'))).toEqual([]);
    expect(h.calls.length).toBeGreaterThan(6 * 12); // every deletion cost recomputations, never an error
    fs.rmSync(path.join(h.dir, 'temporary'), { recursive: true, force: true });
    await h.server.runAndCache(withLow(40));
    expect(fs.readdirSync(path.join(h.dir, 'temporary'))).toEqual([`${cacheKey(withLow(40))}.json`]);
  });

  it('computes without the cache when the cache folder is unusable, logging once per minute', async () => {
    const blocker = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    const h = await harness({ cacheDir: blocker });
    for (let i = 0; i < 5; i++) {
      const outcome = await h.server.runAndCache(BASE_PARAMS);
      expect(outcome).toMatchObject({ cached: false, result: { params: BASE_PARAMS } });
    }
    expect(h.calls).toHaveLength(5);
    const errors = h.lines.filter((l) => l.startsWith('[CACHE ERROR]'));
    expect(errors).toEqual([
      '[CACHE ERROR] Cache read failed: CACHE_FOLDER_REFUSED; continuing without the cache',
      '[CACHE ERROR] Cache write failed: CACHE_FOLDER_REFUSED; continuing without the cache',
    ]);
    expect(h.lines.filter((l) => l.includes('not stored (cache unavailable)'))).toHaveLength(5);
    h.clock.now += 61_000;
    await h.server.runAndCache(BASE_PARAMS);
    expect(h.lines).toContain('[CACHE ERROR] Cache write failed: CACHE_FOLDER_REFUSED; continuing without the cache (4 more since the last report)');
  });
});

