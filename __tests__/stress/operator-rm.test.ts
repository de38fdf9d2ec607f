/**
 * Operators at work while requests stream into `next start` (SPEC: `rm -rf .cache/backtests/temporary`,
 * `rm -f .cache/backtests/*\/ETH-*` while the server runs). In four phases of a few seconds, eight
 * clients send hits, misses, info and stats without pause while this process, in a loop,
 * 1. deletes the whole cache folder (`rm -rf .cache/backtests`),
 * 2. deletes the temporary tier,
 * 3. deletes every `ETH-*` entry of both tiers,
 * 4. replaces both tier folders by regular files (what a read-only folder is to root, who ignores
 *    permission bits: every cache read and write fails).
 * Every answer must be 200; the cache folder must hold only valid entries after each phase; the
 * I/O failures are logged at most once per kind and minute; afterwards caching resumes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BacktestParams } from '@/lib/schemas';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { auditCacheDir } from '../reliability/cache-audit';
import { recordFigures } from '../reliability/figures';
import { execute, gridParams, gridPool, sleep } from './stress-helpers';

const PHASE_MS = 4000;
const CLIENTS = 8;
const OPERATOR_PAUSE_MS = 25;

let server: NextServer;

beforeAll(async () => {
  server = await startNextServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.cacheDir, { recursive: true, force: true });
});

interface Tally {
  requests: number;
  failures: string[];
}

/** Clients sending hits (from `hot`), misses (new keys) and info/stats until `stop` is set. */
async function stream(hot: BacktestParams[], missFrom: number, stop: { done: boolean }): Promise<Tally> {
  const tally: Tally = { requests: 0, failures: [] };
  let next = missFrom;
  const client = async (id: number) => {
    for (let i = 0; !stop.done; i++) {
      const kind = (i + id) % 5;
      try {
        if (kind === 4) {
          const route = i % 2 ? '/api/backtest/cache' : '/api/backtest/cache/stats';
          const response = await fetch(`${server.url}${route}`);
          if (response.status !== 200) tally.failures.push(`${route} → ${response.status} ${await response.text()}`);
          else await response.arrayBuffer();
        } else {
          const low = 1 + (next % 40);
          const params = kind < 2 ? hot[(i * CLIENTS + id) % hot.length] : gridParams(low, 60 + (Math.floor(next++ / 40) % 40), 1 + (Math.floor(next / 1600) % 12), (['ETH', 'BTC', 'SOL'] as const)[next % 3]);
          const { status, body } = await execute(server.url, params);
          if (status !== 200) tally.failures.push(`execute → ${status} ${JSON.stringify(body).slice(0, 200)}`);
        }
      } catch (error) {
        tally.failures.push(`network: ${(error as Error).message}`);
      }
      tally.requests += 1;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
  return tally;
}

/** Runs `operator` in a loop for PHASE_MS while the clients stream; returns the tally and the operator's passes. */
async function phase(hot: BacktestParams[], missFrom: number, operator: () => void) {
  const stop = { done: false };
  const streaming = stream(hot, missFrom, stop);
  let passes = 0;
  const until = Date.now() + PHASE_MS;
  while (Date.now() < until) {
    operator();
    passes += 1;
    await sleep(OPERATOR_PAUSE_MS);
  }
  stop.done = true;
  return { ...(await streaming), passes };
}

/**
 * `rm -rf`: like the shell command it can lose the race against a writer that adds a file to a
 * folder being removed (ENOTEMPTY); it retries, and a pass that still loses is just a pass.
 */
function rmRf(target: string): void {
  try {
    fs.rmSync(target, { recursive: true, force: true, maxRetries: 3, retryDelay: 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw error;
  }
}

const tiers = ['permanent', 'temporary'].map((tier) => () => path.join(server.cacheDir, tier));

it('answers every request while operators delete the cache, a tier, ETH-* files, or break the tiers', async () => {
  const hot = [...gridPool([20, 24], [70, 73], 2, 'ETH'), ...gridPool([20, 24], [70, 73], 2, 'BTC')];
  // Finalized ranges go to the permanent tier, so both tiers hold ETH entries.
  hot.push(...gridPool([30, 32], [60, 62], 2, 'ETH').map((p) => ({ ...p, dateRange: { start: '2024-01-01', end: '2024-03-31' } })));
  for (const params of hot) expect((await execute(server.url, params)).status).toBe(200);
  const rmEth = () => {
    for (const dir of tiers.map((t) => t())) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue; // the tier does not exist at the moment
      }
      for (const name of names.filter((n) => n.startsWith('ETH-'))) fs.rmSync(path.join(dir, name), { force: true });
    }
  };
  const phases = {
    'rm -rf the cache folder': () => rmRf(server.cacheDir),
    'rm -rf the temporary tier': () => rmRf(tiers[1]()),
    'rm -f */ETH-*': rmEth,
    'tier folders replaced by files': () => {
      for (const dir of tiers.map((t) => t())) {
        if (fs.existsSync(dir) && fs.statSync(dir).isFile()) continue;
        rmRf(dir);
        fs.mkdirSync(path.dirname(dir), { recursive: true });
        fs.writeFileSync(dir, 'not a folder');
      }
    },
  };
  const figures: Record<string, unknown> = {};
  let missFrom = 0;
  const logStart = server.output().length;
  for (const [name, operator] of Object.entries(phases)) {
    const result = await phase(hot, missFrom, operator);
    missFrom += 10_000;
    const audit = auditCacheDir(server.cacheDir);
    figures[name] = { requests: result.requests, failures: result.failures.length, operatorPasses: result.passes, filesChecked: audit.entries.length + audit.tempFiles.length, problems: audit.problems };
    expect(result.failures, name).toEqual([]);
    expect(result.requests, name).toBeGreaterThan(20);
    // In the last phase the tiers are files: the audit reports exactly those two.
    const expectedProblems = name === 'tier folders replaced by files' ? ['permanent: unexpected file in the cache folder', 'temporary: unexpected file in the cache folder'] : [];
    expect(audit.problems.sort(), name).toEqual(expectedProblems);
  }

  // Failures were logged at most once per kind (the whole test runs within one minute).
  const errorLines = server.output().slice(logStart).split('\n').filter((line) => line.startsWith('[CACHE ERROR]'));
  const perKind = new Map<string, number>();
  for (const line of errorLines) {
    const kind = /^\[CACHE ERROR\] Cache (.+?) failed/.exec(line)![1];
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
  }
  expect([...perKind.values()].every((n) => n === 1), errorLines.join('\n')).toBe(true);
  expect(perKind.get('write')).toBe(1);
  expect(server.output()).not.toMatch(/\[API ERROR\]/);

  // The operator restores the folders: caching resumes without a restart.
  for (const dir of tiers.map((t) => t())) fs.rmSync(dir, { force: true });
  const params = gridParams(11, 99, 12, 'SOL');
  expect((await execute(server.url, params)).body.cached).toBe(false);
  expect((await execute(server.url, params)).body).toMatchObject({ cached: true, cacheTier: 'temporary' });
  recordFigures('operator-rm', { clients: CLIENTS, phaseMs: PHASE_MS, phases: figures, cacheErrorLogLines: Object.fromEntries(perKind) });
}, 120_000);
