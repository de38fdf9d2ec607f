import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKey } from '@/lib/cache/key';
import { FileCacheStore } from '@/lib/cache/file-store';
import type { CacheStore } from '@/lib/cache/store';
import type { BacktestParams } from '@/lib/schemas';
import { BASE_PARAMS, FAKE_DETAIL, fakeResult, harness, tempDir } from './helpers';

const KEY = cacheKey(BASE_PARAMS);
const HOUR = 3_600_000;
const withLow = (lowThreshold: number): BacktestParams => ({ ...BASE_PARAMS, lowThreshold });

describe('lookup and compute', () => {
  it('computes on a miss, then serves the identical result from the temporary tier', async () => {
    const h = harness();
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

  it('stores the SPEC entry format, pretty-printed', async () => {
    const h = harness();
    const { result } = await h.server.runAndCache(BASE_PARAMS);
    const text = fs.readFileSync(h.file('temporary', KEY), 'utf8');
    expect(text.split('\n')[1]).toBe(`  "key": "${KEY}",`);
    expect(JSON.parse(text)).toEqual({
      key: KEY,
      result,
      computedAt: h.clock.now,
      accessCount: 0,
      lastAccessed: h.clock.now,
      isPermanent: false,
      version: '1.0',
      engineVersion: '1.0.0',
      dataVersion: 'data-v1',
    });
  });

  it('echoes the request params exactly, key order included', async () => {
    const h = harness();
    const reordered = { strategy: 'contrarian', highThreshold: 75, lowThreshold: 25, leverage: 3, timeframe: '4h', asset: 'ETH' } as BacktestParams;
    await h.server.runAndCache(BASE_PARAMS);
    const hit = await h.server.runAndCache(reordered);
    expect(hit.cached).toBe(true);
    expect(hit.result.params).toBe(reordered);
  });

  it('reads the permanent tier before the temporary one', async () => {
    const h = harness();
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
    const h = harness();
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
    expect(h.readEntry('temporary', KEY).computedAt).toBe(h.clock.now);
    expect((await h.server.runAndCache(withLow(30))).cacheTier).toBe('permanent');
    expect(h.calls).toHaveLength(3);
  });

  it('treats another engine or data version as a miss and replaces the entry', async () => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS, { permanent: true });
    const newer = h.make({ engineVersion: '1.1.0' });
    expect((await newer.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.lines).toContain(`[CACHE MISS] Stale cache entry for ${KEY} (permanent: engine version 1.0.0 ≠ 1.1.0)`);
    // The stale permanent entry is replaced where it was, not shadowed by a temporary one.
    expect(h.readEntry('permanent', KEY).engineVersion).toBe('1.1.0');
    expect(fs.existsSync(h.file('temporary', KEY))).toBe(false);
    expect((await newer.runAndCache(BASE_PARAMS)).cached).toBe(true);

    h.facts.dataVersion = 'data-v2';
    expect((await newer.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.lines).toContain(`[CACHE MISS] Stale cache entry for ${KEY} (permanent: data version data-v1 ≠ data-v2)`);
    expect(h.readEntry('permanent', KEY).dataVersion).toBe('data-v2');
    expect(h.calls).toHaveLength(3);
  });

  it.each([
    ['garbage', 'not json at all'],
    ['a truncated file', '{\n  "key": "ETH-4h-3x-25-75-contrarian",\n  "resu'],
    ['an empty file', ''],
    ['an entry of another key', null],
  ])('treats %s as a miss and replaces it', async (_, text) => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS);
    const other = h.readEntry('temporary', KEY);
    fs.writeFileSync(h.file('temporary', KEY), text ?? JSON.stringify({ ...other, key: 'BTC-4h-3x-25-75-contrarian' }));
    const again = await h.server.runAndCache(BASE_PARAMS);
    expect(again.cached).toBe(false);
    expect(h.lines.some((l) => l.startsWith(`[CACHE MISS] Stale cache entry for ${KEY} (temporary: unreadable entry:`))).toBe(true);
    expect(h.readEntry('temporary', KEY).key).toBe(KEY);
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(true);
  });

  it('never reads the archive folder', async () => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS);
    const archived = path.join(h.dir, 'archive', 'temporary');
    fs.mkdirSync(archived, { recursive: true });
    fs.renameSync(h.file('temporary', KEY), path.join(archived, `${KEY}.json`));
    fs.copyFileSync(path.join(archived, `${KEY}.json`), path.join(h.dir, 'archive', `${KEY}.json`));
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.calls).toHaveLength(2);
  });

  it('forceRefresh recomputes and overwrites the stored entry', async () => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS);
    h.clock.now += 1000;
    const fresh = await h.server.runAndCache(BASE_PARAMS, { forceRefresh: true });
    expect(fresh.cached).toBe(false);
    expect(fresh.result.timestamp).toBe(h.clock.now);
    expect(h.readEntry('temporary', KEY).computedAt).toBe(h.clock.now);
    expect(h.lines).toContain(`[BACKTEST FLOW] forceRefresh for ${KEY}: recomputing`);
    expect(h.calls).toHaveLength(2);
  });

  it('adds the chart detail on request, computing it for hits, and never stores it', async () => {
    const h = harness();
    const miss = await h.server.runAndCache(BASE_PARAMS, { detail: true });
    expect(miss.detail).toEqual(FAKE_DETAIL);
    expect(h.readEntry('temporary', KEY)).not.toHaveProperty('detail');
    expect(JSON.stringify(h.readEntry('temporary', KEY))).not.toContain('"points"');
    const hit = await h.server.runAndCache(BASE_PARAMS, { detail: true });
    expect(hit).toMatchObject({ cached: true, detail: FAKE_DETAIL });
    expect(h.calls.map((c) => c.detail)).toEqual([true, true]);
    expect((await h.server.runAndCache(BASE_PARAMS)).detail).toBeUndefined();
  });

  it('get() answers from the cache without computing, and null on a miss', async () => {
    const h = harness();
    expect(await h.server.get(BASE_PARAMS)).toBeNull();
    expect(h.lines).toEqual([`[CACHE MISS] No cache entry found for ${KEY}`]);
    const { result } = await h.server.runAndCache(BASE_PARAMS);
    h.clock.now += 7;
    expect(await h.server.get(BASE_PARAMS)).toEqual({ result, cached: true, cacheAge: 7, cacheTier: 'temporary' });
    expect(h.calls).toHaveLength(1);
  });

  it('builds keys only from valid params', async () => {
    const h = harness();
    const bad = { ...BASE_PARAMS, leverage: 1.5 } as BacktestParams;
    await expect(h.server.runAndCache(bad)).rejects.toThrow('invalid params: leverage: leverage must be an integer from 1 to 12');
    await expect(h.server.get({ ...BASE_PARAMS, asset: '../x' } as unknown as BacktestParams)).rejects.toThrow('asset');
    expect(h.calls).toHaveLength(0);
    expect(fs.existsSync(path.join(h.dir, 'temporary'))).toBe(false);
  });

  it('passes computation errors through and caches nothing', async () => {
    const h = harness({
      compute: async () => {
        throw new Error('no bars in range');
      },
    });
    await expect(h.server.runAndCache(BASE_PARAMS)).rejects.toThrow('no bars in range');
    expect(fs.existsSync(h.file('temporary', KEY))).toBe(false);
  });
});

describe('promotion to the permanent tier', () => {
  it('stores permanently when asked', async () => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS, { permanent: true });
    expect(h.readEntry('permanent', KEY).isPermanent).toBe(true);
    expect(fs.existsSync(h.file('temporary', KEY))).toBe(false);
  });

  it('stores permanently when the dateRange lies entirely within finalized data', async () => {
    const h = harness(); // newest bar closes 2025-06-01 00:00 UTC
    const finalized = { ...BASE_PARAMS, dateRange: { start: '2025-03-01', end: '2025-05-31' } };
    const open = { ...BASE_PARAMS, dateRange: { start: '2025-03-01', end: '2025-06-01' } };
    await h.server.runAndCache(finalized);
    await h.server.runAndCache(open);
    await h.server.runAndCache(BASE_PARAMS);
    expect(fs.readdirSync(path.join(h.dir, 'permanent'))).toEqual([`${cacheKey(finalized)}.json`]);
    expect(fs.readdirSync(path.join(h.dir, 'temporary')).sort()).toEqual([`${cacheKey(open)}.json`, `${KEY}.json`].sort());
  });

  it('promotes a fresh temporary entry without recomputing when permanent is asked', async () => {
    const h = harness();
    const miss = await h.server.runAndCache(BASE_PARAMS);
    const promoted = await h.server.runAndCache(BASE_PARAMS, { permanent: true });
    expect(promoted).toMatchObject({ cached: true, cacheTier: 'permanent', result: miss.result });
    expect(h.readEntry('permanent', KEY)).toMatchObject({ isPermanent: true, computedAt: h.clock.now });
    expect(fs.existsSync(h.file('temporary', KEY))).toBe(false);
    expect(h.lines).toContain(`[BACKTEST FLOW] Promoted ${KEY} to the permanent cache`);
    expect(h.calls).toHaveLength(1);
  });

  it('moves an entry to the permanent tier when a permanent refresh replaces a temporary one', async () => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS);
    await h.server.runAndCache(BASE_PARAMS, { permanent: true, forceRefresh: true });
    expect(fs.existsSync(h.file('permanent', KEY))).toBe(true);
    expect(fs.existsSync(h.file('temporary', KEY))).toBe(false);
  });
});

describe('concurrency', () => {
  it('runs the engine once for 50 simultaneous identical requests on a cold key', async () => {
    const h = harness();
    h.delay.ms = 30;
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => h.server.runAndCache(BASE_PARAMS, { priority: 'normal' })));
    expect(h.calls).toHaveLength(1);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.result))).size).toBe(1);
    expect(outcomes.every((o) => !o.cached)).toBe(true);
    expect(h.lines.filter((l) => l.startsWith('[BACKTEST EXEC]'))).toHaveLength(1);
    expect(h.lines.filter((l) => l.startsWith('[BACKTEST FLOW] Joining'))).toHaveLength(49);
  });

  it('whenInteractiveIdle waits for interactive requests only', async () => {
    const h = harness();
    h.delay.ms = 40;
    const interactive = h.server.runAndCache(BASE_PARAMS, { priority: 'high' });
    await h.server.whenInteractiveIdle();
    expect(fs.existsSync(h.file('temporary', KEY))).toBe(true); // the request had finished its work
    await interactive;

    let backgroundDone = false;
    const background = h.server.runAndCache(withLow(30)).then(() => (backgroundDone = true)); // no priority: warm-up work
    await h.server.whenInteractiveIdle();
    expect(backgroundDone).toBe(false); // not waited for
    await background;
  });
});

describe('durability', () => {
  it('keeps answering while an operator deletes the cache folder or a tier', async () => {
    const h = harness();
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
    const h = harness({ cacheDir: blocker });
    for (let i = 0; i < 5; i++) {
      const outcome = await h.server.runAndCache(BASE_PARAMS);
      expect(outcome).toMatchObject({ cached: false, result: { params: BASE_PARAMS } });
    }
    expect(h.calls).toHaveLength(5);
    const errors = h.lines.filter((l) => l.startsWith('[CACHE ERROR]'));
    expect(errors).toEqual([
      '[CACHE ERROR] Cache read failed: ENOTDIR; continuing without the cache',
      '[CACHE ERROR] Cache write failed: ENOTDIR; continuing without the cache',
    ]);
    expect(h.lines.filter((l) => l.includes('not stored (cache unavailable)'))).toHaveLength(5);
    h.clock.now += 61_000;
    await h.server.runAndCache(BASE_PARAMS);
    expect(h.lines).toContain('[CACHE ERROR] Cache write failed: ENOTDIR; continuing without the cache (4 more since the last report)');
  });
});

describe('hit bookkeeping', () => {
  it('records accessCount and lastAccessed after responding, coalesced per entry', async () => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS);
    for (let i = 0; i < 3; i++) {
      h.clock.now += 100;
      await h.server.runAndCache(BASE_PARAMS);
    }
    expect(h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 0 });
    await h.server.flush();
    expect(h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 3, lastAccessed: h.clock.now });
    await h.server.runAndCache(BASE_PARAMS);
    await h.server.flush();
    expect(h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 4 });
  });

  it('writes on its own after the bookkeeping delay', async () => {
    const h = harness({ bookkeepingDelayMs: 20 });
    await h.server.runAndCache(BASE_PARAMS);
    await h.server.runAndCache(BASE_PARAMS);
    await new Promise((r) => setTimeout(r, 150));
    expect(h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 1 });
  });

  it('never delays a hit, even when the bookkeeping write hangs', async () => {
    const dir = tempDir();
    const files = new FileCacheStore(dir);
    let hang = false;
    const store: CacheStore = {
      read: (t, k) => files.read(t, k),
      write: (t, k, e) => (hang ? new Promise<number>(() => undefined) : files.write(t, k, e)),
      remove: (t, k) => files.remove(t, k),
      list: (t) => files.list(t),
      removeOrphans: (ms) => files.removeOrphans(ms),
      archiveUsage: () => files.archiveUsage(),
    };
    const h = harness({ store, bookkeepingDelayMs: 0 });
    await h.server.runAndCache(BASE_PARAMS);
    hang = true;
    await h.server.runAndCache(BASE_PARAMS);
    await new Promise((r) => setTimeout(r, 10)); // the bookkeeping write is now hanging
    const hit = await h.server.runAndCache(BASE_PARAMS);
    expect(hit.cached).toBe(true);
  });

  it('does not count hits of a replaced entry onto its replacement', async () => {
    const h = harness();
    await h.server.runAndCache(BASE_PARAMS);
    await h.server.runAndCache(BASE_PARAMS);
    h.clock.now += 5;
    await h.server.runAndCache(BASE_PARAMS, { forceRefresh: true });
    await h.server.flush();
    expect(h.readEntry('temporary', KEY)).toMatchObject({ accessCount: 0, computedAt: h.clock.now });
  });
});

describe('CACHE_MAX_MB bound on the temporary tier', () => {
  it('evicts the least recently accessed temporary entries', async () => {
    const probe = harness();
    await probe.server.runAndCache(withLow(20));
    const size = fs.statSync(probe.file('temporary', cacheKey(withLow(20)))).size;
    const h = harness({ maxTemporaryBytes: Math.floor(size * 3.5) });
    for (const low of [20, 21, 22]) {
      h.clock.now += 1000;
      await h.server.runAndCache(withLow(low));
    }
    await h.server.runAndCache(BASE_PARAMS, { permanent: true }); // permanent entries are not bounded
    h.clock.now += 1000;
    await h.server.runAndCache(withLow(20)); // 20 is now the most recently accessed
    h.clock.now += 1000;
    await h.server.runAndCache(withLow(23));
    await h.server.flush();
    const left = fs.readdirSync(path.join(h.dir, 'temporary')).sort();
    expect(left).toEqual([20, 22, 23].map((low) => `${cacheKey(withLow(low))}.json`));
    expect(fs.existsSync(h.file('permanent', KEY))).toBe(true);
    expect(h.lines.some((l) => l.startsWith('[BACKTEST FLOW] Evicted 1 least recently accessed temporary entries'))).toBe(true);
  });
});

describe('clear, info, stats, getAllForAsset', () => {
  async function populated() {
    const h = harness();
    const btc = { ...BASE_PARAMS, asset: 'BTC' } as const;
    await h.server.runAndCache(BASE_PARAMS); // ETH temporary
    await h.server.runAndCache(btc); // BTC temporary
    await h.server.runAndCache(withLow(30), { permanent: true }); // ETH permanent
    await h.server.runAndCache({ ...btc, lowThreshold: 30 }, { permanent: true }); // BTC permanent
    h.clock.now += 25 * HOUR; // both temporary entries are now stale
    await h.server.runAndCache(withLow(40)); // ETH temporary, fresh
    return h;
  }

  const names = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

  it('clears one tier for one asset', async () => {
    const h = await populated();
    expect(await h.server.clear('temporary', 'ETH')).toEqual({ removed: 2, freedBytes: expect.any(Number) });
    expect(names(path.join(h.dir, 'temporary'))).toEqual(['BTC-4h-3x-25-75-contrarian.json']);
    expect(names(path.join(h.dir, 'permanent'))).toHaveLength(2);
  });

  it('clears the permanent tier and reports the bytes freed', async () => {
    const h = await populated();
    const bytes = names(path.join(h.dir, 'permanent')).reduce((s, n) => s + fs.statSync(path.join(h.dir, 'permanent', n)).size, 0);
    expect(await h.server.clear('permanent')).toEqual({ removed: 2, freedBytes: bytes });
    expect(names(path.join(h.dir, 'permanent'))).toEqual([]);
    expect(names(path.join(h.dir, 'temporary'))).toHaveLength(3);
  });

  it('clears all tiers of one asset', async () => {
    const h = await populated();
    expect((await h.server.clear('all', 'BTC')).removed).toBe(2);
    expect([...names(path.join(h.dir, 'temporary')), ...names(path.join(h.dir, 'permanent'))].every((n) => n.startsWith('ETH-'))).toBe(true);
  });

  it('clears stale entries only', async () => {
    const h = await populated();
    fs.writeFileSync(h.file('permanent', cacheKey({ ...BASE_PARAMS, leverage: 9 })), '{broken');
    expect((await h.server.cleanStale()).removed).toBe(3);
    expect(names(path.join(h.dir, 'temporary'))).toEqual([`${cacheKey(withLow(40))}.json`]);
    expect(names(path.join(h.dir, 'permanent'))).toHaveLength(2);
    expect((await h.server.clear('stale')).removed).toBe(0);
  });

  it('reports entries by tier, stale count, bytes, markets, oldest/newest and the archive', async () => {
    const h = await populated();
    fs.mkdirSync(path.join(h.dir, 'archive'));
    fs.writeFileSync(path.join(h.dir, 'archive', 'old.json'), '0123456789');
    const bytes = (tier: string) => names(path.join(h.dir, tier)).reduce((s, n) => s + fs.statSync(path.join(h.dir, tier, n)).size, 0);
    const info = await h.server.info();
    expect(info).toEqual({
      tiers: {
        permanent: { entries: 2, bytes: bytes('permanent'), stale: 0 },
        temporary: { entries: 3, bytes: bytes('temporary'), stale: 2 },
      },
      totalEntries: 5,
      totalBytes: bytes('permanent') + bytes('temporary'),
      staleEntries: 2,
      byMarket: { 'ETH-4h': { permanent: 1, temporary: 2 }, 'BTC-4h': { permanent: 1, temporary: 1 } },
      oldestComputedAt: h.clock.now - 25 * HOUR,
      newestComputedAt: h.clock.now,
      archive: { files: 1, bytes: 10 },
      engineVersion: '1.0.0',
      temporaryTtlMs: 24 * HOUR,
      maxTemporaryBytes: null,
    });
  });

  it('measures hits, misses and their times', async () => {
    const h = harness();
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
    const size = (tier: 'permanent' | 'temporary', p: BacktestParams) => fs.statSync(h.file(tier, cacheKey(p))).size;
    expect(stats).toMatchObject({
      totalEntries: 2,
      permanentEntries: 1,
      temporaryEntries: 1,
      cacheSize: size('temporary', BASE_PARAMS) + size('permanent', withLow(30)),
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
