/**
 * File implementation of CacheStore: `{root}/permanent/{key}.json` and
 * `{root}/temporary/{key}.json`, pretty-printed JSON written with write-file-atomic (a temporary
 * `{key}.json.{n}` file in the same folder, fsync, rename), so a reader or a crash never sees half
 * an entry. Folders are created on demand and recreated when an operator deletes them.
 *
 * A bounded in-memory layer (lru-cache) keeps parsed entries; each read checks it against the
 * file's inode, size and mtime with one `stat`, so an operator's `rm` or a replaced file takes
 * effect at the next read. `{root}/archive/` is only ever measured, never read.
 */
import fs from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { LRUCache } from 'lru-cache';
import { InvalidEntryError, parseEntry, serializeEntry, type CacheEntry, type CacheTier } from './entry';
import { isCacheKey } from './key';
import type { CacheStore, StorageUsage, StoreDescription, StoredItem } from './store';

/** Options of FileCacheStore. */
export interface FileCacheStoreOptions {
  /** Parsed entries kept in memory (default 5000). */
  memoryEntries?: number;
  /** fsync each entry before its rename (default true; durable across power loss). */
  fsync?: boolean;
}

interface Memo {
  stamp: string;
  entry: CacheEntry;
}

/** Name of a write-file-atomic temporary file: `{key}.json.{uint32}`. */
const TEMP_FILE = /^(.+)\.json\.\d+$/;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';
const stampOf = (stat: Stats) => `${stat.ino}:${stat.size}:${stat.mtimeMs}`;

/** CacheStore on the local file system. See the module comment for the layout. */
export class FileCacheStore implements CacheStore {
  /** Absolute cache folder (the parent of the tier folders). */
  readonly root: string;
  private readonly memory: LRUCache<string, Memo>;
  private readonly fsync: boolean;

  constructor(root: string, options: FileCacheStoreOptions = {}) {
    this.root = path.resolve(root);
    this.memory = new LRUCache({ max: options.memoryEntries ?? 5000 });
    this.fsync = options.fsync ?? true;
  }

  /** Absolute folder of a tier. */
  tierDir(tier: CacheTier): string {
    return path.join(this.root, tier);
  }

  /**
   * Absolute file of an entry. Only cache keys are accepted, and the resolved path must lie
   * directly in the tier folder.
   * @throws Error when `key` is not a cache key.
   */
  entryPath(tier: CacheTier, key: string): string {
    const dir = this.tierDir(tier);
    const file = path.resolve(dir, `${key}.json`);
    if (!isCacheKey(key) || path.dirname(file) !== dir) throw new Error(`not a cache key: ${key}`);
    return file;
  }

  async read(tier: CacheTier, key: string): Promise<CacheEntry | null> {
    const file = this.entryPath(tier, key);
    const memoKey = `${tier}/${key}`;
    const memo = this.memory.get(memoKey);
    if (memo) {
      const stat = await statOrNull(file);
      if (stat && stampOf(stat) === memo.stamp) return memo.entry;
      this.memory.delete(memoKey);
      if (!stat) return null;
    }
    let handle: fs.FileHandle;
    try {
      // O_NOFOLLOW: a symbolic link planted in a tier folder is never followed out of it.
      handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (isMissing(error)) return null;
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new InvalidEntryError('not a regular file');
      throw error;
    }
    try {
      const stat = await handle.stat();
      const entry = parseEntry(await handle.readFile('utf8'), key);
      this.memory.set(memoKey, { stamp: stampOf(stat), entry });
      return entry;
    } finally {
      await handle.close();
    }
  }

  async write(tier: CacheTier, key: string, entry: CacheEntry): Promise<number> {
    const file = this.entryPath(tier, key);
    const text = serializeEntry(entry);
    const options = { fsync: this.fsync };
    // write-file-atomic writes through symbolic links; never let one lead out of the tier folder.
    if ((await statOrNull(file))?.isSymbolicLink()) await fs.unlink(file);
    try {
      await writeFileAtomic(file, text, options);
    } catch (error) {
      if (!isMissing(error)) throw error;
      // The tier folder does not exist yet or was deleted by an operator: recreate it once.
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, text, options);
    }
    this.memory.delete(`${tier}/${key}`);
    return Buffer.byteLength(text);
  }

  async update(tier: CacheTier, key: string, change: (entry: CacheEntry) => CacheEntry | null): Promise<boolean> {
    const stored = await this.read(tier, key);
    const next = stored && change(stored);
    if (!next) return false;
    await this.write(tier, key, next);
    return true;
  }

  async remove(tier: CacheTier, key: string): Promise<number | null> {
    const file = this.entryPath(tier, key);
    this.memory.delete(`${tier}/${key}`);
    try {
      const { size } = await fs.lstat(file);
      await fs.unlink(file);
      return size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async list(tier: CacheTier): Promise<StoredItem[]> {
    const dir = this.tierDir(tier);
    const names = await readdirOrEmpty(dir);
    const items = await Promise.all(
      names.map(async (name): Promise<StoredItem | null> => {
        const key = name.endsWith('.json') ? name.slice(0, -5) : '';
        if (!isCacheKey(key)) return null;
        const stat = await statOrNull(path.join(dir, name));
        return stat?.isFile() ? { key, bytes: stat.size, modifiedAt: stat.mtimeMs } : null;
      }),
    );
    return items.filter((item): item is StoredItem => item !== null);
  }

  async removeOrphans(olderThanMs: number): Promise<StorageUsage> {
    const removed: StorageUsage = { files: 0, bytes: 0 };
    const cutoff = Date.now() - olderThanMs;
    for (const tier of ['permanent', 'temporary'] as const) {
      const dir = this.tierDir(tier);
      for (const name of await readdirOrEmpty(dir)) {
        const match = TEMP_FILE.exec(name);
        if (!match || !isCacheKey(match[1])) continue;
        const file = path.join(dir, name);
        const stat = await statOrNull(file);
        if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
        await fs.unlink(file).catch((error) => {
          if (!isMissing(error)) throw error;
        });
        removed.files += 1;
        removed.bytes += stat.size;
      }
    }
    return removed;
  }

  async archiveUsage(): Promise<StorageUsage> {
    return folderUsage(path.join(this.root, 'archive'));
  }

  async describe(): Promise<StoreDescription> {
    return { kind: 'file' };
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await fs.lstat(file);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Files and bytes under `dir`, recursively, without following symbolic links. */
async function folderUsage(dir: string): Promise<StorageUsage> {
  const usage: StorageUsage = { files: 0, bytes: 0 };
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return usage;
    throw error;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await folderUsage(file);
      usage.files += inner.files;
      usage.bytes += inner.bytes;
    } else if (entry.isFile()) {
      const stat = await statOrNull(file);
      if (stat) {
        usage.files += 1;
        usage.bytes += stat.size;
      }
    }
  }
  return usage;
}
