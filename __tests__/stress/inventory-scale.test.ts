/**
 * The inventory at scale and the whole-cache bound under a burst (issue 13): 100,000 entry files
 * created directly on disk are reconciled by the background scan with at most 64 cache file
 * descriptors open at once (counted in /proc/self/fd while it runs) while an execute answers
 * normally; with a bound of 1 MB, a 64-way warm burst never takes the bytes on disk (sampled
 * every 10 ms) past the bound plus one entry. Timings are measured in bench/cache-bench.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeEntry } from '@/lib/cache/entry';
import { FileCacheStore } from '@/lib/cache/file-store';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { BASE_PARAMS, fakeEntry, fakeResult, harness, tempDir } from '../cache/helpers';

/** Cache file descriptors this process holds now: /proc/self/fd links that point into `dir`. */
function cacheDescriptors(dir: string): number {
  let count = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) count += 1;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

/** Bytes of every file under the tier folders, sampled without following links. */
function bytesOnDisk(dir: string): number {
  let total = 0;
  for (const tier of ['permanent', 'temporary']) {
    const folder = path.join(dir, tier);
    let names: string[] = [];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        total += fs.lstatSync(path.join(folder, name)).size;
      } catch {
        // renamed or removed meanwhile
      }
    }
  }
  return total;
}

/** 100,000 distinct valid params (asset × leverage × thresholds × strategy × extremes). */
export function manyParams(count: number): BacktestParams[] {
  const out: BacktestParams[] = [];
  for (const asset of ['BTC', 'ETH', 'SOL'] as const)
    for (const strategy of ['contrarian', 'momentum'] as const)
      for (let leverage = 1; leverage <= 12; leverage++)
        for (let low = 1; low <= 49 && out.length < count; low++)
          for (let high = 51; high <= 100 && out.length < count; high++) {
            out.push({ asset, timeframe: '4h', leverage, lowThreshold: low, highThreshold: high, strategy });
          }
  return out;
}

describe('the inventory at 100,000 entries', () => {
  it('scans with at most 64 cache descriptors open, then answers info and stats; an execute during the scan answers', async () => {
    const h = await harness({ kind: 'file', cacheDir: tempDir() });
    const dir = fs.realpathSync(h.dir);
    const folder = path.join(dir, 'temporary');
    fs.mkdirSync(folder, { recursive: true });
    const params = manyParams(100_000);
    expect(params).toHaveLength(100_000);
    for (const p of params) {
      const key = cacheKey(p);
      const entry = fakeEntry({ key, result: fakeResult(p, h.clock.now), computedAt: h.clock.now, lastAccessed: h.clock.now });
      fs.writeFileSync(path.join(folder, `${key}.json`), serializeEntry(entry));
    }
    const server = h.make({ store: new FileCacheStore(dir) });
    let maxDescriptors = 0;
    let scanning = true;
    const sampler = (async () => {
      while (scanning) {
        maxDescriptors = Math.max(maxDescriptors, cacheDescriptors(dir));
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const scan = server.stats();
    const during = await server.runAndCache({ ...BASE_PARAMS, lowThreshold: 2, highThreshold: 3 });
    expect(during.result.params.lowThreshold).toBe(2);
    const stats = await scan;
    scanning = false;
    await sampler;
    expect(stats.temporaryEntries).toBeGreaterThanOrEqual(100_000);
    expect(maxDescriptors).toBeGreaterThan(0);
    expect(maxDescriptors).toBeLessThanOrEqual(64);
    const info = await server.info();
    expect(info.tiers.temporary.entries).toBe(stats.temporaryEntries);
    expect(info.byMarket['BTC-4h'].temporary).toBeGreaterThan(0);
    server.close();
  }, 600_000);
});

describe('CACHE_MAX_MB=1 under a 64-way warm burst', () => {
  it('never takes the bytes on disk past the bound plus one entry', async () => {
    const maxBytes = 1024 * 1024;
    const h = await harness({ kind: 'file', cacheDir: tempDir() });
    const dir = h.dir;
    const server = h.make({ store: new FileCacheStore(dir, { fsync: false }), maxBytes });
    const entryBytes = Buffer.byteLength(serializeEntry(fakeEntry()));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, bytesOnDisk(dir))), 10);
    const grid = manyParams(3_000);
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < grid.length) await server.runAndCache(grid[next++], { permanent: next % 3 === 0 });
      }),
    );
    clearInterval(timer);
    peak = Math.max(peak, bytesOnDisk(dir));
    expect(grid.length * entryBytes).toBeGreaterThan(2 * maxBytes); // the burst really needs evictions
    expect(peak).toBeGreaterThan(maxBytes / 2);
    expect(peak).toBeLessThanOrEqual(maxBytes + entryBytes * 1.1);
    expect((await server.stats()).cacheSize).toBeLessThanOrEqual(maxBytes);
    server.close();
  }, 300_000);
});
