import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InvalidEntryError, parseEntry, serializeEntry } from '@/lib/cache/entry';
import { FileCacheStore } from '@/lib/cache/file-store';
import { cacheKey } from '@/lib/cache/key';
import { BASE_PARAMS, fakeEntry as entry, fakeResult, tempDir } from './helpers';
import { listAll } from './stores';

const KEY = cacheKey(BASE_PARAMS);

describe('entry format', () => {
  it('round-trips as pretty-printed JSON', () => {
    const text = serializeEntry(entry());
    expect(text).toContain('\n  "key": "ETH-4h-3x-25-75-contrarian",');
    expect(parseEntry(text, KEY)).toEqual(entry());
  });

  it('keeps only the fields of BacktestResult (the schema is keyed by them) and validates percentages', () => {
    const result = { ...fakeResult(BASE_PARAMS, 1), notAMetric: 4 };
    expect(parseEntry(serializeEntry(entry({ result })), KEY).result).not.toHaveProperty('notAMetric');
    const text = serializeEntry(entry()).replace(/"winRate": [^,]+,/, '"winRate": 140,');
    expect(() => parseEntry(text, KEY)).toThrow(/result\.winRate: must be a percentage in 0\.\.100/);
  });

  it('writes the header before the result, so the inventory reads only the first bytes', () => {
    const text = serializeEntry(entry());
    expect(text.indexOf('"dataVersion"')).toBeLessThan(text.indexOf('"result"'));
  });

  it.each([
    ['empty file', ''],
    ['not valid JSON', serializeEntry(entry()).slice(0, 200)],
    ['entry format version "0.9" ≠ 1.0', serializeEntry({ ...entry(), version: '0.9' })],
    ['key', serializeEntry(entry({ key: 'BTC-4h-3x-25-75-contrarian' }))],
    ['result.params belong to', serializeEntry(entry({ result: fakeResult({ ...BASE_PARAMS, leverage: 4 }, 1) }))],
    ['result.returns', serializeEntry(entry()).replace(/"returns": [^,]+,/, '"returns": "12",')],
    ['accessCount', serializeEntry(entry()).replace('"accessCount": 0', '"accessCount": -1')],
  ])('rejects %s', (reason, text) => {
    expect(() => parseEntry(text, KEY)).toThrow(InvalidEntryError);
    expect(() => parseEntry(text, KEY)).toThrow(reason);
  });
});

describe('FileCacheStore', () => {
  it('writes, reads, lists and removes entries; tier folders are created on demand', async () => {
    const root = tempDir();
    const store = new FileCacheStore(root);
    expect(await store.read('temporary', KEY)).toBeNull();
    expect(await listAll(store, 'temporary')).toEqual([]);
    const bytes = await store.write('temporary', KEY, entry());
    expect(fs.statSync(path.join(root, 'temporary', `${KEY}.json`)).size).toBe(bytes);
    expect(await store.read('temporary', KEY)).toEqual(entry());
    expect(await store.read('permanent', KEY)).toBeNull();
    expect(await listAll(store, 'temporary')).toEqual([{ key: KEY, bytes, modifiedAt: expect.any(Number) }]);
    expect(await store.remove('temporary', KEY)).toBe(bytes);
    expect(await store.remove('temporary', KEY)).toBeNull();
    expect(await store.read('temporary', KEY)).toBeNull();
  });

  it('sees an operator rm or replacement at the next read despite the memory layer', async () => {
    const root = tempDir();
    const store = new FileCacheStore(root);
    await store.write('permanent', KEY, entry());
    expect((await store.read('permanent', KEY))?.accessCount).toBe(0);
    fs.rmSync(path.join(root, 'permanent', `${KEY}.json`));
    expect(await store.read('permanent', KEY)).toBeNull();
    await store.write('permanent', KEY, entry());
    await store.read('permanent', KEY);
    // Rewritten in place by another program (same inode).
    fs.writeFileSync(path.join(root, 'permanent', `${KEY}.json`), serializeEntry(entry({ accessCount: 17 })));
    expect((await store.read('permanent', KEY))?.accessCount).toBe(17);
    fs.rmSync(path.join(root, 'permanent'), { recursive: true });
    expect(await store.read('permanent', KEY)).toBeNull();
    await store.write('permanent', KEY, entry());
    expect(await store.read('permanent', KEY)).toEqual(entry());
  });

  it('fsyncs a permanent entry and its folder, never a temporary entry; a cut temporary file is invalid', async () => {
    const root = tempDir();
    const store = new FileCacheStore(root);
    const probe = await fs.promises.open(path.join(root, 'probe'), 'w');
    const sync = vi.spyOn(Object.getPrototypeOf(probe), 'sync');
    await probe.close();
    try {
      await store.write('temporary', KEY, entry());
      expect(sync).not.toHaveBeenCalled();
      await store.write('permanent', KEY, entry({ isPermanent: true }));
      expect(sync).toHaveBeenCalledTimes(2); // the entry before its rename, the folder after
    } finally {
      sync.mockRestore();
    }
    // What a power cut may leave of an unsynced temporary entry is never served.
    const file = path.join(root, 'temporary', `${KEY}.json`);
    for (const text of ['', serializeEntry(entry()).slice(0, 300)]) {
      fs.writeFileSync(file, text);
      await expect(store.read('temporary', KEY)).rejects.toBeInstanceOf(InvalidEntryError);
    }
  });

  it('refuses a huge regular file named like an entry without reading it, and writes over it', async () => {
    const root = tempDir();
    const store = new FileCacheStore(root);
    const file = path.join(root, 'temporary', `${KEY}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 1 GiB, sparse: reading it as a string would fail with V8's string length limit instead.
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, 1024 ** 3);
    await expect(store.read('temporary', KEY)).rejects.toThrow('1073741824 bytes is no entry');
    await store.write('temporary', KEY, entry());
    expect(await store.read('temporary', KEY)).toEqual(entry());
  });

  it('accepts only cache keys as names and never leaves its tier folder', async () => {
    const store = new FileCacheStore(tempDir());
    for (const key of ['../escape', `../temporary/${KEY}`, `${KEY}/x`, '/etc/passwd', '']) {
      expect(() => store.entryPath('temporary', key)).toThrow('not a cache key');
      await expect(store.read('temporary', key)).rejects.toThrow('not a cache key');
      await expect(store.write('temporary', key, entry())).rejects.toThrow('not a cache key');
    }
  });

  it('does not follow a symbolic link planted in a tier folder', async () => {
    const root = tempDir();
    const outside = path.join(tempDir(), 'outside.json');
    fs.writeFileSync(outside, serializeEntry(entry()));
    fs.mkdirSync(path.join(root, 'temporary'));
    fs.symlinkSync(outside, path.join(root, 'temporary', `${KEY}.json`));
    const store = new FileCacheStore(root);
    await expect(store.read('temporary', KEY)).rejects.toThrow('not a regular file');
    await store.write('temporary', KEY, entry({ accessCount: 3 }));
    expect(JSON.parse(fs.readFileSync(outside, 'utf8')).accessCount).toBe(0);
    expect(fs.lstatSync(path.join(root, 'temporary', `${KEY}.json`)).isFile()).toBe(true);
  });

  it('ignores interrupted-write leftovers and stray files, and removes old leftovers on request', async () => {
    const root = tempDir();
    const store = new FileCacheStore(root);
    await store.write('temporary', KEY, entry());
    const dir = path.join(root, 'temporary');
    fs.writeFileSync(path.join(dir, `${KEY}.json.123456`), '{"key": "ETH-4h-3x-25');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    expect((await listAll(store, 'temporary')).map((i) => i.key)).toEqual([KEY]);
    expect(await store.removeOrphans(60_000)).toEqual({ files: 0, bytes: 0 });
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(dir, `${KEY}.json.123456`), old, old);
    expect(await store.removeOrphans(60_000)).toEqual({ files: 1, bytes: 21 });
    expect(fs.readdirSync(dir).sort()).toEqual([`${KEY}.json`, 'notes.txt']);
  });

  it('measures the archive folder recursively', async () => {
    const root = tempDir();
    const store = new FileCacheStore(root);
    expect(await store.archiveUsage()).toEqual({ files: 0, bytes: 0 });
    fs.mkdirSync(path.join(root, 'archive', '2024'), { recursive: true });
    fs.writeFileSync(path.join(root, 'archive', `${KEY}.json`), '12345');
    fs.writeFileSync(path.join(root, 'archive', '2024', 'x.json'), '123');
    expect(await store.archiveUsage()).toEqual({ files: 2, bytes: 8 });
  });
});
