/**
 * Redis implementation of CacheStore (CACHE_STORE=redis), so that several app instances behind a
 * load balancer share one result cache. Loaded only by lib/cache/create-store.ts when Redis is
 * chosen.
 *
 * Keys: `{prefix}permanent:{cacheKey}` (no expiry) and `{prefix}temporary:{cacheKey}` (written with
 * `SET … PX 86400000`, so Redis drops it by itself after 24 h; the cache server still decides
 * staleness from `computedAt` with its own clock), each a string holding the entry of
 * lib/cache/entry.ts as compact JSON, validated on every read like a file. Compute locks:
 * `{prefix}lock:{cacheKey}` = a random token, taken with `SET … NX PX` and released with a
 * compare-and-delete Lua script. Listing and clearing use SCAN, never KEYS.
 *
 * Connection (ioredis): no offline queue, so while Redis is unreachable every command fails at
 * once and the cache server answers by computing; ioredis reconnects in the background (at least
 * once a second) and the store is used again as soon as Redis answers. Unreachability is logged at
 * most once a minute, and the recovery once.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { LRUCache } from 'lru-cache';
import {
  HEADER_BYTES,
  InvalidEntryError,
  parseEntry,
  parseEntryHeader,
  serializeEntryCompact,
  type CacheEntry,
  type CacheTier,
} from './entry';
import { isEntryKey } from './key';
import { errorText } from './log';
import { TEMPORARY_TTL_MS } from './policy';
import type { CacheStore, ComputeCoordinator, HeaderRead, StorageUsage, StoreDescription, StoredItem } from './store';

/** Receives the store's connection log lines. */
export interface RedisStoreLogger {
  info(line: string): void;
  warn(line: string): void;
}

/** Options of RedisCacheStore. */
export interface RedisCacheStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS (REDIS_URL). */
  url: string;
  /** Prefix of every key, e.g. `splitsea:` (REDIS_PREFIX). */
  prefix: string;
  /** Expiry Redis sets on temporary entries, ms (default TEMPORARY_TTL_MS, 24 h). */
  temporaryTtlMs?: number;
  /** Parsed entries kept in memory, checked against the stored text on every read (default 2000). */
  memoryEntries?: number;
  /** Default: console. */
  logger?: RedisStoreLogger;
  /** ioredis options laid over REDIS_CLIENT_OPTIONS. */
  client?: RedisOptions;
}

/**
 * ioredis options of the store: commands fail fast while Redis is down (no offline queue, one
 * retry for a command caught by a dropped connection, 2 s to connect, 500 ms per command: a
 * loopback or LAN Redis answers in well under 1 ms), and reconnection goes on in the background,
 * every 100 ms growing to every 1 s, forever.
 */
const REDIS_CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: true, // connected by open(), which waits for the first attempt
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 500,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
};

/** Connection problems are logged at most once per this interval, ms. */
const DOWN_LOG_INTERVAL_MS = 60_000;
/** Keys per SCAN call and commands per pipeline. */
const BATCH = 500;

/** Deletes a lock only when it still holds this holder's token. */
const RELEASE_LOCK_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Replaces a value, keeping its expiry, only when it is still exactly the text read before. */
const COMPARE_AND_SET_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0`;
/** Deletes a key and returns the length of the string it held (0 for another type), or -1 when absent. */
const REMOVE_LUA = `local n = redis.pcall('STRLEN', KEYS[1]) if type(n) ~= 'number' then n = 0 end if redis.call('DEL', KEYS[1]) == 1 then return n end return -1`;

interface ScriptedRedis extends Redis {
  releaseLock(lockKey: string, token: string): Promise<number>;
  compareAndSet(key: string, expected: string, next: string): Promise<number>;
  removeEntry(key: string): Promise<number>;
}

interface Memo {
  text: string;
  entry: CacheEntry<unknown>;
}

const isWrongType = (error: unknown) => error instanceof Error && error.message.startsWith('WRONGTYPE');
/** Redis refused the command itself (e.g. a managed service that disables MEMORY or INFO). */
const isReplyError = (error: unknown) => error instanceof Error && error.name === 'ReplyError';
/** Escapes glob characters so a prefix matches itself in SCAN MATCH. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * A command failed because the connection to Redis is down or Redis did not answer within the
 * command timeout (code `REDIS_UNAVAILABLE`); the cache server then answers without the cache.
 */
export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  /** `why`: e.g. `connection reconnecting` or `no answer within 500 ms`. */
  constructor(where: string, why: string, options?: ErrorOptions) {
    super(`Redis at ${where} is unavailable (${why})`, options);
    this.name = 'RedisUnavailableError';
  }
}

/** ioredis rejects a command that got no answer within `commandTimeout` with this message. */
const isTimeout = (error: unknown) => error instanceof Error && error.message === 'Command timed out';

/** The URL with its password replaced, for log lines. */
function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured REDIS_URL';
  }
}

/** CacheStore on Redis. See the module comment for the key layout and connection behaviour. */
export class RedisCacheStore implements CacheStore {
  /** Prefix of every key of this store. */
  readonly prefix: string;
  /** The ioredis client (exposed for tests and diagnostics). */
  readonly client: Redis;
  private readonly redis: ScriptedRedis;
  private readonly temporaryTtlMs: number;
  private readonly memory: LRUCache<string, Memo>;
  private readonly logger: RedisStoreLogger;
  private readonly where: string;
  private down: { since: number; loggedAt: number; suppressed: number } | null = null;
  private readonly commandTimeoutMs: number;
  /** MEMORY USAGE of each tier's entries as summed by the last complete listing; null = refused or not yet listed. */
  private readonly tierMemoryBytes: Record<CacheTier, number | null> = { permanent: null, temporary: null };

  /** Creates the client without connecting; use openRedisStore (or `connect()`) to connect. */
  constructor(options: RedisCacheStoreOptions) {
    this.prefix = options.prefix;
    this.temporaryTtlMs = options.temporaryTtlMs ?? TEMPORARY_TTL_MS;
    this.memory = new LRUCache({ max: options.memoryEntries ?? 2000 });
    this.logger = options.logger ?? { info: (line) => console.log(line), warn: (line) => console.warn(line) };
    this.where = redactRedisUrl(options.url);
    this.client = new Redis(options.url, { ...REDIS_CLIENT_OPTIONS, ...options.client });
    this.commandTimeoutMs = options.client?.commandTimeout ?? REDIS_CLIENT_OPTIONS.commandTimeout!;
    this.client.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK_LUA });
    this.client.defineCommand('compareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET_LUA });
    this.client.defineCommand('removeEntry', { numberOfKeys: 1, lua: REMOVE_LUA });
    this.redis = this.client as ScriptedRedis;
    this.client.on('error', (error) => this.noteDown(error));
    this.client.on('ready', () => this.noteUp());
  }

  /**
   * Opens the connection and waits for the first attempt (at most the connect timeout). Never
   * throws: when Redis is unreachable the failure is logged and ioredis keeps reconnecting.
   */
  async connect(): Promise<void> {
    await this.client.connect().catch((error) => this.noteDown(error));
  }

  /** Closes the connection for good (tests, scripts). */
  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /**
   * The Redis key of an entry: `{prefix}{tier}:{key}`.
   * @throws Error when `key` is not a cache key.
   */
  entryKey(tier: CacheTier, key: string): string {
    if (!isEntryKey(key)) throw new Error(`not a cache key: ${key}`);
    return `${this.prefix}${tier}:${key}`;
  }

  /**
   * The Redis key of a compute lock: `{prefix}lock:{key}`.
   * @throws Error when `key` is not a cache key.
   */
  lockKey(key: string): string {
    if (!isEntryKey(key)) throw new Error(`not a cache key: ${key}`);
    return `${this.prefix}lock:${key}`;
  }

  async read(tier: CacheTier, key: string): Promise<CacheEntry<unknown> | null> {
    const redisKey = this.entryKey(tier, key);
    const text = await this.getText(redisKey);
    return text === null ? null : this.parse(redisKey, key, text);
  }

  encodedSize(entry: CacheEntry<unknown>): number {
    return Buffer.byteLength(serializeEntryCompact(entry));
  }

  async write(tier: CacheTier, key: string, entry: CacheEntry<unknown>): Promise<number> {
    const redisKey = this.entryKey(tier, key);
    const text = serializeEntryCompact(entry);
    if (tier === 'temporary') await this.call(this.client.set(redisKey, text, 'PX', this.temporaryTtlMs));
    else await this.call(this.client.set(redisKey, text)); // a plain SET also clears any expiry
    return Buffer.byteLength(text);
  }

  async update(
    tier: CacheTier,
    key: string,
    change: (entry: CacheEntry<unknown>) => CacheEntry<unknown> | null,
  ): Promise<boolean> {
    const redisKey = this.entryKey(tier, key);
    // Optimistic: retried when another instance changed the entry between GET and the script.
    for (let attempt = 0; attempt < 3; attempt++) {
      const text = await this.getText(redisKey);
      const next = text === null ? null : change(this.parse(redisKey, key, text));
      if (text === null || !next) return false;
      if ((await this.call(this.redis.compareAndSet(redisKey, text, serializeEntryCompact(next)))) === 1) return true;
    }
    return false;
  }

  async remove(tier: CacheTier, key: string): Promise<number | null> {
    const redisKey = this.entryKey(tier, key);
    this.memory.delete(redisKey);
    const freed = await this.call(this.redis.removeEntry(redisKey));
    return freed < 0 ? null : freed;
  }

  /**
   * SCAN of the tier, one batch per SCAN call (≤ 500 keys), each with one pipeline of STRLEN and
   * MEMORY USAGE (summed per tier for `describe`). A value of another type (an operator's) is
   * listed with 0 bytes; reading it is an invalid entry.
   */
  async *listBatches(tier: CacheTier): AsyncIterable<StoredItem[]> {
    const tierPrefix = `${this.prefix}${tier}:`;
    const seen = new Set<string>();
    let memory: number | null = 0;
    let cursor = '0';
    do {
      const [next, redisKeys] = await this.call(
        this.client.scan(cursor, 'MATCH', `${globEscape(tierPrefix)}*`, 'COUNT', BATCH),
      );
      cursor = next;
      const keys = redisKeys
        .map((redisKey) => redisKey.slice(tierPrefix.length))
        .filter((key) => isEntryKey(key) && !seen.has(key));
      for (const key of keys) seen.add(key);
      if (keys.length === 0) continue;
      const replies = await this.pipelined(keys, (pipeline, key) => {
        pipeline.strlen(tierPrefix + key);
        pipeline.memory('USAGE', tierPrefix + key, 'SAMPLES', 0);
      });
      const items: StoredItem[] = keys.map((key, i) => {
        const size = replies[2 * i];
        const usage = replies[2 * i + 1];
        if (memory !== null) memory = isReplyError(usage) ? null : memory + (typeof usage === 'number' ? usage : 0);
        return { key, bytes: typeof size === 'number' ? size : 0 };
      });
      yield items;
    } while (cursor !== '0');
    this.tierMemoryBytes[tier] = memory;
  }

  /** GETRANGE of each entry's first bytes, in pipelines of 500. */
  async readHeaders(tier: CacheTier, keys: readonly string[]): Promise<HeaderRead[]> {
    const replies = await this.pipelined([...keys], (pipeline, key) =>
      pipeline.getrange(this.entryKey(tier, key), 0, HEADER_BYTES - 1),
    );
    return replies.map((reply, i): HeaderRead => {
      if (isReplyError(reply)) return new InvalidEntryError('not a string value');
      if (typeof reply !== 'string' || reply === '') return null;
      try {
        return parseEntryHeader(reply, keys[i]);
      } catch (error) {
        if (error instanceof InvalidEntryError) return error;
        throw error;
      }
    });
  }

  /** Redis writes are atomic: there are never leftovers of interrupted writes. */
  async removeOrphans(): Promise<StorageUsage> {
    return { files: 0, bytes: 0 };
  }

  /** There is no archive in Redis. */
  async archiveUsage(): Promise<StorageUsage> {
    return { files: 0, bytes: 0 };
  }

  /**
   * Tier memory as summed by the last listing (the inventory's scan); the server's `used_memory`
   * asked live (null where Redis refuses INFO, as some managed services do).
   * @throws RedisUnavailableError when Redis is down or does not answer in time.
   */
  async describe(): Promise<StoreDescription> {
    const info = await this.call(this.client.info('memory')).catch((error) => {
      if (isReplyError(error)) return null;
      throw error;
    });
    const used = info && /^used_memory:(\d+)/m.exec(info);
    const { permanent, temporary } = this.tierMemoryBytes;
    return { kind: 'redis', prefix: this.prefix, memory: { permanent, temporary, server: used ? Number(used[1]) : null } };
  }

  /** Cross-instance compute locks (see ComputeCoordinator). */
  readonly coordinator: ComputeCoordinator = {
    tryLock: async (key, ttlMs) => {
      const lockKey = this.lockKey(key);
      const token = randomUUID();
      const taken = await this.call(this.client.set(lockKey, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'));
      if (taken !== 'OK') return null;
      return {
        release: async () => {
          await this.call(this.redis.releaseLock(lockKey, token));
        },
      };
    },
  };

  /** Waits for a command; while the connection is down, its failure becomes a RedisUnavailableError. */
  private async call<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown): unknown {
    if (error instanceof RedisUnavailableError || isReplyError(error)) return error;
    if (isTimeout(error)) return new RedisUnavailableError(this.where, `no answer within ${this.commandTimeoutMs} ms`, { cause: error });
    if (this.client.status === 'ready') return error;
    return new RedisUnavailableError(this.where, `connection ${this.client.status}`, { cause: error });
  }

  /** The stored text of a key, or null. @throws InvalidEntryError for a value that is not a string. */
  private async getText(redisKey: string): Promise<string | null> {
    try {
      const text = await this.call(this.client.get(redisKey));
      if (text === null) this.memory.delete(redisKey);
      return text;
    } catch (error) {
      if (isWrongType(error)) throw new InvalidEntryError('not a string value');
      throw error;
    }
  }

  /** Parses and validates a stored text, reusing the parsed entry while the text is unchanged. */
  private parse(redisKey: string, key: string, text: string): CacheEntry<unknown> {
    const memo = this.memory.get(redisKey);
    if (memo && memo.text === text) return memo.entry;
    const entry = parseEntry(text, key);
    this.memory.set(redisKey, { text, entry });
    return entry;
  }

  /**
   * Runs the commands of each item in pipelines of BATCH items. A command Redis refused yields its
   * ReplyError; a connection failure throws.
   */
  private async pipelined(
    items: string[],
    command: (pipeline: ReturnType<Redis['pipeline']>, item: string) => unknown,
  ): Promise<unknown[]> {
    const results: unknown[] = [];
    for (let start = 0; start < items.length; start += BATCH) {
      const pipeline = this.client.pipeline();
      for (const item of items.slice(start, start + BATCH)) command(pipeline, item);
      for (const [error, value] of (await this.call(pipeline.exec())) ?? []) {
        if (error && !isReplyError(error)) throw this.unavailable(error);
        results.push(error ?? value);
      }
    }
    return results;
  }

  private noteDown(error: unknown): void {
    const now = Date.now();
    if (this.down && now - this.down.loggedAt < DOWN_LOG_INTERVAL_MS) {
      this.down.suppressed += 1;
      return;
    }
    const more = this.down?.suppressed ? ` (${this.down.suppressed} more failures since the last report)` : '';
    this.down = { since: this.down?.since ?? now, loggedAt: now, suppressed: 0 };
    this.logger.warn(
      `[CACHE ERROR] Redis at ${this.where} unreachable: ${errorText(error)}; answering without the cache and reconnecting${more}`,
    );
  }

  private noteUp(): void {
    if (!this.down) return;
    const seconds = ((Date.now() - this.down.since) / 1000).toFixed(1);
    this.down = null;
    this.logger.info(`[BACKTEST FLOW] Redis at ${this.where} reachable again after ${seconds} s; using the cache again`);
  }
}

/**
 * A RedisCacheStore, connected (or, when Redis is unreachable, reconnecting in the background:
 * never throws for that).
 */
export async function openRedisStore(options: RedisCacheStoreOptions): Promise<RedisCacheStore> {
  const store = new RedisCacheStore(options);
  await store.connect();
  return store;
}
