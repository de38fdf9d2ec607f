/**
 * A link planted as an entry file, again and again while 8 writers rewrite the same keys: over
 * 10,000 writes the link's target (a file outside the cache) stays byte-identical, because writes
 * create their temporary file with O_EXCL | O_NOFOLLOW and rename it onto the name (issue 13).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCacheStore } from '@/lib/cache/file-store';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { BASE_PARAMS, harness, tempDir } from '../cache/helpers';
import { plantLink, victimFile } from '../reliability/hostile-files';

const withLow = (lowThreshold: number): BacktestParams => ({ ...BASE_PARAMS, lowThreshold });

describe('links planted as entries while requests run', () => {
  it('never writes through a link planted as an entry, over 10,000 writes', async () => {
    const h = await harness({ kind: 'file', cacheDir: tempDir() });
    const server = h.make({ store: new FileCacheStore(h.dir, { fsync: false, warn: (l) => h.lines.push(l) }) });
    const victim = victimFile();
    const keys = [20, 21, 22, 23].map(withLow);
    await server.runAndCache(keys[0]); // the tier folder exists
    let planting = true;
    const planter = (async () => {
      let i = 0;
      while (planting) {
        plantLink(path.join(h.dir, 'temporary', `${cacheKey(keys[i++ % keys.length])}.json`), victim.file);
        await new Promise((r) => setImmediate(r));
      }
    })();
    let writes = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        while (writes < 10_000) {
          writes += 1;
          const outcome = await server.runAndCache(keys[(writes + worker) % keys.length], { forceRefresh: true });
          expect(outcome.cached).toBe(false);
        }
      }),
    );
    planting = false;
    await planter;
    expect(writes).toBeGreaterThanOrEqual(10_000);
    expect(victim.unchanged()).toBe(true);
    expect(fs.readdirSync(path.dirname(victim.file))).toEqual(['victim.txt']);
    // Lookups of a planted link are misses that remove the link, never the target.
    plantLink(path.join(h.dir, 'temporary', `${cacheKey(keys[1])}.json`), victim.file);
    expect((await server.runAndCache(keys[1])).cached).toBe(false);
    expect(fs.lstatSync(path.join(h.dir, 'temporary', `${cacheKey(keys[1])}.json`)).isFile()).toBe(true);
    await server.clear('all');
    expect(victim.unchanged()).toBe(true);
  }, 120_000);

});
