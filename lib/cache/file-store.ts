/**
 * File implementation of CacheStore: `{root}/permanent/{key}.json` and `{root}/temporary/{key}.json`,
 * pretty-printed JSON. Whoever can write into these folders can never make the server write,
 * delete or read anything outside them (SPEC §5):
 *
 * - Writes never follow a link: a temporary file `{key}.json.tmp-{random}` is created in the tier
 *   folder with O_CREAT | O_EXCL | O_NOFOLLOW (a planted name makes the open fail instead of
 *   writing through it), written, then `rename()`d onto `{key}.json` (rename replaces a link or a
 *   file as a name, never its target). write-file-atomic is not used: it resolves the path with
 *   realpath before its rename, so a link planted as the entry had its target overwritten (issue 13).
 * - Crash safety: a reader sees the old file or the new one, never a part (rename), and kill -9
 *   cannot undo a rename. Permanent entries are fsynced before their rename and the folder after
 *   it: they survive a power cut once written. Temporary entries (recomputable, stale within a
 *   day, rewritten by a warm-up job thousands at a time) are not fsynced: a power cut may leave
 *   the last ones missing or empty. Nothing torn is ever served, because every read parses and
 *   validates the whole entry (lib/cache/entry.ts): an empty or cut file is a miss, replaced.
 * - Reads open with O_RDONLY | O_NOFOLLOW | O_NONBLOCK and fstat the handle: a link, FIFO, socket,
 *   device or directory named like an entry never blocks a libuv thread; it is a miss, logged once
 *   per key, and its name is removed (unlink, never the target) so the next write replaces it.
 * - `CACHE_DIR` and the tier folders are lstat'ed before every operation: a symbolic link is
 *   refused (FolderRefusedError, an I/O error: requests are computed without caching) and never
 *   listed, written or cleared through. Node has no openat(2), so a folder swapped for a link
 *   between that check and the open is caught by a second check before the rename (same inode).
 * - A lookup and a request's temporary write run on the calling thread (synchronous calls): the
 *   folder checks, the entry's open, fstat, read and close, and the write's create, write, close
 *   and rename. Entries are small (a few KB, read in full only up to 4 MiB) and each call costs
 *   µs, where each trip through libuv's four-thread pool costs ~300 µs on our 2-core VMs and
 *   waits behind a warm-up job's I/O (docs/cache.md). A permanent write (fsynced) and a warm-up
 *   item's write (background lane) run in the pool, whose latency they can afford, so they never
 *   hold the request thread; so do listings, the inventory scan's header reads, removals and the
 *   archive walk.
 * - `{root}/archive/` is measured without following links (lstat walk) and never read.
 *
 * A bounded in-memory layer (lru-cache) keeps parsed entries; each read checks it against the
 * file's inode, size and mtime with one lstat, so an operator's `rm` or a replaced file takes
 * effect at the next read. Server only.
 */
import 'server-only';
import fs from 'node:fs/promises';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import {
  HEADER_BYTES,
  InvalidEntryError,
  parseEntry,
  parseEntryHeader,
  serializeEntry,
  type CacheEntry,
  type CacheTier,
} from './entry';
import { READ_FLAGS, replaceFile } from '../no-follow-file';
import { isInBackgroundLane } from '../worker-pool/background-lane';
import { mapBounded } from './concurrency';
import { isEntryKey } from './key';
import type { CacheStore, HeaderRead, StorageUsage, StoreDescription, StoredItem } from './store';

/** Options of FileCacheStore. */
export interface FileCacheStoreOptions {
  /** Parsed entries kept in memory (default 5000). */
  memoryEntries?: number;
  /**
   * fsync each permanent entry before its rename and the permanent folder after it (default
   * true). Temporary entries are never fsynced; a crash never leaves half an entry that is
   * served either way (see the module comment).
   */
  fsync?: boolean;
  /** Receives the one line logged per key found not to be a regular file (default console.warn). */
  warn?: (line: string) => void;
}

/** A cache folder that is a symbolic link (or not a folder) and is therefore not used. */
export class FolderRefusedError extends Error {
  readonly code = 'CACHE_FOLDER_REFUSED';
  constructor(readonly folder: string, why: string) {
    super(`cache folder ${folder} ${why}: refused, requests are computed without caching`);
    this.name = 'FolderRefusedError';
  }
}

interface Memo {
  stamp: string;
  entry: CacheEntry<unknown>;
}

/** Files open at once by readHeaders and list (SPEC §5: a bounded number). */
const OPEN_FILES = 32;
/** Names per listed batch. */
const LIST_BATCH = 256;
/** Largest file read as an entry, bytes: a larger one is no entry (a backtest entry is ~2 KB, a walk-forward document ~100 KB). */
const MAX_FULL_READ = 4 * 1024 * 1024;

/** Name of a temporary file of an interrupted write: ours (`{key}.json.tmp-{hex}`) or write-file-atomic's (`{key}.json.{n}`). */
const TEMP_FILE = /^(.+)\.json\.(?:\d+|tmp-[0-9a-f]{16})$/;
/** open(2) errors that mean "not a regular file": a link (ELOOP), a socket (ENXIO), a folder, a device. */
const NOT_REGULAR_CODES = new Set(['ELOOP', 'ENXIO', 'EISDIR', 'ENODEV', 'EOPNOTSUPP', 'EAGAIN', 'EWOULDBLOCK']);

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException)?.code;
const isMissing = (error: unknown) => codeOf(error) === 'ENOENT';
const stampOf = (stat: Stats) => `${stat.ino}:${stat.size}:${stat.mtimeMs}`;

/** What a non-regular file is, for log lines. */
function kindOf(stat: Stats | null, code?: string): string {
  if (stat?.isSymbolicLink() || code === 'ELOOP') return 'a symbolic link';
  if (stat?.isFIFO()) return 'a FIFO';
  if (stat?.isSocket() || code === 'ENXIO') return 'a socket';
  if (stat?.isDirectory() || code === 'EISDIR') return 'a directory';
  if (stat?.isCharacterDevice() || stat?.isBlockDevice() || code === 'ENODEV') return 'a device';
  return 'not a regular file';
}

/** CacheStore on the local file system. See the module comment for the layout and the rules. */
export class FileCacheStore implements CacheStore {
  /** Absolute cache folder (the parent of the tier folders). */
  readonly root: string;
  private readonly memory: LRUCache<string, Memo>;
  private readonly fsync: boolean;
  private readonly warn: (line: string) => void;
  /** Keys already logged as not regular files (logged once per key). */
  private readonly reportedSpecial = new LRUCache<string, true>({ max: 10_000 });

  constructor(root: string, options: FileCacheStoreOptions = {}) {
    this.root = path.resolve(root);
    this.memory = new LRUCache({ max: options.memoryEntries ?? 5000 });
    this.fsync = options.fsync ?? true;
    this.warn = options.warn ?? ((line) => console.warn(line));
  }

  /** Absolute folder of a tier. */
  tierDir(tier: CacheTier): string {
    return path.join(this.root, tier);
  }

  /**
   * Absolute file of an entry. Only entry keys are accepted, and the resolved path must lie
   * directly in the tier folder.
   * @throws Error when `key` is not an entry key.
   */
  entryPath(tier: CacheTier, key: string): string {
    const dir = this.tierDir(tier);
    const file = path.resolve(dir, `${key}.json`);
    if (!isEntryKey(key) || path.dirname(file) !== dir) throw new Error(`not a cache key: ${key}`);
    return file;
  }

  async read(tier: CacheTier, key: string): Promise<CacheEntry<unknown> | null> {
    const file = this.entryPath(tier, key);
    if (!this.checkedTier(tier, false)) return null;
    const memoKey = `${tier}/${key}`;
    const memo = this.memory.get(memoKey);
    if (memo) {
      const stat = lstatNow(file);
      if (stat?.isFile() && stampOf(stat) === memo.stamp) return memo.entry;
      this.memory.delete(memoKey);
      if (!stat) return null;
    }
    const opened = openRegularNow(file);
    if (opened === null) return null;
    if ('special' in opened) throw await this.notRegular(tier, key, file, opened.special);
    try {
      const { size } = opened.stat;
      if (size > MAX_FULL_READ) throw new InvalidEntryError(`file of ${size} bytes is no entry`);
      const entry = parseEntry(readFileSync(opened.fd, 'utf8'), key);
      this.memory.set(memoKey, { stamp: stampOf(opened.stat), entry });
      return entry;
    } finally {
      closeSync(opened.fd);
    }
  }

  encodedSize(entry: CacheEntry<unknown>): number {
    return Buffer.byteLength(serializeEntry(entry));
  }

  async write(tier: CacheTier, key: string, entry: CacheEntry<unknown>): Promise<number> {
    const file = this.entryPath(tier, key);
    const text = serializeEntry(entry);
    const dir = this.checkedTier(tier, true)!; // created when missing
    const bytes = await replaceFile(file, text, {
      durable: this.fsync && tier === 'permanent',
      // A warm-up item's write waits in the pool, so it never holds the request thread.
      inPool: isInBackgroundLane(),
      // The folder must still be the one checked (same inode, not swapped for a link meanwhile).
      beforeRename: () => {
        const now = lstatNow(dir.path);
        if (!now || now.isSymbolicLink() || now.ino !== dir.ino) throw new FolderRefusedError(`${tier}/`, 'changed during a write');
      },
    });
    this.memory.delete(`${tier}/${key}`);
    return bytes;
  }

  async update(
    tier: CacheTier,
    key: string,
    change: (entry: CacheEntry<unknown>) => CacheEntry<unknown> | null,
  ): Promise<boolean> {
    const stored = await this.read(tier, key);
    const next = stored && change(stored);
    if (!next) return false;
    await this.write(tier, key, next);
    return true;
  }

  async remove(tier: CacheTier, key: string): Promise<number | null> {
    const file = this.entryPath(tier, key);
    this.memory.delete(`${tier}/${key}`);
    if (!this.checkedTier(tier, false)) return null;
    const stat = await lstatInPool(file);
    if (!stat) return null;
    await this.removeName(file, stat);
    return stat.isFile() ? stat.size : 0;
  }

  async *listBatches(tier: CacheTier): AsyncIterable<StoredItem[]> {
    const checked = this.checkedTier(tier, false);
    if (!checked) return;
    const folder = await fs.opendir(checked.path, { bufferSize: LIST_BATCH });
    let names: string[] = [];
    const flush = async () => {
      const stats = await Promise.all(names.map((name) => lstatInPool(path.join(checked.path, name))));
      const items: StoredItem[] = [];
      names.forEach((name, i) => {
        const stat = stats[i];
        if (stat?.isFile()) items.push({ key: name.slice(0, -5), bytes: stat.size, modifiedAt: stat.mtimeMs });
      });
      names = [];
      return items;
    };
    try {
      for await (const dirent of folder) {
        const name = dirent.name;
        if (!name.endsWith('.json') || !isEntryKey(name.slice(0, -5))) continue; // lstat tells the kind
        names.push(name);
        if (names.length < LIST_BATCH) continue;
        yield await flush();
        await yieldToEvents();
      }
      if (names.length > 0) yield await flush();
    } catch (error) {
      if (!isMissing(error)) throw error; // the folder was removed during the listing: nothing more
    }
  }

  async readHeaders(tier: CacheTier, keys: readonly string[]): Promise<HeaderRead[]> {
    return mapBounded(keys, OPEN_FILES, async (key): Promise<HeaderRead> => {
      const file = this.entryPath(tier, key);
      try {
        const handle = await this.openRegular(tier, key, file);
        if (!handle) return null;
        try {
          const buffer = Buffer.alloc(HEADER_BYTES);
          const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
          const prefix = buffer.subarray(0, bytesRead).toString('utf8');
          if (prefix.includes('"result"') || bytesRead < HEADER_BYTES) return parseEntryHeader(prefix, key);
          // Older layout (result first): the whole file, when it is of an entry's size.
          const { size } = await handle.stat();
          if (size > MAX_FULL_READ) return new InvalidEntryError(`file of ${size} bytes is no entry`);
          // Positional reads leave the file position at 0: readFile reads it all.
          return parseEntry(await handle.readFile('utf8'), key);
        } finally {
          await handle.close();
        }
      } catch (error) {
        if (error instanceof InvalidEntryError) return error;
        if (isMissing(error)) return null;
        throw error;
      }
    });
  }

  async removeOrphans(olderThanMs: number): Promise<StorageUsage> {
    const removed: StorageUsage = { files: 0, bytes: 0 };
    const cutoff = Date.now() - olderThanMs;
    for (const tier of ['permanent', 'temporary'] as const) {
      const checked = this.checkedTier(tier, false);
      if (!checked) continue;
      const folder = await fs.opendir(checked.path);
      for await (const dirent of folder) {
        const match = TEMP_FILE.exec(dirent.name);
        if (!match || !isEntryKey(match[1])) continue;
        const file = path.join(checked.path, dirent.name);
        const stat = await lstatInPool(file);
        if (!stat || stat.isDirectory() || stat.mtimeMs > cutoff) continue;
        await fs.unlink(file).catch((error) => {
          if (!isMissing(error)) throw error;
        });
        removed.files += 1;
        removed.bytes += stat.isFile() ? stat.size : 0;
      }
    }
    return removed;
  }

  async archiveUsage(): Promise<StorageUsage> {
    if (!this.checkedRoot(false)) return { files: 0, bytes: 0 };
    const archive = path.join(this.root, 'archive');
    const stat = lstatNow(archive);
    if (!stat) return { files: 0, bytes: 0 };
    if (!stat.isDirectory()) throw new FolderRefusedError('archive/', stat.isSymbolicLink() ? 'is a symbolic link' : 'is not a folder');
    return folderUsage(archive);
  }

  async describe(): Promise<StoreDescription> {
    return { kind: 'file' };
  }

  /**
   * CACHE_DIR checked with lstat (created first when `create`): null when it does not exist.
   * @throws FolderRefusedError when it is a symbolic link or not a folder.
   */
  private checkedRoot(create: boolean): Stats | null {
    return checkedFolder(this.root, 'CACHE_DIR', create);
  }

  /**
   * The tier folder checked with lstat, after CACHE_DIR (both created first when `create`): its
   * path and inode, or null when it does not exist.
   * @throws FolderRefusedError when either is a symbolic link or not a folder.
   */
  private checkedTier(tier: CacheTier, create: boolean): { path: string; ino: number } | null {
    if (!this.checkedRoot(create)) return null;
    const dir = this.tierDir(tier);
    const stat = checkedFolder(dir, `${tier}/`, create);
    return stat && { path: dir, ino: stat.ino };
  }

  /**
   * Opens an entry file for reading without following a link or blocking on a special file.
   * Returns null when there is none.
   * @throws InvalidEntryError when the name is not a regular file (logged once per key, its name removed).
   */
  private async openRegular(tier: CacheTier, key: string, file: string): Promise<fs.FileHandle | null> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, READ_FLAGS);
    } catch (error) {
      const failure = openFailure(error);
      if (!failure) return null;
      throw await this.notRegular(tier, key, file, failure.special);
    }
    const stat = await handle.stat().catch(async (error) => {
      await handle.close();
      throw error;
    });
    if (stat.isFile()) return handle;
    await handle.close();
    throw await this.notRegular(tier, key, file);
  }

  /** Logs (once per key) and removes a name that is not a regular file; the error to throw. */
  private async notRegular(tier: CacheTier, key: string, file: string, code?: string): Promise<InvalidEntryError> {
    const stat = await lstatInPool(file);
    const kind = kindOf(stat, code);
    const id = `${tier}/${key}`;
    if (!this.reportedSpecial.has(id)) {
      this.reportedSpecial.set(id, true);
      this.warn(`[CACHE ERROR] ${id}.json is ${kind}, not a regular file: treated as a miss and removed (never followed)`);
    }
    if (stat && !stat.isFile()) await this.removeName(file, stat).catch(() => undefined);
    return new InvalidEntryError(`${kind}, not a regular file`);
  }

  /** Removes a name in a tier folder: unlink (a link goes, its target stays); a folder is removed in the background. */
  private async removeName(file: string, stat: Stats): Promise<void> {
    if (stat.isDirectory()) {
      // fs.rm never follows links inside; in the background so no request waits on a deep tree.
      void fs.rm(file, { recursive: true, force: true }).catch(() => undefined);
      return;
    }
    await fs.unlink(file).catch((error) => {
      if (!isMissing(error)) throw error;
    });
  }
}

/**
 * What a failed open of an entry file means: null when there is no entry (ENOENT, ENOTDIR), or
 * `special` with the error code when the name is not a regular file (NOT_REGULAR_CODES).
 * @throws the error otherwise (EACCES, EIO).
 */
function openFailure(error: unknown): { special: string | undefined } | null {
  if (isMissing(error) || codeOf(error) === 'ENOTDIR') return null;
  if (NOT_REGULAR_CODES.has(codeOf(error) ?? '')) return { special: codeOf(error) };
  throw error;
}

/**
 * Opens an entry file for reading on the calling thread (see the module comment), without
 * following a link or blocking on a special file: its descriptor and fstat, null when there is
 * none, or `special` (with the open's error code) when the name is not a regular file.
 * @throws other fs errors (EACCES, EIO).
 */
function openRegularNow(file: string): { fd: number; stat: Stats } | { special: string | undefined } | null {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (error) {
    return openFailure(error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return { fd, stat };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  closeSync(fd);
  return { special: undefined };
}

/**
 * lstat of a cache folder (created first when `create`); null when it does not exist.
 * @throws FolderRefusedError when it is a symbolic link or not a folder.
 */
function checkedFolder(folder: string, name: string, create: boolean): Stats | null {
  let stat = lstatNow(folder);
  if (!stat && create) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
    stat = lstatNow(folder);
  }
  if (!stat) return null;
  if (stat.isSymbolicLink()) throw new FolderRefusedError(name, 'is a symbolic link');
  if (!stat.isDirectory()) throw new FolderRefusedError(name, 'is not a folder');
  return stat;
}

/** lstat on the calling thread (see the module comment); null when nothing is there. */
function lstatNow(file: string): Stats | null {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch (error) {
    if (codeOf(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/** lstat in libuv's thread pool, for names the kernel may not keep (listings, removals); null when nothing is there. */
async function lstatInPool(file: string): Promise<Stats | null> {
  try {
    return await fs.lstat(file);
  } catch (error) {
    if (isMissing(error) || codeOf(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/** Files and bytes under `dir`, recursively, without following symbolic links (lstat only). */
async function folderUsage(dir: string): Promise<StorageUsage> {
  const usage: StorageUsage = { files: 0, bytes: 0 };
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let folder;
    try {
      folder = await fs.opendir(current);
    } catch (error) {
      if (isMissing(error) || codeOf(error) === 'ENOTDIR') continue;
      throw error;
    }
    let names: string[] = [];
    const measure = async () => {
      const stats = await Promise.all(names.map((name) => lstatInPool(name)));
      stats.forEach((stat, i) => {
        if (stat?.isDirectory()) pending.push(names[i]);
        else if (stat?.isFile()) {
          usage.files += 1;
          usage.bytes += stat.size;
        }
      });
      names = [];
    };
    for await (const dirent of folder) {
      names.push(path.join(current, dirent.name));
      if (names.length >= LIST_BATCH) await measure();
    }
    await measure();
  }
  return usage;
}
