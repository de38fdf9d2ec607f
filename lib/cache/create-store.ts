/**
 * The one place where the cache store is chosen: files under CACHE_DIR (CACHE_STORE=file, the
 * default, nothing to install) or Redis at REDIS_URL under REDIS_PREFIX (CACHE_STORE=redis, for
 * several instances sharing one cache). The Redis module and ioredis are imported, and the
 * connection opened, only for CACHE_STORE=redis and only at the first cache operation.
 */
import 'server-only';
import type { ServerEnv } from '../env';
import { serializeEntryCompact } from './entry';
import { FileCacheStore } from './file-store';
import type { RedisCacheStore } from './redis-store';
import type { CacheStore } from './store';

/** The environment the choice depends on (a subset of getEnv()). */
export type StoreEnv = Pick<ServerEnv, 'CACHE_STORE' | 'cacheDir' | 'REDIS_URL' | 'REDIS_PREFIX'>;

/** The CacheStore selected by `env` (see the module comment). */
export function createStore(env: StoreEnv): CacheStore {
  if (env.CACHE_STORE === 'file') return new FileCacheStore(env.cacheDir);
  let opening: Promise<RedisCacheStore> | null = null;
  const redis = () =>
    (opening ??= import('./redis-store').then(({ openRedisStore }) =>
      openRedisStore({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX }),
    ));
  return {
    encodedSize: (entry) => Buffer.byteLength(serializeEntryCompact(entry)),
    read: async (tier, key) => (await redis()).read(tier, key),
    write: async (tier, key, entry) => (await redis()).write(tier, key, entry),
    update: async (tier, key, change) => (await redis()).update(tier, key, change),
    remove: async (tier, key) => (await redis()).remove(tier, key),
    listBatches: async function* (tier) {
      yield* (await redis()).listBatches(tier);
    },
    readHeaders: async (tier, keys) => (await redis()).readHeaders(tier, keys),
    removeOrphans: async () => (await redis()).removeOrphans(),
    archiveUsage: async () => (await redis()).archiveUsage(),
    describe: async () => (await redis()).describe(),
    coordinator: { tryLock: async (key, ttlMs) => (await redis()).coordinator.tryLock(key, ttlMs) },
  };
}
