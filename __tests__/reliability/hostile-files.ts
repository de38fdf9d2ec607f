/**
 * Planting hostile names for the cache tests: a victim file outside the cache whose bytes must
 * never change, and a symbolic link swapped in for a name in one rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../cache/helpers';

export const VICTIM_TEXT = 'precious bytes outside the cache\n';

/** A file outside the cache and a copy of its bytes to compare with. */
export function victimFile(): { file: string; unchanged: () => boolean } {
  const file = path.join(tempDir('splitsea-victim-'), 'victim.txt');
  fs.writeFileSync(file, VICTIM_TEXT);
  return { file, unchanged: () => fs.readFileSync(file, 'utf8') === VICTIM_TEXT };
}

/** Replaces `name` with a symbolic link to `target` in one rename (no moment without a name). */
export function plantLink(name: string, target: string): void {
  const staging = `${name}.plant-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.symlinkSync(target, staging);
    fs.renameSync(staging, name);
  } catch {
    fs.rmSync(staging, { force: true });
  }
}

