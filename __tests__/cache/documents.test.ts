/**
 * runAndCacheDocument: generic documents (walk-forward results under `WF-…` keys) with the
 * tiers, lookup order, staleness, single-flight, schema validation, inventory and bound of
 * backtest entries, on both stores.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { harness } from './helpers';
import { STORE_KINDS } from './stores';

const HOUR = 3_600_000;
const documentSchema = z.object({ folds: z.array(z.object({ low: z.number(), high: z.number(), returns: z.number() })) });
type WalkForward = z.infer<typeof documentSchema>;
const DOC: WalkForward = { folds: [{ low: 25, high: 75, returns: 12.5 }, { low: 30, high: 70, returns: -3.25 }] };
const KEY = 'WF-ETH-4h-3x-contrarian-6.2-2024-01-01';

describe.each(STORE_KINDS)('runAndCacheDocument on the %s store', (kind) => {
  const setup = async () => {
    const h = await harness({ kind });
    let computations = 0;
    const request = (overrides: Partial<Parameters<typeof h.server.runAndCacheDocument<WalkForward>>[0]> = {}) => ({
      key: KEY,
      schema: documentSchema,
      permanent: false,
      dataVersion: 'data-v1',
      compute: async () => {
        computations += 1;
        await new Promise((r) => setTimeout(r, 5));
        return DOC;
      },
      ...overrides,
    });
    return { h, request, computations: () => computations };
  };

  it('computes once, then serves it from the temporary tier; counted in stats and info', async () => {
    const { h, request, computations } = await setup();
    expect(await h.server.runAndCacheDocument(request())).toEqual({ value: DOC, cached: false });
    h.clock.now += 1000;
    expect(await h.server.runAndCacheDocument(request())).toEqual({ value: DOC, cached: true, cacheTier: 'temporary', cacheAge: 1000 });
    expect(computations()).toBe(1);
    expect(await h.view.keys('temporary')).toEqual([KEY]);
    const info = await h.server.info();
    expect(info.walkForward).toEqual({ permanent: 0, temporary: 1 });
    expect(info.byMarket).toEqual({});
    expect(await h.server.stats()).toMatchObject({ totalEntries: 1, hits: 1, misses: 1 });
  });

  it('computes once for 20 simultaneous misses; a joiner asking for permanent gets a permanent entry', async () => {
    const { h, request, computations } = await setup();
    const outcomes = await Promise.all([
      ...Array.from({ length: 19 }, () => h.server.runAndCacheDocument(request())),
      h.server.runAndCacheDocument(request({ permanent: true })),
    ]);
    expect(computations()).toBe(1);
    expect(outcomes.every((o) => !o.cached && o.value.folds.length === 2)).toBe(true);
    expect(await h.view.keys('permanent')).toEqual([KEY]);
    expect(await h.view.keys('temporary')).toEqual([]);
  });

  it('treats another data version, a 24 h old temporary entry and a value failing the schema as stale', async () => {
    const { h, request, computations } = await setup();
    await h.server.runAndCacheDocument(request());
    expect((await h.server.runAndCacheDocument(request({ dataVersion: 'data-v2' }))).cached).toBe(false);
    h.clock.now += 25 * HOUR;
    expect((await h.server.runAndCacheDocument(request({ dataVersion: 'data-v2' }))).cached).toBe(false);
    const strict = documentSchema.extend({ folds: z.array(z.object({ low: z.number(), high: z.number(), returns: z.number().positive() })) });
    const refused = await h.server.runAndCacheDocument(request({ dataVersion: 'data-v2', schema: strict }));
    expect(refused.cached).toBe(false); // the stored value fails the stricter schema: a miss
    expect(computations()).toBe(4);
    expect(h.lines.some((l) => l.includes(`[CACHE ERROR] Cache entry validation failed`))).toBe(true); // and is not stored
  });

  it('promotes to permanent when asked, and clear removes documents with the rest', async () => {
    const { h, request } = await setup();
    await h.server.runAndCacheDocument(request());
    expect(await h.server.runAndCacheDocument(request({ permanent: true }))).toMatchObject({ cached: true, cacheTier: 'permanent' });
    expect(await h.server.clear('all')).toMatchObject({ removed: 1 });
  });

  it('refuses keys that are not document keys, before touching the store', async () => {
    const { h, request } = await setup();
    for (const key of ['WF-../x', 'WF-a/b', '../WF-x', 'ETH-4h-3x-25-75-contrarian', 'WF-', `WF-${'a'.repeat(300)}`]) {
      await expect(h.server.runAndCacheDocument(request({ key }))).rejects.toThrow(/^not a document key/);
    }
    if (kind === 'file') expect(fs.readdirSync(h.dir).filter((n) => n !== 'temporary' && n !== 'permanent')).toEqual([]);
  });
});
