/**
 * Test doubles for the result cache: a counting compute function, fixed series facts, an
 * injectable clock and a log collector around a BacktestCacheServer on a fresh temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import {
  BacktestCacheServer,
  type BacktestCacheServerOptions,
  type ComputeFn,
  type SeriesFacts,
} from '@/lib/backtest-cache-server';
import type { BacktestDetail, BacktestResult } from '@/lib/engine/types';
import type { BacktestParams } from '@/lib/schemas';

const createdDirs: string[] = [];
afterAll(() => {
  for (const dir of createdDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty folder under the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'splitsea-cache-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

/** A result that passes the entry schema; `returns` differs per key so results are distinguishable. */
export function fakeResult(params: BacktestParams, timestamp: number, returns = params.lowThreshold / 10): BacktestResult {
  return {
    returns,
    maxDrawdown: 12.5,
    sharpeRatio: 1.1,
    sortinoRatio: 1.6,
    calmarRatio: 0.8,
    trades: 7,
    winRate: 57.1,
    profitFactor: 1.4,
    avgWin: 8.2,
    avgLoss: -4.1,
    fees: 31.2,
    funding: 4.4,
    liquidated: false,
    liquidations: 0,
    exposure: 63.0,
    buyAndHoldReturn: 9.9,
    overrides: 0,
    bars: 540,
    finalEquity: 10_000 * (1 + returns / 100),
    period: { start: '2025-07-01T00:00:00.000Z', end: '2025-09-29T00:00:00.000Z' },
    executionTime: 2.5,
    timestamp,
    params,
  };
}

/** A small detail payload. */
export const FAKE_DETAIL: BacktestDetail = {
  points: [{ time: 0, price: 1, fgi: 50, equity: 10_000, buyAndHold: 10_000, position: 1 }],
  trades: [],
};

export const BASE_PARAMS: BacktestParams = {
  asset: 'ETH',
  timeframe: '4h',
  leverage: 3,
  lowThreshold: 25,
  highThreshold: 75,
  strategy: 'contrarian',
};

/** Close time of the newest bar of the fake series: 2025-06-01 00:00 UTC. */
export const LAST_CLOSE = Date.parse('2025-06-01T00:00:00Z');

export interface Harness {
  server: BacktestCacheServer;
  dir: string;
  lines: string[];
  calls: { params: BacktestParams; detail: boolean }[];
  facts: SeriesFacts;
  clock: { now: number };
  /** Milliseconds each computation waits before answering (default 0). */
  delay: { ms: number };
  make: (options?: Partial<BacktestCacheServerOptions>) => BacktestCacheServer;
  file: (tier: 'permanent' | 'temporary', key: string) => string;
  readEntry: (tier: 'permanent' | 'temporary', key: string) => Record<string, unknown>;
}

/** A cache server on a fresh folder with a counting compute, a settable clock and collected logs. */
export function harness(options: Partial<BacktestCacheServerOptions> = {}): Harness {
  const dir = options.cacheDir ?? tempDir();
  const lines: string[] = [];
  const calls: Harness['calls'] = [];
  const facts: SeriesFacts = { dataVersion: 'data-v1', lastCloseTime: LAST_CLOSE };
  const clock = { now: Date.parse('2025-06-02T12:00:00Z') };
  const delay = { ms: 0 };
  const compute: ComputeFn = async (params, { detail }) => {
    calls.push({ params, detail: detail === true });
    await new Promise((resolve) => setTimeout(resolve, delay.ms));
    return {
      result: fakeResult(params, clock.now),
      ...(detail ? { detail: FAKE_DETAIL } : {}),
      dataVersion: facts.dataVersion,
    };
  };
  const make = (more: Partial<BacktestCacheServerOptions> = {}) =>
    new BacktestCacheServer({
      cacheDir: dir,
      compute,
      seriesFacts: async () => ({ ...facts }),
      now: () => clock.now,
      logger: { info: (line) => lines.push(line), warn: (line) => lines.push(line) },
      ...options,
      ...more,
    });
  const file = (tier: 'permanent' | 'temporary', key: string) => path.join(dir, tier, `${key}.json`);
  return {
    server: make(),
    dir,
    lines,
    calls,
    facts,
    clock,
    delay,
    make,
    file,
    readEntry: (tier, key) => JSON.parse(fs.readFileSync(file(tier, key), 'utf8')),
  };
}
