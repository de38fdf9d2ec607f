/**
 * The worker's code as one plain ESM file that `new Worker()` can load anywhere: esbuild bundles
 * lib/worker-pool/worker-entry.ts (and the pure engine code it imports) when a pool starts, and
 * writes it to `.cache/worker-pool/worker-<hash>.mjs` under the project root (content-addressed:
 * a changed engine gives a new file; concurrent instances write the same bytes via rename).
 * Works under `next start` (whose server bundle cannot hand a file to worker_threads), vitest
 * (whose transform does not reach worker threads) and tsx alike; takes ~50 ms once per process.
 * Needs the `esbuild` package at run time and the project's sources (lib/) next to it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the bundles are written, relative to the project root. */
export const WORKER_BUNDLE_DIR = '.cache/worker-pool';
/** The worker entry, relative to the project root. */
export const WORKER_ENTRY = 'lib/worker-pool/worker-entry.ts';

/**
 * Bundles the worker entry of the project at `projectRoot` and returns the bundle's absolute path.
 * @throws Error when esbuild is missing or the entry does not compile.
 */
export async function ensureWorkerBundle(projectRoot: string): Promise<string> {
  const entry = path.join(/*turbopackIgnore: true*/ projectRoot, WORKER_ENTRY);
  if (!fs.existsSync(entry)) throw new Error(`worker pool: ${WORKER_ENTRY} not found under ${projectRoot}`);
  // Resolved from the project at run time, so no bundler (Next's server build) tries to inline it.
  const esbuild = createRequire(path.join(/*turbopackIgnore: true*/ projectRoot, 'package.json'))('esbuild') as typeof import('esbuild');
  const built = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    tsconfig: path.join(/*turbopackIgnore: true*/ projectRoot, 'tsconfig.json'),
  });
  const code = built.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = path.join(/*turbopackIgnore: true*/ projectRoot, WORKER_BUNDLE_DIR);
  const file = path.join(dir, `worker-${hash}.mjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, file);
  }
  return file;
}
