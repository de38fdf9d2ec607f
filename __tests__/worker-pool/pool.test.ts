/**
 * WorkerPool (lib/worker-pool/pool.ts) on real worker threads running the esbuild-bundled worker
 * entry: tasks compute what the engine computes on the main thread, series arrive shared
 * (SharedArrayBuffer), errors keep their HTTP meaning, lanes order waiting tasks, and an aborted
 * task that waits is never started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHeatmap, runBacktest } from '@/lib/engine';
import { NoDataInRangeError } from '@/lib/errors';
import { loadSeries, type MarketSeries } from '@/lib/market-data';
import { WorkerPool, sharedSeries } from '@/lib/worker-pool';
import { ensureWorkerBundle } from '@/lib/worker-pool/worker-bundle';
import { ETH_4H_PARAMS } from '../helpers/params';

let series: MarketSeries;
let shared: MarketSeries;
const pool = new WorkerPool({ size: 1, workerFile: () => ensureWorkerBundle(process.cwd()) });

beforeAll(async () => {
  series = await loadSeries('ETH', '4h');
  shared = sharedSeries(series);
});
afterAll(() => pool.close());

describe('WorkerPool', () => {
  it('runs a backtest in a worker with the same metrics as on the main thread', async () => {
    const { metrics } = await pool.run('backtest', { series: shared, params: ETH_4H_PARAMS });
    expect(metrics).toEqual(runBacktest(series, ETH_4H_PARAMS).metrics);
  });

  it('runs a heatmap row equal to the engine row', async () => {
    const options = { leverage: 2, strategy: 'momentum' as const, dateRange: { start: '2023-01-01', end: '2023-12-31' } };
    const row = await pool.run('heatmapRow', { series: shared, options, low: 30 });
    expect(row).toEqual(planHeatmap(series, options).row(30));
    expect(row.slice(0, 29).every((v) => v === null)).toBe(true); // highs 2..30 are ≤ low
  });

  it('shares the series columns instead of copying them', () => {
    expect(shared.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.close)).toEqual(Array.from(series.close));
    expect(sharedSeries(series)).toBe(shared);
  });

  it('rejects with NoDataInRangeError when the window has no data', async () => {
    const params = { ...ETH_4H_PARAMS, dateRange: { start: '2010-01-01', end: '2010-02-01' } };
    await expect(pool.run('backtest', { series: shared, params })).rejects.toBeInstanceOf(NoDataInRangeError);
  });

  it('starts waiting tasks highest lane first and never starts an aborted one', async () => {
    const order: string[] = [];
    const input = { series: shared, params: ETH_4H_PARAMS };
    const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name), () => order.push(`${name}:aborted`));
    // The only worker is busy with the first task, so the others wait in their lanes.
    const first = track('first', pool.run('backtest', input, { priority: 'low' }));
    const low = track('low', pool.run('backtest', input, { priority: 'low' }));
    const controller = new AbortController();
    const dropped = track('dropped', pool.run('backtest', input, { priority: 'high', signal: controller.signal }));
    const normal = track('normal', pool.run('backtest', input, { priority: 'normal' }));
    const high = track('high', pool.run('backtest', input, { priority: 'high' }));
    expect(pool.stats().queued).toEqual({ high: 2, normal: 1, low: 1 });
    const completedBefore = pool.stats().completed;
    controller.abort();
    expect(pool.stats().queued.high).toBe(1);
    await Promise.all([first, low, dropped, normal, high]);
    expect(order).toEqual(['dropped:aborted', 'first', 'high', 'normal', 'low']);
    expect(pool.stats().completed - completedBefore).toBe(4);
  });
});
