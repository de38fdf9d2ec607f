/**
 * Checks shared by the reliability tests: what lies in a cache folder (every file a valid entry
 * named by its key, or a leftover of an interrupted atomic write), whether an HTTP error body
 * leaks file-system paths or stack traces, and whether anything named after fuzz input appeared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEntry } from '@/lib/cache/entry';
import { isCacheKey } from '@/lib/cache/key';

/** Name of a temporary file of an entry write: `{key}.json.tmp-{16 hex}` (lib/cache/file-store.ts), or an older write-file-atomic `{key}.json.{n}`. */
const TEMP_FILE = /^(.+)\.json\.(?:\d+|tmp-[0-9a-f]{16})$/;

/** Result of auditing a cache folder. */
export interface CacheAudit {
  /** `tier/KEY.json` files that parsed as valid entries for their key. */
  entries: string[];
  /** Leftovers of interrupted atomic writes (`tier/KEY.json.NNN`). */
  tempFiles: string[];
  /** Everything else, each with the reason; empty when the folder is sound. */
  problems: string[];
}

/**
 * Walks `cacheDir` (missing = empty): only `permanent/` and `temporary/` folders (and an
 * operator's `archive/`, not inspected), holding only `KEY.json` files whose key passes
 * isCacheKey and whose content passes the entry schema for that key (lib/cache/entry.ts), or
 * write-file-atomic temp files of such keys. Symbolic links and other names are problems.
 */
export function auditCacheDir(cacheDir: string): CacheAudit {
  const audit: CacheAudit = { entries: [], tempFiles: [], problems: [] };
  if (!fs.existsSync(cacheDir)) return audit;
  for (const top of fs.readdirSync(cacheDir, { withFileTypes: true })) {
    if (top.name === 'archive') continue;
    if (!top.isDirectory() || (top.name !== 'permanent' && top.name !== 'temporary')) {
      audit.problems.push(`${top.name}: unexpected ${top.isDirectory() ? 'folder' : 'file'} in the cache folder`);
      continue;
    }
    const dir = path.join(cacheDir, top.name);
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed while we looked
      throw error;
    }
    for (const file of names) {
      const rel = `${top.name}/${file.name}`;
      if (!file.isFile()) {
        audit.problems.push(`${rel}: not a regular file`);
        continue;
      }
      const temp = TEMP_FILE.exec(file.name);
      if (temp) {
        if (isCacheKey(temp[1])) audit.tempFiles.push(rel);
        else audit.problems.push(`${rel}: temp file of a name that is not a cache key`);
        continue;
      }
      const key = file.name.endsWith('.json') ? file.name.slice(0, -5) : '';
      if (!isCacheKey(key)) {
        audit.problems.push(`${rel}: not named KEY.json with a valid cache key`);
        continue;
      }
      let text: string;
      try {
        text = fs.readFileSync(path.join(dir, file.name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed while we looked
        throw error;
      }
      try {
        parseEntry(text, key);
        audit.entries.push(rel);
      } catch (error) {
        audit.problems.push(`${rel}: ${(error as Error).message}`);
      }
    }
  }
  return audit;
}

/** Things an error body must never contain: absolute paths of this machine, stack frames, raw errors. */
const LEAK_PATTERNS: RegExp[] = [
  /\/work\b/,
  /\/tmp\b/,
  /\/root\b/,
  /\/home\//,
  /node_modules/,
  /\bat\s+\S+\s+\(/, // `at fn (file:1:2)` stack frame
  /\bat\s+(?:file:|\/)\S*:\d+:\d+/, // `at /abs/file.js:1:2`
  /\.(?:ts|js|mjs|cjs):\d+:\d+/,
  /\bError:/,
  /\b(?:ENOENT|EACCES|EISDIR|ENOTDIR|ENOSPC|EROFS|ELOOP): /, // a raw Node error message `ENOENT: no such file…`
];

/**
 * Leaks in a response body: matches of the patterns above that do not also occur in the request
 * (an `unknown field "/tmp/x"` message only echoes the sender's own field name).
 */
export function findLeaks(responseText: string, requestText = ''): string[] {
  const leaks: string[] = [];
  for (const pattern of LEAK_PATTERNS) {
    const match = pattern.exec(responseText);
    if (match && !requestText.includes(match[0])) leaks.push(`${pattern}: …${responseText.slice(Math.max(0, match.index - 40), match.index + 60)}…`);
  }
  return leaks;
}

/**
 * Paths under `root` whose name contains `marker`, without descending into `skip` folder names.
 */
export function findNamed(root: string, marker: string, skip: readonly string[] = ['node_modules', '.git']): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable: another process's temp folder
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name.includes(marker)) found.push(full);
      if (entry.isDirectory() && !skip.includes(entry.name) && !entry.name.startsWith('.next')) walk(full);
    }
  };
  walk(root);
  return found;
}

/** Top-level names in `dir` now (for a before/after comparison). */
export function topLevelNames(dir: string): Set<string> {
  return new Set(fs.readdirSync(dir));
}
