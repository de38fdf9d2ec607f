/**
 * Test doubles for the result cache: a counting compute function, fixed series facts, an
 * injectable clock and a log collector around a BacktestCacheServer on a fresh store (a temporary
 * folder, or a fresh key prefix on a test redis-server: see ./stores.ts).
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
import { ENGINE_VERSION } from '@/lib/engine';
import type { BacktestDetail, BacktestResult } from '@/lib/engine/types';
import { ENTRY_FORMAT_VERSION, type CacheEntry, type CacheTier } from '@/lib/cache/entry';
import { cacheKey } from '@/lib/cache/key';
import type { BacktestParams } from '@/lib/schemas';
import { createStoreView, type StoreKind, type StoreView } from './stores';
import { ETH_4H_PARAMS } from '../helpers/params';

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
    fundingCoverage: 100,
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

/** A valid stored entry for BASE_PARAMS (temporary, never hit, computed 2023-11-14), with `overrides`. */
export function fakeEntry(overrides: Partial<CacheEntry> = {}): CacheEntry {
  return {
    key: cacheKey(BASE_PARAMS),
    result: fakeResult(BASE_PARAMS, 1_700_000_000_000),
    computedAt: 1_700_000_000_000,
    accessCount: 0,
    lastAccessed: 1_700_000_000_000,
    isPermanent: false,
    version: ENTRY_FORMAT_VERSION,
    engineVersion: ENGINE_VERSION,
    dataVersion: 'data-v1',
    ...overrides,
  };
}

/** A small detail payload. */
export const FAKE_DETAIL: BacktestDetail = {
  points: [{ time: 0, price: 1, fgi: 50, equity: 10_000, buyAndHold: 10_000, position: 1 }],
  trades: [],
};

export const BASE_PARAMS = ETH_4H_PARAMS;

/** Close time of the newest bar of the fake series: 2025-06-01 00:00 UTC. */
export const LAST_CLOSE = Date.parse('2025-06-01T00:00:00Z');

export interface Harness {
  server: BacktestCacheServer;
  /** The store the servers use, with a view of its contents that bypasses it. */
  view: StoreView;
  /** The cache folder (file store; an unused empty folder for Redis). */
  dir: string;
  lines: string[];
  calls: { params: BacktestParams; detail: boolean }[];
  facts: SeriesFacts;
  clock: { now: number };
  /** Milliseconds each computation waits before answering (default 0). */
  delay: { ms: number };
  /** Another server on the same store, compute, clock and logs (options override). */
  make: (options?: Partial<BacktestCacheServerOptions>) => BacktestCacheServer;
  /** The stored entry, parsed. */
  readEntry: (tier: CacheTier, key: string) => Promise<Record<string, unknown>>;
}

/**
 * A cache server on a fresh store of `kind` (default file) with a counting compute, a settable
 * clock and collected logs.
 */
export async function harness(options: Partial<BacktestCacheServerOptions> & { kind?: StoreKind } = {}): Promise<Harness> {
  const { kind = 'file', ...serverOptions } = options;
  const dir = serverOptions.cacheDir ?? tempDir();
  const lines: string[] = [];
  const view = await createStoreView(kind, { dir, lines });
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
      store: view.store,
      compute,
      seriesFacts: async () => ({ ...facts }),
      now: () => clock.now,
      logger: { info: (line) => lines.push(line), warn: (line) => lines.push(line) },
      ...serverOptions,
      ...more,
    });
  return {
    server: make(),
    view,
    dir,
    lines,
    calls,
    facts,
    clock,
    delay,
    make,
    readEntry: async (tier, key) => JSON.parse((await view.raw(tier, key)) ?? 'null'),
  };
}
