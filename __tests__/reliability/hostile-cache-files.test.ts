/**
 * Whoever can write into the cache folders can never make the server write, delete or read
 * anything outside them, nor block it (SPEC §5, issue 13): links, FIFOs, sockets and folders are
 * planted where entries, tier folders, CACHE_DIR and the archive should be, while requests run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCacheStore } from '@/lib/cache/file-store';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { BASE_PARAMS, harness, tempDir } from '../cache/helpers';
import { VICTIM_TEXT } from './hostile-files';

const withLow = (lowThreshold: number): BacktestParams => ({ ...BASE_PARAMS, lowThreshold });
/** Resolves `promise` or rejects after `ms` (a request that waits on a special file fails the test). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)),
  ]);
}

describe('hostile names in the cache folders', () => {
  it('refuses a tier folder that is a link: computes without caching, never writes or clears through it', async () => {
    const h = await harness({ kind: 'file' });
    await h.server.runAndCache(withLow(20));
    const outside = tempDir('splitsea-outside-');
    fs.writeFileSync(path.join(outside, `${cacheKey(withLow(21))}.json`), VICTIM_TEXT);
    fs.rmSync(path.join(h.dir, 'temporary'), { recursive: true });
    fs.symlinkSync(outside, path.join(h.dir, 'temporary'));
    for (const low of [21, 22, 23]) expect((await h.server.runAndCache(withLow(low))).cached).toBe(false);
    expect((await h.server.runAndCache(withLow(22))).cached).toBe(false); // nothing was stored
    await h.server.rescan();
    await h.server.clear('all');
    expect(fs.readdirSync(outside)).toEqual([`${cacheKey(withLow(21))}.json`]);
    expect(fs.readFileSync(path.join(outside, `${cacheKey(withLow(21))}.json`), 'utf8')).toBe(VICTIM_TEXT);
    expect(h.lines.some((l) => /^\[CACHE ERROR\] Cache (read|write) failed: CACHE_FOLDER_REFUSED/.test(l))).toBe(true);
    // The permanent tier, a real folder, still works.
    expect((await h.server.runAndCache(withLow(24), { permanent: true })).cached).toBe(false);
    expect((await h.server.runAndCache(withLow(24))).cached).toBe(true);
  });

  it('refuses a CACHE_DIR that is a link', async () => {
    const real = tempDir('splitsea-real-');
    const link = path.join(tempDir(), 'cache-link');
    fs.symlinkSync(real, link);
    const h = await harness({ kind: 'file' });
    const server = h.make({ store: new FileCacheStore(link, { warn: (l) => h.lines.push(l) }) });
    for (let i = 0; i < 3; i++) expect((await server.runAndCache(BASE_PARAMS)).cached).toBe(false);
    expect(fs.readdirSync(real)).toEqual([]);
    expect((await server.stats()).totalEntries).toBe(0);
  });

  it('never blocks on a FIFO, socket or folder named like an entry; other requests keep answering', async () => {
    const h = await harness({ kind: 'file' });
    const server = h.make({ store: new FileCacheStore(h.dir, { warn: (l) => h.lines.push(l) }) });
    await server.runAndCache(BASE_PARAMS); // a hit to keep serving
    const temporary = path.join(h.dir, 'temporary');
    const fifos = [30, 31, 32, 33, 34].map((low) => path.join(temporary, `${cacheKey(withLow(low))}.json`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    const socketPath = path.join(temporary, `${cacheKey(withLow(40))}.json`);
    const socketServer = net.createServer().listen(socketPath);
    await new Promise((r) => socketServer.once('listening', r));
    const folder = path.join(temporary, `${cacheKey(withLow(41))}.json`);
    fs.mkdirSync(path.join(folder, 'inner'), { recursive: true });
    try {
      const planted = [30, 31, 32, 33, 34, 40, 41].map(withLow);
      const answers = await within(
        Promise.all([
          ...planted.map((params) => server.runAndCache(params)),
          ...Array.from({ length: 20 }, () => server.runAndCache(BASE_PARAMS)),
        ]),
        5_000,
        'requests next to special files',
      );
      expect(answers.slice(0, planted.length).every((a) => !a.cached)).toBe(true);
      expect(answers.slice(planted.length).every((a) => a.cached)).toBe(true);
      // Each special name was removed (as itself) and replaced by an entry; logged once per key.
      for (const fifo of fifos) expect(fs.lstatSync(fifo).isFile()).toBe(true);
      expect(fs.lstatSync(socketPath).isFile()).toBe(true);
      expect(h.lines.filter((l) => l.includes('is a FIFO, not a regular file'))).toHaveLength(5);
      expect(h.lines.filter((l) => l.includes('is a socket, not a regular file'))).toHaveLength(1);
      expect(h.lines.filter((l) => l.includes('is a directory, not a regular file'))).toHaveLength(1);
      expect((await within(server.runAndCache(withLow(30)), 2_000, 'a replaced FIFO key')).cached).toBe(true);
    } finally {
      socketServer.close();
    }
  });

  it('measures an archive link as nothing and never follows it', async () => {
    const h = await harness({ kind: 'file' });
    await h.server.runAndCache(BASE_PARAMS);
    const outside = tempDir('splitsea-archive-target-');
    fs.writeFileSync(path.join(outside, 'big.bin'), Buffer.alloc(50_000));
    fs.symlinkSync(outside, path.join(h.dir, 'archive'));
    await h.server.rescan();
    expect((await h.server.info()).archive).toEqual({ files: 0, bytes: 0 });
    expect(h.lines.some((l) => /^\[CACHE ERROR\] Cache archive failed: CACHE_FOLDER_REFUSED/.test(l))).toBe(true);
    await h.server.clear('all');
    expect(fs.readdirSync(outside)).toEqual(['big.bin']);
  });
});
