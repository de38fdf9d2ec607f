/**
 * Reading and replacing files in folders that anyone may have written into (the result cache,
 * the market-data download cache) without ever following a link planted there (SPEC §5).
 * write-file-atomic is not used: it resolves the path with realpath before its rename, so a
 * symbolic link planted under the file's name has its target overwritten. Node has no openat(2),
 * so callers that must also refuse a folder swapped for a link check it around these calls
 * (`beforeRename`, `realFolder`). Server side.
 */
import { closeSync, constants, openSync, renameSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomFillSync } from 'node:crypto';

/** Open flags of a read: never through a link, never blocking on a FIFO or a device. */
export const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** Open flags of a new temporary file: fails on any existing name, link or not. */
const CREATE_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_WRONLY;

/** Options of replaceFile. */
export interface ReplaceFileOptions {
  /** fsync the file before the rename and its folder after it (survives a power cut); implies `inPool`. */
  durable?: boolean;
  /**
   * Run every step in libuv's thread pool, leaving the calling thread free (background writers,
   * whose latency does not matter); otherwise the steps are synchronous calls.
   */
  inPool?: boolean;
  /** Called after the temporary file is complete, before the rename; throwing cancels the write. */
  beforeRename?: () => void;
}

/** Random bytes for temporary names, filled 2 KiB at a time (each getrandom call costs more than the bytes). */
const randomPool = Buffer.alloc(2048);
let randomAt = randomPool.length;

/** 16 random hex digits. */
function randomHex(): string {
  if (randomAt + 8 > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  randomAt += 8;
  return randomPool.toString('hex', randomAt - 8, randomAt);
}

/**
 * Writes `text` (UTF-8) to `file` atomically: a temporary `{file}.tmp-{16 hex}` is created with
 * O_CREAT | O_EXCL | O_NOFOLLOW in the same folder, written, then renamed onto `file` (rename
 * replaces a link or a file as a name, never its target). Returns the bytes written. Readers see
 * the old or the new content, never a part; the temporary file is removed when anything fails.
 * Unless `inPool` or `durable`, the create, write, close and rename are synchronous calls on
 * the calling thread: for the small files written so (cache entries, a few KB) that costs
 * ~200 µs of the thread, where each trip through libuv's thread pool costs ~300 µs of latency on
 * our 2-core VMs and queues behind other work (docs/cache.md).
 * @throws the fs error (EEXIST when the temporary name was planted, ENOENT when the folder is gone).
 */
export async function replaceFile(file: string, text: string, options: ReplaceFileOptions = {}): Promise<number> {
  const temp = `${file}.tmp-${randomHex()}`;
  const inPool = options.inPool || options.durable;
  // Opened here, outside the try: a name that already exists (planted) is not ours to remove.
  const target = inPool ? await fs.open(temp, CREATE_FLAGS, 0o644) : openSync(temp, CREATE_FLAGS, 0o644);
  try {
    if (typeof target === 'number') writeNow(target, text);
    else await writeInPool(target, text, options.durable === true);
    options.beforeRename?.();
    if (inPool) await fs.rename(temp, file);
    else renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  if (options.durable) await fsyncFolder(path.dirname(file));
  return Buffer.byteLength(text);
}

/** Writes `text` to the new file `fd` and closes it, on the calling thread. */
function writeNow(fd: number, text: string): void {
  try {
    writeFileSync(fd, text, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to the new file `handle`, fsyncs it when `durable` and closes it, in the pool. */
async function writeInPool(handle: fs.FileHandle, text: string, durable: boolean): Promise<void> {
  try {
    await handle.writeFile(text, 'utf8');
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a folder after a rename, where the platform allows it. */
export async function fsyncFolder(folder: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(folder, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    await handle.sync();
  } catch {
    // Some platforms and file systems refuse fsync on a folder (EINVAL, EPERM, EISDIR): the rename stands.
  } finally {
    await handle?.close();
  }
}

/**
 * The UTF-8 text of `file` when it is a regular file, else null: missing, a symbolic link
 * (never followed), a FIFO, socket, device or folder (never blocked on), or larger than
 * `maxBytes` (default 256 MiB).
 * @throws other fs errors (EACCES, EIO).
 */
export async function readRegularFile(file: string, maxBytes = 256 * 1024 * 1024): Promise<string | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: a link (O_NOFOLLOW); ENXIO: a FIFO without a writer or a socket.
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENXIO' || code === 'ENOTDIR') return null;
    throw error;
  }
  try {
    const stat: Stats = await handle.stat();
    if (!stat.isFile() || stat.size > maxBytes) return null;
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Creates `folder` (inside `root`, which must exist or is created) one level at a time, refusing
 * any level that is a symbolic link or not a folder, so a write below it cannot land outside
 * `root`.
 * @throws Error naming the level when one is a link or not a folder, or `folder` is not inside `root`.
 */
export async function realFolder(root: string, folder: string): Promise<void> {
  const relative = path.relative(root, folder);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${folder} is not inside ${root}`);
  let current = root;
  await fs.mkdir(root, { recursive: true });
  for (const part of ['', ...relative.split(path.sep).filter(Boolean)]) {
    current = path.join(current, part);
    let stat = await fs.lstat(current).catch(() => null);
    if (!stat) {
      await fs.mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      stat = await fs.lstat(current);
    }
    if (stat.isSymbolicLink() || !stat.isDirectory()) {
      throw new Error(`refusing ${path.relative(path.dirname(root), current) || current}: ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}`);
    }
  }
}
