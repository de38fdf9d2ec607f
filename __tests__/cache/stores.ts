/**
 * The two cache stores as seen by tests: a fresh FileCacheStore on its own folder or a
 * RedisCacheStore under its own key prefix on one redis-server per test file (started on first
 * use, stopped after the file), each with a view of what is stored that bypasses the store
 * (raw text, keys, sizes), so one behaviour test can run against both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import type { CacheTier } from '@/lib/cache/entry';
import { FileCacheStore } from '@/lib/cache/file-store';
import { openRedisStore, RedisCacheStore, type RedisCacheStoreOptions } from '@/lib/cache/redis-store';
import type { CacheStore, StoredItem } from '@/lib/cache/store';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

/** The store implementations under test. */
export type StoreKind = 'file' | 'redis';
/** Both, for describe.each. */
export const STORE_KINDS: StoreKind[] = ['file', 'redis'];

/** A store plus a view of its contents that does not go through it. */
export interface StoreView {
  kind: StoreKind;
  store: CacheStore;
  /** Cache keys stored in a tier, sorted. */
  keys(tier: CacheTier): Promise<string[]>;
  /** The stored text of an entry, or null. */
  raw(tier: CacheTier, key: string): Promise<string | null>;
  /** Stores `text` as the entry, bypassing the store (a hand edit, a foreign writer). */
  writeRaw(tier: CacheTier, key: string, text: string): Promise<void>;
  /** Bytes of the stored entry (file size or string length). */
  bytes(tier: CacheTier, key: string): Promise<number>;
  /** Another store object on the same storage, as a second app instance would have. */
  sibling(): Promise<CacheStore>;
}

let redisServer: Promise<RedisServer> | null = null;
const redisClients: { close(): Promise<void> }[] = [];
let prefixes = 0;

afterAll(async () => {
  await Promise.all(redisClients.splice(0).map((client) => client.close()));
  if (redisServer) await (await redisServer).stop();
  redisServer = null;
});

/** The redis-server of this test file, started on first use. */
export function sharedRedisServer(): Promise<RedisServer> {
  return (redisServer ??= startRedisServer());
}

/** A raw ioredis client on the shared server (closed after the file). */
export async function adminClient(): Promise<Redis> {
  const client = new Redis((await sharedRedisServer()).url, { lazyConnect: true });
  client.on('error', () => undefined); // reconnects by itself after a test restarts the server
  await client.connect();
  redisClients.push({ close: async () => void (await client.quit()) });
  return client;
}

/** A RedisCacheStore on the shared server (closed after the file); logs go to `lines` when given. */
export async function redisStore(options: Partial<RedisCacheStoreOptions> & { prefix: string }, lines?: string[]): Promise<RedisCacheStore> {
  const store = await openRedisStore({
    url: (await sharedRedisServer()).url,
    logger: lines ? { info: (l) => lines.push(l), warn: (l) => lines.push(l) } : undefined,
    ...options,
  });
  redisClients.push(store);
  return store;
}

/** A unique key prefix per store, so tests sharing one redis-server never see each other's keys. */
export const uniquePrefix = () => `test${process.pid}-${++prefixes}:`;

function fileView(dir: string): StoreView {
  const file = (tier: CacheTier, key: string) => path.join(dir, tier, `${key}.json`);
  return {
    kind: 'file',
    store: new FileCacheStore(dir),
    keys: async (tier) => {
      const folder = path.join(dir, tier);
      return fs.existsSync(folder) ? fs.readdirSync(folder).map((n) => n.replace(/\.json$/, '')).sort() : [];
    },
    raw: async (tier, key) => (fs.existsSync(file(tier, key)) ? fs.readFileSync(file(tier, key), 'utf8') : null),
    writeRaw: async (tier, key, text) => {
      fs.mkdirSync(path.join(dir, tier), { recursive: true });
      fs.writeFileSync(file(tier, key), text);
    },
    bytes: async (tier, key) => fs.statSync(file(tier, key)).size,
    sibling: async () => new FileCacheStore(dir),
  };
}

async function redisView(prefix: string, lines?: string[]): Promise<StoreView> {
  const store = await redisStore({ prefix }, lines);
  const admin = await adminClient();
  return {
    kind: 'redis',
    store,
    keys: async (tier) => {
      const found = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}${tier}:*`, 'COUNT', 100);
        for (const k of keys) found.add(k.slice(`${prefix}${tier}:`.length));
        cursor = next;
      } while (cursor !== '0');
      return [...found].sort();
    },
    raw: (tier, key) => admin.get(store.entryKey(tier, key)),
    writeRaw: async (tier, key, text) => void (await admin.set(store.entryKey(tier, key), text)),
    bytes: (tier, key) => admin.strlen(store.entryKey(tier, key)),
    sibling: () => redisStore({ prefix }, lines),
  };
}

/**
 * A fresh store of `kind`: files in `dir`, or a new key prefix on the shared redis-server (`dir`
 * unused). Redis connection log lines go to `lines` when given.
 */
export function createStoreView(kind: StoreKind, options: { dir: string; lines?: string[] }): Promise<StoreView> {
  return kind === 'file' ? Promise.resolve(fileView(options.dir)) : redisView(uniquePrefix(), options.lines);
}

/** Every listed item of a tier, all batches of `listBatches` joined. */
export async function listAll(store: CacheStore, tier: CacheTier): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  for await (const batch of store.listBatches(tier)) items.push(...batch);
  return items;
}
