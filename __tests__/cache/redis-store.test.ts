/**
 * What only the Redis store does, against a private redis-server (see ./stores.ts): the 24 h
 * expiry set by Redis next to the server's own staleness rule, the key layout, SCAN-based
 * clearing, compute locks shared by several instances, and answering through an outage.
 * The store-independent behaviour runs on Redis in backtest-cache-server.test.ts.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cacheKey } from '@/lib/cache/key';
import type { RedisCacheStore } from '@/lib/cache/redis-store';
import type { BacktestParams } from '@/lib/schemas';
import { BASE_PARAMS, fakeResult, harness } from './helpers';
import { adminClient, redisStore, sharedRedisServer, uniquePrefix } from './stores';

const KEY = cacheKey(BASE_PARAMS);
const HOUR = 3_600_000;
const withLow = (lowThreshold: number): BacktestParams => ({ ...BASE_PARAMS, lowThreshold });
const redisHarness = (options: Parameters<typeof harness>[0] = {}) => harness({ kind: 'redis', ...options });
const storeOf = (h: { view: { store: unknown } }) => h.view.store as RedisCacheStore;

describe('expiry: the server decides staleness, Redis bounds the lifetime', () => {
  it('sets a 24 h PX on temporary entries and none on permanent ones', async () => {
    const h = await redisHarness();
    const admin = await adminClient();
    await h.server.runAndCache(BASE_PARAMS);
    await h.server.runAndCache(withLow(30), { permanent: true });
    const ttl = await admin.pttl(storeOf(h).entryKey('temporary', KEY));
    expect(ttl).toBeGreaterThan(24 * HOUR - 60_000);
    expect(ttl).toBeLessThanOrEqual(24 * HOUR);
    expect(await admin.pttl(storeOf(h).entryKey('permanent', cacheKey(withLow(30))))).toBe(-1);
  });

  it('treats an entry as stale by its computedAt and the server clock, although Redis still holds it', async () => {
    const h = await redisHarness();
    const admin = await adminClient();
    await h.server.runAndCache(BASE_PARAMS);
    h.clock.now += 25 * HOUR;
    expect(await admin.exists(storeOf(h).entryKey('temporary', KEY))).toBe(1);
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.lines).toContain(`[CACHE MISS] Stale cache entry for ${KEY} (temporary: temporary entry is 25.0 h old, the limit is 24 h)`);
    expect((await h.readEntry('temporary', KEY)).computedAt).toBe(h.clock.now);
  });

  it('misses once Redis has expired the entry, although the server clock says it is fresh', async () => {
    // A TTL long enough for compute + write + hit on a busy machine; then wait until Redis drops it.
    const store = await redisStore({ prefix: uniquePrefix(), temporaryTtlMs: 1_000 });
    const h = await redisHarness();
    const server = h.make({ store });
    await server.runAndCache(BASE_PARAMS);
    expect((await server.runAndCache(BASE_PARAMS)).cached).toBe(true);
    const admin = await adminClient();
    const key = store.entryKey('temporary', KEY);
    await expect.poll(() => admin.exists(key), { timeout: 5_000, interval: 50 }).toBe(0);
    expect((await server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.calls).toHaveLength(2);
  });

  it('keeps the expiry when hit bookkeeping rewrites an entry, and drops it on promotion', async () => {
    const store = await redisStore({ prefix: uniquePrefix(), temporaryTtlMs: 60_000 });
    const admin = await adminClient();
    const h = await redisHarness();
    const server = h.make({ store });
    await server.runAndCache(BASE_PARAMS);
    await new Promise((r) => setTimeout(r, 200));
    await server.runAndCache(BASE_PARAMS);
    await server.flush();
    expect(JSON.parse((await admin.get(store.entryKey('temporary', KEY)))!).accessCount).toBe(1);
    expect(await admin.pttl(store.entryKey('temporary', KEY))).toBeLessThanOrEqual(59_800);
    await server.runAndCache(BASE_PARAMS, { permanent: true });
    expect(await admin.exists(store.entryKey('temporary', KEY))).toBe(0);
    expect(await admin.pttl(store.entryKey('permanent', KEY))).toBe(-1);
  });
});

describe('keys, clearing and info', () => {
  it('stores each entry as compact JSON under {prefix}{tier}:{key}', async () => {
    const h = await redisHarness();
    const admin = await adminClient();
    const { result } = await h.server.runAndCache(BASE_PARAMS);
    const text = await admin.get(`${storeOf(h).prefix}temporary:ETH-4h-3x-25-75-contrarian`);
    expect(text).not.toContain('\n');
    expect(JSON.parse(text!)).toMatchObject({ key: KEY, result, isPermanent: false, version: '1.0' });
  });

  it('clears by scope and asset with SCAN, never KEYS, and leaves other prefixes and other keys alone', async () => {
    const admin = await adminClient();
    const populate = async (prefix: string) => {
      const h = await redisHarness();
      const server = h.make({ store: await redisStore({ prefix }) });
      for (const asset of ['ETH', 'BTC'] as const) {
        await server.runAndCache({ ...BASE_PARAMS, asset });
        await server.runAndCache({ ...BASE_PARAMS, asset, lowThreshold: 30 }, { permanent: true });
      }
      return server;
    };
    const globby = `t[${process.pid}]*?:`; // glob characters in a prefix match only themselves
    const mine = await populate(globby);
    await populate(`t[${process.pid}]xy:`);
    await admin.set(`${globby}notes`, 'operator data');
    const scansBefore = await commandCalls(admin, 'scan');
    expect(await mine.clear('temporary', 'ETH')).toEqual({ removed: 1, freedBytes: expect.any(Number) });
    expect(await mine.clear('all', 'BTC')).toMatchObject({ removed: 2 });
    expect(await mine.clear('all')).toMatchObject({ removed: 1 });
    expect(await commandCalls(admin, 'scan')).toBeGreaterThan(scansBefore);
    expect(await commandCalls(admin, 'keys')).toBe(0);
    expect(await admin.get(`${globby}notes`)).toBe('operator data');
    expect((await scanAll(admin, `t\\[${process.pid}\\]xy:*`)).length).toBe(4);
  });

  it('reports the memory its entries use (MEMORY USAGE) and the server uses (INFO memory)', async () => {
    const h = await redisHarness();
    await h.server.runAndCache(BASE_PARAMS);
    await h.server.runAndCache(withLow(30), { permanent: true });
    const info = await h.server.info();
    expect(info.store).toEqual({ kind: 'redis', prefix: storeOf(h).prefix, memory: expect.any(Object) });
    const memory = (info.store as { memory: Record<string, number> }).memory;
    expect(memory.temporary).toBeGreaterThanOrEqual(info.tiers.temporary.bytes);
    expect(memory.permanent).toBeGreaterThanOrEqual(info.tiers.permanent.bytes);
    expect(memory.server).toBeGreaterThan(memory.temporary + memory.permanent);
  });

  it('treats a value of another type as an unreadable entry: a miss, then replaced', async () => {
    const h = await redisHarness();
    const admin = await adminClient();
    await admin.hset(storeOf(h).entryKey('temporary', KEY), 'field', 'value');
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.lines).toContain(`[CACHE MISS] Stale cache entry for ${KEY} (temporary: unreadable entry: not a string value)`);
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(true);
  });

  it('adds up hit counts that two instances write at the same time', async () => {
    const h = await redisHarness();
    await h.server.runAndCache(BASE_PARAMS);
    const other = await h.view.sibling();
    const bump = (e: { accessCount: number }) => ({ ...e, accessCount: e.accessCount + 1 }) as never;
    expect(await Promise.all([h.view.store.update('temporary', KEY, bump), other.update('temporary', KEY, bump)])).toEqual([true, true]);
    expect((await h.readEntry('temporary', KEY)).accessCount).toBe(2);
  });
});

describe('single-flight across instances', () => {
  it('serves a result computed on one instance as a hit on another', async () => {
    const h = await redisHarness();
    const other = h.make({ store: await h.view.sibling() });
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(await other.runAndCache(BASE_PARAMS)).toMatchObject({ cached: true, cacheTier: 'temporary' });
    expect(h.calls).toHaveLength(1);
  });

  it('computes once for 50 simultaneous cold requests split over two instances', async () => {
    const h = await redisHarness();
    const other = h.make({ store: await h.view.sibling() });
    h.delay.ms = 100;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? other : h.server).runAndCache(BASE_PARAMS, { priority: 'normal' })),
    );
    expect(h.calls).toHaveLength(1);
    expect(h.lines.filter((l) => l.startsWith('[BACKTEST EXEC]'))).toHaveLength(1);
    expect(h.lines.filter((l) => l.startsWith('[BACKTEST FLOW] Waiting for'))).toHaveLength(1);
    expect(h.lines).toContain(`[BACKTEST FLOW] ${KEY} was computed by another instance; taken from the temporary cache`);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.result))).size).toBe(1);
    expect(outcomes.every((o) => !o.cached)).toBe(true);
    expect(await (await adminClient()).exists(storeOf(h).lockKey(KEY))).toBe(0);
  });

  it('waits for the lock holder and takes the entry it stores', async () => {
    const h = await redisHarness();
    const admin = await adminClient();
    await admin.set(storeOf(h).lockKey(KEY), 'another-instance', 'PX', 10_000);
    const waiting = h.server.runAndCache(BASE_PARAMS);
    await new Promise((r) => setTimeout(r, 100));
    const holder = h.make({ store: await h.view.sibling() });
    await holder.set(BASE_PARAMS, fakeResult(BASE_PARAMS, 42, 99));
    const outcome = await waiting;
    expect(outcome).toMatchObject({ cached: false, result: { returns: 99, timestamp: 42 } });
    expect(h.calls).toHaveLength(0);
  });

  it('computes once the lock of a holder that died expires', async () => {
    const h = await redisHarness();
    const admin = await adminClient();
    await admin.set(storeOf(h).lockKey(KEY), 'dead-instance', 'PX', 300);
    const started = performance.now();
    const outcome = await h.server.runAndCache(BASE_PARAMS);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(outcome.cached).toBe(false);
    expect(h.calls).toHaveLength(1);
    expect(h.lines).toContain(`[BACKTEST FLOW] Waiting for ${KEY}: another instance is computing it`);
    expect(await admin.exists(storeOf(h).lockKey(KEY))).toBe(0);
  });

  it('stops waiting after lockTtlMs and computes without the lock', async () => {
    const h = await redisHarness({ lockTtlMs: 200 });
    const admin = await adminClient();
    await admin.set(storeOf(h).lockKey(KEY), 'stuck-instance', 'PX', 60_000);
    expect((await h.server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(h.lines.some((l) => l.startsWith(`[BACKTEST FLOW] Gave up waiting for ${KEY} after`))).toBe(true);
    expect(await admin.get(storeOf(h).lockKey(KEY))).toBe('stuck-instance'); // not ours: left alone
  });

  it('releases a lock only while it still holds it', async () => {
    const store = await redisStore({ prefix: uniquePrefix() });
    const admin = await adminClient();
    const lock = await store.coordinator.tryLock(KEY, 10_000);
    expect(lock).not.toBeNull();
    expect(await store.coordinator.tryLock(KEY, 10_000)).toBeNull();
    await admin.set(store.lockKey(KEY), 'next-holder', 'PX', 10_000); // ours expired, another took it
    await lock!.release();
    expect(await admin.get(store.lockKey(KEY))).toBe('next-holder');
  });
});

describe('Redis outage', () => {
  it('answers info with a 503 error while Redis is paused (CLIENT PAUSE), and stats with the last figures, never 0', async () => {
    const h = await redisHarness();
    await h.server.runAndCache(BASE_PARAMS);
    await h.server.runAndCache(withLow(20), { permanent: true });
    const before = await h.server.stats();
    expect(before).toMatchObject({ totalEntries: 2, permanentEntries: 1 });
    const admin = await adminClient();
    await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    try {
      const started = Date.now();
      await expect(h.server.info()).rejects.toMatchObject({
        name: 'CacheStoreError',
        message: expect.stringMatching(/^the cache store did not answer \(REDIS_UNAVAILABLE\); cache info is unavailable/),
      });
      expect(Date.now() - started).toBeLessThan(2_500); // the command timeout, not the pause
      await h.server.rescan(); // times out: logged, the records stay
      expect(await h.server.stats()).toMatchObject({ totalEntries: 2, permanentEntries: 1, cacheSize: before.cacheSize });
      expect(h.lines.some((l) => l.startsWith('[CACHE ERROR] Cache scan failed: REDIS_UNAVAILABLE'))).toBe(true);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
    }
    expect((await h.server.info()).totalEntries).toBe(2);
  });

  it('answers by computing while Redis is down, logs once, and uses the cache again when it returns', async () => {
    const redis = await sharedRedisServer();
    const h = await redisHarness();
    const other = h.make({ store: await h.view.sibling() });
    await h.server.runAndCache(BASE_PARAMS);
    expect((await other.runAndCache(BASE_PARAMS)).cached).toBe(true);

    const before = await h.server.stats(); // a completed inventory scan: the figures to keep
    expect(before.totalEntries).toBe(1);
    await redis.stop('SIGKILL');
    const outcomes = [];
    for (let i = 0; i < 20; i++) outcomes.push(await (i % 2 ? other : h.server).runAndCache(withLow(20 + (i % 4))));
    expect(outcomes.every((o) => !o.cached && o.result.params.lowThreshold >= 20)).toBe(true);
    expect(h.calls).toHaveLength(21);
    // The store reports the outage when its first reconnection attempt fails (≤ 100 ms later).
    await until(() => h.lines.some((l) => /^\[CACHE ERROR\] Redis at redis:\/\/127\.0\.0\.1:\d+\/? unreachable: ECONNREFUSED/.test(l)));
    for (let i = 0; i < 10; i++) await h.server.runAndCache(withLow(30));
    // Info needs Redis (503 with the reason, never a 500); stats keep the last scan's figures, never 0.
    await expect(h.server.info()).rejects.toThrow(/^the cache store did not answer \(REDIS_UNAVAILABLE\)/);
    await h.server.rescan(); // fails (logged): the records stay
    expect(await h.server.stats()).toMatchObject({ totalEntries: 1, cacheSize: before.cacheSize });
    const errors = h.lines.filter((l) => l.startsWith('[CACHE ERROR]'));
    // Once per kind (connection, read, lock, write, list) and instance within the minute, not per request.
    expect(errors.length).toBeLessThanOrEqual(10);
    expect(errors).toContain('[CACHE ERROR] Cache read failed: REDIS_UNAVAILABLE; continuing without the cache');

    await redis.restart();
    await until(() => storeOf(h).client.status === 'ready' && (other.store as RedisCacheStore).client.status === 'ready');
    await h.server.runAndCache(BASE_PARAMS); // Redis restarted empty: computed and stored again
    expect(await other.runAndCache(BASE_PARAMS)).toMatchObject({ cached: true });
    expect(h.lines.some((l) => /^\[BACKTEST FLOW\] Redis at .* reachable again after [\d.]+ s/.test(l))).toBe(true);
  });
});

describe('store choice (lib/cache/create-store.ts)', () => {
  const root = path.resolve(__dirname, '../..');
  /** Runs one cache operation in a fresh tsx process and reports whether ioredis was loaded. */
  async function probe(env: Record<string, string>) {
    const script = [
      "const { backtestCacheServer } = require('./lib/backtest-cache-server');",
      'backtestCacheServer.stats().then((stats) => {',
      "  const loaded = Object.keys(require.cache).some((f) => f.includes('/node_modules/ioredis/'));",
      '  console.log(JSON.stringify({ loaded, entries: stats.totalEntries, kind: backtestCacheServer.store.constructor.name }));',
      '  process.exit(0);',
      '});',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=react-server', '--import', 'tsx', '-e', script], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as { loaded: boolean; entries: number; kind: string };
  }

  it('never loads ioredis for CACHE_STORE=file, and uses Redis for CACHE_STORE=redis', async () => {
    const redis = await sharedRedisServer();
    const prefix = uniquePrefix();
    const seeded = await redisStore({ prefix });
    const h = await redisHarness();
    await h.make({ store: seeded }).runAndCache(BASE_PARAMS);
    expect(await probe({ CACHE_STORE: 'file', CACHE_DIR: h.dir })).toEqual({ loaded: false, entries: 0, kind: 'FileCacheStore' });
    expect(await probe({ CACHE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: prefix })).toMatchObject({ loaded: true, entries: 1 });
  }, 30_000);
});

/** Resolves once `condition` holds, looking every 20 ms (ioredis reconnects at least once a second); throws after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within 10 s: ${condition}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Calls of one command so far (INFO commandstats), 0 when never called. */
async function commandCalls(admin: Awaited<ReturnType<typeof adminClient>>, command: string): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

/** Every key matching `pattern`, by SCAN. */
async function scanAll(admin: Awaited<ReturnType<typeof adminClient>>, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
    keys.forEach((k) => found.add(k));
    cursor = next;
  } while (cursor !== '0');
  return [...found];
}
