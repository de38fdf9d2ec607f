/**
 * Review fixes of issue 13 on both stores: a caller that joins another's computation keeps its
 * own tier rule; set() follows runAndCache's rule over a fresh permanent entry; a hit's response
 * time counts the chart detail the caller waited for, not the market-data load before the lookup.
 */
import { describe, expect, it } from 'vitest';
import { cacheKey } from '@/lib/cache/key';
import { BASE_PARAMS, fakeResult, harness } from './helpers';
import { STORE_KINDS } from './stores';

const KEY = cacheKey(BASE_PARAMS);

describe.each(STORE_KINDS)('tier rules and hit times on the %s store', (kind) => {
  it('stores permanently for a permanent request that joined an interactive computation', async () => {
    const h = await harness({ kind });
    h.delay.ms = 30;
    const [interactive, warm] = await Promise.all([
      h.server.runAndCache(BASE_PARAMS, { priority: 'normal' }),
      h.server.runAndCache(BASE_PARAMS, { permanent: true }),
    ]);
    expect(h.calls).toHaveLength(1);
    expect([interactive.cached, warm.cached]).toEqual([false, false]);
    expect(await h.view.keys('permanent')).toEqual([KEY]);
    expect(await h.view.keys('temporary')).toEqual([]);
  });

  it('set() over a fresh permanent entry replaces it in the permanent tier', async () => {
    const h = await harness({ kind });
    await h.server.runAndCache(BASE_PARAMS, { permanent: true });
    h.clock.now += 1000;
    expect(await h.server.set(BASE_PARAMS, fakeResult(BASE_PARAMS, h.clock.now, 99))).toBe('permanent');
    expect(await h.view.keys('temporary')).toEqual([]);
    expect((await h.server.runAndCache(BASE_PARAMS)).result.returns).toBe(99);
  });

  it('counts the detail in a hit time, and not the series load before the lookup', async () => {
    const loadMs = 150;
    let loaded = false;
    const h = await harness({ kind });
    const server = h.make({
      seriesFacts: async () => {
        if (!loaded) await new Promise((r) => setTimeout(r, loadMs)); // a cold market-data load
        loaded = true;
        return h.facts;
      },
    });
    await h.server.runAndCache(BASE_PARAMS); // stored by another server on the same store
    h.delay.ms = 40; // the detail recomputation the hit waits for
    const hit = await server.runAndCache(BASE_PARAMS, { detail: true });
    expect(hit).toMatchObject({ cached: true, detail: expect.any(Object) });
    const { avgCacheResponseTime, hits } = await server.stats();
    expect(hits).toBe(1);
    expect(avgCacheResponseTime).toBeGreaterThanOrEqual(39); // the detail is part of the wait
    const line = h.lines.find((l) => l.startsWith(`[CACHE HIT] Temporary cache hit for ${KEY} in `))!;
    expect(Number(/in ([\d.]+)ms$/.exec(line)![1])).toBeCloseTo(avgCacheResponseTime, 0);
  });
});
