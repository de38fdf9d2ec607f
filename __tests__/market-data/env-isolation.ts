/**
 * Runs env-driven market-data code (lib/market-data/index.ts reads lib/env.ts) against temp
 * folders: a fresh module instance (empty memo), given environment variables, and a temp working
 * directory so downloads land in a temp `.cache/market-data`. Needs vitest's `forks` pool
 * (process.chdir is not available in worker threads).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

/** A new temp folder. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Sets `env`, switches to a temp working directory and resets the module registry, so the next
 * dynamic import of lib/market-data starts with an empty memo. Returns the undo function.
 */
export function isolateMarketData(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const cwd = process.cwd();
  const work = makeTempDir('splitsea-cwd-');
  Object.assign(process.env, env);
  process.chdir(work);
  vi.resetModules();
  return () => {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(work, { recursive: true, force: true });
  };
}
