/**
 * The CacheStore contract (lib/cache/store.ts), run against both implementations: files and
 * Redis (a private redis-server, see ./stores.ts).
 */
import { describe, expect, it } from 'vitest';
import { InvalidEntryError, type CacheEntry } from '@/lib/cache/entry';
import { cacheKey } from '@/lib/cache/key';
import { BASE_PARAMS, fakeEntry as entry, tempDir } from './helpers';
import { createStoreView, listAll, STORE_KINDS } from './stores';

const KEY = cacheKey(BASE_PARAMS);

describe.each(STORE_KINDS)('CacheStore contract on the %s store', (kind) => {
  const fresh = () => createStoreView(kind, { dir: tempDir() });

  it('writes, reads, lists and removes entries per tier', async () => {
    const { store, bytes: storedBytes } = await fresh();
    expect(await store.read('temporary', KEY)).toBeNull();
    expect(await listAll(store, 'temporary')).toEqual([]);
    const bytes = await store.write('temporary', KEY, entry());
    expect(await storedBytes('temporary', KEY)).toBe(bytes);
    expect(await store.read('temporary', KEY)).toEqual(entry());
    expect(await store.read('permanent', KEY)).toBeNull();
    expect(await listAll(store, 'temporary')).toEqual([expect.objectContaining({ key: KEY, bytes })]);
    expect(await listAll(store, 'permanent')).toEqual([]);
    expect(await store.remove('temporary', KEY)).toBe(bytes);
    expect(await store.remove('temporary', KEY)).toBeNull();
    expect(await store.read('temporary', KEY)).toBeNull();
  });

  it('sees a change made behind its back at the next read despite its memory layer', async () => {
    const view = await fresh();
    await view.store.write('permanent', KEY, entry());
    expect((await view.store.read('permanent', KEY))?.accessCount).toBe(0);
    await view.writeRaw('permanent', KEY, JSON.stringify(entry({ accessCount: 17 })));
    expect((await view.store.read('permanent', KEY))?.accessCount).toBe(17);
  });

  it('updates an entry in place, and not a missing one or when the change declines', async () => {
    const { store } = await fresh();
    const bump = (e: CacheEntry<unknown>) => ({ ...e, accessCount: e.accessCount + 2, lastAccessed: 5 });
    expect(await store.update('temporary', KEY, bump)).toBe(false);
    await store.write('temporary', KEY, entry());
    expect(await store.update('temporary', KEY, bump)).toBe(true);
    expect(await store.read('temporary', KEY)).toEqual(entry({ accessCount: 2, lastAccessed: 5 }));
    expect(await store.update('temporary', KEY, () => null)).toBe(false);
    expect((await store.read('temporary', KEY))?.accessCount).toBe(2);
  });

  it('reports a stored value that is not an entry as InvalidEntryError', async () => {
    const view = await fresh();
    await view.writeRaw('temporary', KEY, '{"key": "ETH-4h-3x-25');
    await expect(view.store.read('temporary', KEY)).rejects.toThrow(InvalidEntryError);
    await expect(view.store.update('temporary', KEY, (e) => e)).rejects.toThrow(InvalidEntryError);
    expect((await listAll(view.store, 'temporary')).map((item) => item.key)).toEqual([KEY]);
    expect(await view.store.remove('temporary', KEY)).toBe(21);
  });

  it('accepts only cache keys', async () => {
    const { store } = await fresh();
    for (const key of ['../escape', `../temporary/${KEY}`, `${KEY}/x`, `${KEY}*`, '']) {
      await expect(store.read('temporary', key)).rejects.toThrow('not a cache key');
      await expect(store.write('temporary', key, entry())).rejects.toThrow('not a cache key');
      await expect(store.remove('temporary', key)).rejects.toThrow('not a cache key');
    }
  });

  it('describes itself', async () => {
    const { store } = await fresh();
    expect((await store.describe()).kind).toBe(kind);
    expect(store.coordinator !== undefined).toBe(kind === 'redis');
  });
});
