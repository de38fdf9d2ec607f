/**
 * kill -9 in the middle of writing, then restart, on one CACHE_DIR:
 * 1. `next start` receiving a burst of misses (each one an entry write) and hits (whose
 *    accessCount bookkeeping rewrites entries) is killed with SIGKILL at a different moment in
 *    each round;
 * 2. the cache-warmer (`scripts/cache-warmer.ts --preset grid`, in-process on the same
 *    CACHE_DIR, while the restarted server writes some of the same keys) is killed with SIGKILL.
 * After every kill each file under the cache folder is a complete, valid entry or a
 * leftover temporary file of an interrupted write (never served: lookups read only KEY.json); after the restart every
 * request succeeds, entries written before the kill are hits, and a second warmer run completes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { auditCacheDir, type CacheAudit } from '../reliability/cache-audit';
import { recordFigures } from '../reliability/figures';
import { execute, gridPool, sleep } from './stress-helpers';

const ROOT = path.resolve(__dirname, '../..');
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-kill-'));
let server: NextServer | undefined;

afterAll(async () => {
  await server?.stop();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const entryCount = () =>
  ['permanent', 'temporary'].reduce((n, tier) => {
    const dir = path.join(cacheDir, tier);
    return n + (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0);
  }, 0);

async function killNow(child: NonNullable<NextServer['process']>): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function expectSound(audit: CacheAudit, when: string): void {
  expect(audit.problems, when).toEqual([]);
}

it('leaves only complete entries when the server is killed mid-write, and serves them after a restart', async () => {
  const rounds: Record<string, unknown>[] = [];
  const everyParams: BacktestParams[] = [];
  // Each round is killed once this many of its entries are on disk: early, midway, late.
  for (const [round, killAt] of [5, 50, 100].entries()) {
    server = await startNextServer({ CACHE_DIR: cacheDir });
    const entriesBefore = entryCount();
    // Misses: 120 keys never asked before (fast 4h backtests, each an atomic write); hits: the
    // keys of the previous rounds, whose hit bookkeeping rewrites their entries.
    const misses = gridPool([10 + round * 10, 19 + round * 10], [60, 71], 2 + round);
    const hits = everyParams.slice(0, 40);
    everyParams.push(...misses);
    const settled = Promise.allSettled([...misses, ...hits].map((params) => execute(server!.url, params)));
    while (entryCount() - entriesBefore < killAt) await sleep(5);
    await killNow(server.process);
    const outcomes = await settled;
    const audit = auditCacheDir(cacheDir);
    rounds.push({
      round,
      killedAtEntries: killAt,
      requestsInFlight: misses.length + hits.length,
      answeredBeforeKill: outcomes.filter((o) => o.status === 'fulfilled').length,
      entriesWritten: entryCount() - entriesBefore,
      validEntries: audit.entries.length,
      tempLeftovers: audit.tempFiles.length,
      corrupt: audit.problems.length,
    });
    expectSound(audit, `after kill ${round}`);
  }

  // Restart: every key of every round answers 200; what was on disk is served from the cache.
  server = await startNextServer({ CACHE_DIR: cacheDir });
  const beforeRestart = auditCacheDir(cacheDir);
  const onDisk = new Set(beforeRestart.entries.map((rel) => path.basename(rel, '.json')));
  // Keys whose only trace is a leftover temp file: a lookup must not serve it.
  const leftoverOnly = new Set(beforeRestart.tempFiles.map((rel) => path.basename(rel).replace(/\.json\.\d+$/, '')).filter((key) => !onDisk.has(key)));
  let hits = 0;
  for (const params of everyParams) {
    const { status, body } = await execute(server.url, params);
    expect(status, JSON.stringify(body).slice(0, 200)).toBe(200);
    if (onDisk.has(cacheKey(params))) {
      expect(body.cached, cacheKey(params)).toBe(true);
      hits += 1;
    }
    if (leftoverOnly.has(cacheKey(params))) expect(body.cached, cacheKey(params)).toBe(false);
  }
  expectSound(auditCacheDir(cacheDir), 'after the restart');
  recordFigures('kill-server', { rounds, afterRestart: { requests: everyParams.length, non200: 0, servedFromCache: hits, keysWithOnlyALeftoverRecomputed: leftoverOnly.size } });
}, 180_000);

it('leaves only complete entries when the cache-warmer is killed mid-write, and a rerun completes', async () => {
  server ??= await startNextServer({ CACHE_DIR: cacheDir });
  const warmerArgs = ['--preset', 'grid', '--assets', 'SOL', '--timeframes', '4h', '--leverages', '7', '--low-min', '20', '--low-max', '45', '--high-min', '55', '--high-max', '80', '--concurrency', '8'];
  const plan = gridPool([20, 45], [55, 80], 7, 'SOL');
  // `node --import tsx` is what `npx tsx` runs, without npx's and tsx's parent processes, so
  // SIGKILL reaches the process that writes.
  const runWarmer = () =>
    spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/cache-warmer.ts', ...warmerArgs], {
      cwd: ROOT,
      env: { ...process.env, CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  const before = entryCount();
  const warmer = runWarmer();
  // Meanwhile the server writes some of the same keys: two writers on one folder.
  const concurrent = Promise.allSettled(plan.filter((_, i) => i % 7 === 0).map((params) => execute(server!.url, params)));
  const deadline = Date.now() + 60_000;
  while (entryCount() - before < 60 && Date.now() < deadline) await sleep(20);
  await killNow(warmer);
  const written = entryCount() - before;
  expect(written).toBeGreaterThanOrEqual(60);
  expect(written).toBeLessThan(plan.length);
  for (const outcome of await concurrent) {
    expect(outcome.status).toBe('fulfilled');
    if (outcome.status === 'fulfilled') expect(outcome.value.status).toBe(200);
  }
  const afterKill = auditCacheDir(cacheDir);
  expectSound(afterKill, 'after killing the warmer');

  // The server answers every key of the plan; entries on disk are hits.
  const onDisk = new Set(afterKill.entries.map((rel) => path.basename(rel, '.json')));
  let served = 0;
  for (const params of plan) {
    const { status, body } = await execute(server.url, params);
    expect(status).toBe(200);
    if (onDisk.has(cacheKey(params))) {
      expect(body.cached).toBe(true);
      served += 1;
    }
  }

  // A second run finds everything cached and exits 0.
  const rerun = runWarmer();
  let output = '';
  rerun.stdout!.on('data', (d) => (output += d));
  rerun.stderr!.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => rerun.once('exit', resolve));
  expect(code, output).toBe(0);
  expect(output).toMatch(new RegExp(`Warm-up finished: ${plan.length} combinations, 0 computed, ${plan.length} already cached, 0 failed`));
  expectSound(auditCacheDir(cacheDir), 'after the rerun');
  recordFigures('kill-warmer', {
    planned: plan.length,
    writtenBeforeKill: written,
    tempLeftovers: afterKill.tempFiles.length,
    corrupt: afterKill.problems.length,
    servedFromCacheAfterKill: served,
    rerun: 'all cached, exit 0',
  });
}, 180_000);
