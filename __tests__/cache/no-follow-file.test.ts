/**
 * lib/no-follow-file.ts against what a hostile folder may hold: links, FIFOs, files where a folder
 * should be. Nothing outside the folder is read, written or blocked on.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRegularFile, realFolder, replaceFile } from '@/lib/no-follow-file';

let dir: string;
let outside: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-nofollow-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-outside-'));
  fs.writeFileSync(path.join(outside, 'target'), 'outside');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('replaceFile', () => {
  it('replaces a planted link as a name and leaves its target alone', async () => {
    const file = path.join(dir, 'entry.json');
    fs.symlinkSync(path.join(outside, 'target'), file);
    expect(await replaceFile(file, '{"ok":true}', { durable: true })).toBe(11);
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"ok":true}');
    expect(fs.readFileSync(path.join(outside, 'target'), 'utf8')).toBe('outside');
    expect(fs.readdirSync(dir)).toEqual(['entry.json']);
  });

  it('cancels the write when beforeRename throws, leaving no temporary file', async () => {
    const file = path.join(dir, 'entry.json');
    fs.writeFileSync(file, 'old');
    await expect(replaceFile(file, 'new', { beforeRename: () => { throw new Error('folder changed'); } })).rejects.toThrow('folder changed');
    expect(fs.readdirSync(dir)).toEqual(['entry.json']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });
});

describe('readRegularFile', () => {
  it('reads a regular file; a link, a FIFO, a folder or a missing name is null, at once', async () => {
    fs.writeFileSync(path.join(dir, 'plain'), 'text');
    fs.symlinkSync(path.join(outside, 'target'), path.join(dir, 'link'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    fs.mkdirSync(path.join(dir, 'folder'));
    expect(await readRegularFile(path.join(dir, 'plain'))).toBe('text');
    for (const name of ['link', 'fifo', 'folder', 'missing']) expect(await readRegularFile(path.join(dir, name)), name).toBeNull();
  });

  it('is null for a file above maxBytes', async () => {
    fs.writeFileSync(path.join(dir, 'big'), 'x'.repeat(100));
    expect(await readRegularFile(path.join(dir, 'big'), 99)).toBeNull();
  });
});

describe('realFolder', () => {
  it('creates the levels that are missing', async () => {
    await realFolder(dir, path.join(dir, 'a', 'b'));
    expect(fs.statSync(path.join(dir, 'a', 'b')).isDirectory()).toBe(true);
  });

  it('refuses a level that is a link or a file, creating nothing through it', async () => {
    fs.symlinkSync(outside, path.join(dir, 'linked'));
    await expect(realFolder(dir, path.join(dir, 'linked', 'sub'))).rejects.toThrow(/linked: a symbolic link/);
    expect(fs.readdirSync(outside)).toEqual(['target']);
    fs.writeFileSync(path.join(dir, 'file'), '');
    await expect(realFolder(dir, path.join(dir, 'file', 'sub'))).rejects.toThrow(/file: not a folder/);
    await expect(realFolder(dir, outside)).rejects.toThrow(/is not inside/);
  });
});
