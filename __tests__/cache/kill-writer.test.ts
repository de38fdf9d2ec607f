import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEntry } from '@/lib/cache/entry';
import { FileCacheStore } from '@/lib/cache/file-store';
import { isCacheKey } from '@/lib/cache/key';
import { tempDir } from './helpers';
import { listAll } from './stores';

const ROOT = path.resolve(__dirname, '../..');
const WRITER = path.join(__dirname, 'fixtures/entry-writer.ts');
/** The file store's temporary file of a write in progress (lib/cache/file-store.ts). */
const TEMP_FILE = /^(.+)\.json\.tmp-[0-9a-f]{16}$/;

/** Starts the writer, waits until it has written `minWrites` entries, kills it with SIGKILL. */
async function killWriterMidway(cacheDir: string, minWrites: number, extraDelayMs: number): Promise<number> {
  // `node --import tsx` runs the writer in this very process (the tsx CLI would add a parent process).
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', WRITER, cacheDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));
  const writes = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const last = Number(/wrote (\d+)\n[^\n]*$/.exec(out)?.[1] ?? 0);
      if (last >= minWrites) setTimeout(() => resolve(last), extraDelayMs);
    });
    child.once('exit', () => reject(new Error(`writer exited on its own: ${stderr}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return writes;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}

describe('a writer killed with SIGKILL', () => {
  it('never leaves a partial entry that a lookup would serve', async () => {
    const cacheDir = tempDir();
    const store = new FileCacheStore(cacheDir);
    const leftovers = new Set<string>();
    for (const [round, delay] of [0, 3, 7, 11].entries()) {
      const writes = await killWriterMidway(cacheDir, 4 * (round + 1), delay);
      expect(writes).toBeGreaterThanOrEqual(4);
      for (const file of filesUnder(cacheDir)) {
        const name = path.basename(file);
        const tier = path.basename(path.dirname(file)) as 'permanent' | 'temporary';
        expect(['permanent', 'temporary']).toContain(tier);
        if (name.endsWith('.json')) {
          const key = name.slice(0, -5);
          expect(isCacheKey(key)).toBe(true);
          expect(() => parseEntry(fs.readFileSync(file, 'utf8'), key)).not.toThrow();
          expect(await store.read(tier, key)).not.toBeNull();
        } else {
          // A temporary file of a write cut short: never listed, never read.
          const match = TEMP_FILE.exec(name);
          expect(match && isCacheKey(match[1])).toBeTruthy();
          leftovers.add(file);
        }
      }
      const listed = (await listAll(store, 'temporary')).length + (await listAll(store, 'permanent')).length;
      expect(listed).toBe(filesUnder(cacheDir).filter((f) => f.endsWith('.json')).length);
    }
    // Leftovers, if any, are cleaned once they are old.
    for (const file of filesUnder(cacheDir)) fs.utimesSync(file, new Date(0), new Date(0));
    expect((await store.removeOrphans(60_000)).files).toBe(leftovers.size);
  }, 60_000);
});
