/**
 * scripts/cache-warmer.ts as operators run it: under tsx and under bun, in-process on a
 * temporary CACHE_DIR and through a running `next start` with --url.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';

const root = path.resolve(__dirname, '../..');
const RUNNERS = {
  // The cache modules are `server-only`: scripts run under the react-server condition.
  tsx: [path.join(root, 'node_modules/.bin/tsx'), '--conditions=react-server', 'scripts/cache-warmer.ts'],
  bun: [path.join(root, 'node_modules/.bin/bun'), '--conditions=react-server', 'run', 'scripts/cache-warmer.ts'],
} as const;

function runWarmer(runner: keyof typeof RUNNERS, args: string[], env: Record<string, string>) {
  const [command, ...prefix] = RUNNERS[runner];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, [...prefix, ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const tempDirs: string[] = [];
const tempCache = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-warmer-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});
// BTC in the default tiers: medium 1h/4h × 1x/4x × 2 strategies = 8, low 6 → 14 combinations.
const NARROW = ['--assets', 'BTC'];

describe.each(Object.keys(RUNNERS) as (keyof typeof RUNNERS)[])('cache-warmer under %s', (runner) => {
  it('warms in-process, then finds everything cached (computed 0)', async () => {
    const CACHE_DIR = tempCache();
    const first = await runWarmer(runner, NARROW, { CACHE_DIR });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Warm-up finished: 14 combinations, 14 computed, 0 already cached, 0 failed');
    expect(fs.readdirSync(path.join(CACHE_DIR, 'temporary')).filter((f) => f.endsWith('.json'))).toHaveLength(14);

    const second = await runWarmer(runner, NARROW, { CACHE_DIR });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('14 combinations, 0 computed, 14 already cached, 0 failed');
  });

  it('exits 1 when a combination fails and 2 on an invalid option', async () => {
    const CACHE_DIR = tempCache();
    const failing = await runWarmer(runner, [...NARROW, '--start', '2012-01-01', '--end', '2012-02-01'], { CACHE_DIR });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('14 failed');
    const invalid = await runWarmer(runner, ['--leverages', '40'], { CACHE_DIR });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('--leverages');
    // Valid flags that select nothing: extreme thresholds apply to contrarian runs only.
    const empty = await runWarmer(runner, ['--strategies', 'momentum', '--extreme-low', '10', '--extreme-high', '90'], { CACHE_DIR });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the options select no valid combination');
  });
});

describe('cache-warmer --every (service mode)', () => {
  it('re-warms on the interval, cleans stale entries and stops cleanly on SIGTERM', async () => {
    const CACHE_DIR = tempCache();
    const [command, ...prefix] = RUNNERS.tsx;
    const child = spawn(command, [...prefix, ...NARROW, '--every', '1s'], {
      cwd: root,
      env: { ...process.env, CACHE_DIR },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    // Two rounds: the first computes, the second (1 s later) finds everything cached.
    await expect.poll(() => stdout, { timeout: 30_000, interval: 100 }).toContain('14 computed');
    await expect.poll(() => stdout, { timeout: 30_000, interval: 100 }).toContain('0 computed, 14 already cached');
    expect(stdout).toContain('Removed 0 stale entries');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Received SIGTERM');
  });
});

describe('cache-warmer --url against next start', () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ CACHE_ADMIN_TOKEN: 'warm-token' });
  });
  afterAll(() => server?.stop());

  it.each(Object.keys(RUNNERS) as (keyof typeof RUNNERS)[])('warms through the server under %s', async (runner) => {
    const args = ['--url', server.url, ...NARROW, '--timeframes', '1h'];
    const denied = await runWarmer(runner, args, { CACHE_ADMIN_TOKEN: '' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('401');

    const run = await runWarmer(runner, args, { CACHE_ADMIN_TOKEN: 'warm-token' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // BTC 1h: 1x/4x × 2 strategies at 20/80 = 4 combinations; the second runner finds them cached.
    expect(run.stdout).toMatch(/Warm-up finished: 4 combinations, (4 computed, 0|0 computed, 4) already cached, 0 failed/);
    const files = fs.readdirSync(path.join(server.cacheDir, 'temporary')).filter((f) => f.startsWith('BTC-1h-'));
    expect(files).toHaveLength(4);
  });
});
