import { describe, expect, it } from 'vitest';
import { NoDataInRangeError } from '@/lib/errors';
import { walkForwardRequestSchema, type WalkForwardRequestInput } from '@/lib/schemas';
import { MemoryWalkForwardCache, type CacheDocumentRequest, type WalkForwardCache } from '@/lib/walk-forward/cache';
import { chooseStepPair } from '@/lib/walk-forward/choose';
import { WalkForwardBusyError, WalkForwardJobs, type WalkForwardJobsOptions } from '@/lib/walk-forward/jobs';
import type { StepRunner } from '@/lib/walk-forward/run';
import type { StepChoice } from '@/lib/walk-forward/types';
import { regimeSeries } from './regimes';

// 44 days (2024-01-01..2024-02-13) of the four regimes in turn; 30 training + 7 test days give
// two steps: tests 2024-01-31..02-06 and 02-07..02-13.
const REGIMES = ['contrarian', 'rising', 'falling', 'contrarian'] as const;
const series = regimeSeries(Array.from({ length: 44 }, (_, d) => REGIMES[d % 4]));
const request = (body: Partial<WalkForwardRequestInput> = {}) =>
  walkForwardRequestSchema.parse({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', ...body });
const small = (body: Partial<WalkForwardRequestInput> = {}) => request({ trainDays: 30, testDays: 7, ...body });

function jobs(options: Partial<WalkForwardJobsOptions> = {}) {
  const cache = new MemoryWalkForwardCache();
  const service = new WalkForwardJobs({ cache, loadSeries: async () => series, log: () => undefined, ...options });
  return { service, cache };
}

/** A step runner whose searches wait until released, one by one. */
function gatedRunner() {
  const waiting: (() => void)[] = [];
  const runStep: StepRunner = (s, input, task) =>
    new Promise<StepChoice>((resolve) => waiting.push(() => resolve(chooseStepPair(s, input, task))));
  return {
    runStep,
    pending: () => waiting.length,
    release: async () => {
      while (waiting.length === 0) await new Promise((r) => setTimeout(r, 1));
      waiting.shift()!();
      await new Promise((r) => setTimeout(r, 1));
    },
  };
}

async function untilDone(service: WalkForwardJobs, jobId: string) {
  for (;;) {
    const status = service.status(jobId);
    if (status.status !== 'running') return status;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('walk-forward jobs', () => {
  it('runs a job with progress, then answers the same request from the cache', async () => {
    const { service, cache } = jobs();
    const started = await service.start(small());
    expect(started).toMatchObject({ kind: 'job', key: 'WF-ETH-4h-3x-contrarian-30-7-sharpeRatio', total: 2 });
    if (started.kind !== 'job') throw new Error('expected a job');
    const done = await untilDone(service, started.jobId);
    expect(done).toMatchObject({ status: 'done', phase: 'done', done: 2, total: 2, current: null, etaMs: 0, cached: false });
    expect(done.result!.steps).toHaveLength(2);
    expect(done.result!.key).toBe(started.key);
    expect(cache.size).toBe(1);

    const again = await service.start(small());
    expect(again.kind).toBe('result');
    if (again.kind !== 'result') throw new Error('expected a result');
    expect(again.outcome).toMatchObject({ cached: true, cacheTier: 'temporary' });
    expect(again.outcome.value).toEqual(done.result);
  });

  it('shares one job between identical concurrent requests and runs distinct ones side by side', async () => {
    const gate = gatedRunner();
    const { service } = jobs({ runStep: gate.runStep });
    const [a, b] = await Promise.all([service.start(small()), service.start(small())]);
    const c = await service.start(small({ objective: 'returns' }));
    expect(a.kind === 'job' && b.kind === 'job' && a.jobId === b.jobId).toBe(true);
    expect(c.kind === 'job' && a.kind === 'job' && c.jobId !== a.jobId).toBe(true);
    expect(service.runningJobs).toBe(2);
    while (service.runningJobs > 0) await gate.release();
  });

  it('reports the current step and an ETA weighted by training days', async () => {
    let now = 1_000;
    const gate = gatedRunner();
    const { service } = jobs({ runStep: gate.runStep, now: () => now });
    const started = await service.start(small());
    if (started.kind !== 'job') throw new Error('expected a job');
    expect(service.status(started.jobId)).toMatchObject({ done: 0, total: 2, etaMs: null, current: { index: 0 } });
    now = 4_000;
    await gate.release();
    // Work: 2 steps × 30 training days + 44 days of hindsight = 104; 30 done in 3,000 ms → 74 left: 7,400 ms.
    expect(service.status(started.jobId)).toMatchObject({ done: 1, current: { index: 1, test: { start: '2024-02-07' } }, elapsedMs: 3_000 });
    expect(service.status(started.jobId).etaMs).toBeCloseTo(7_400, 9);
    while (service.runningJobs > 0) await gate.release();
  });

  it('refuses more running jobs than its bound (429) and unknown jobs (404)', async () => {
    const gate = gatedRunner();
    const { service } = jobs({ runStep: gate.runStep, maxRunningJobs: 1 });
    await service.start(small());
    await expect(service.start(small({ leverage: 2 }))).rejects.toBeInstanceOf(WalkForwardBusyError);
    expect(() => service.status('00000000-0000-0000-0000-000000000000')).toThrow(/no walk-forward job/);
    while (service.runningJobs > 0) await gate.release();
  });

  it('answers 422 when the range is shorter than one training plus one test window', async () => {
    const { service } = jobs();
    await expect(service.start(request())).rejects.toBeInstanceOf(NoDataInRangeError);
    await expect(service.start(request())).rejects.toThrow(/from 2024-01-01 to 2024-02-13 \(264 bars\).*needs at least 455 days/);
  });

  it('asks for the permanent tier only for a range of finalized data, and versions the data', async () => {
    const seen: CacheDocumentRequest<unknown>[] = [];
    const memory = new MemoryWalkForwardCache();
    const cache: WalkForwardCache = {
      runAndCacheDocument: (r) => {
        seen.push(r as CacheDocumentRequest<unknown>);
        return memory.runAndCacheDocument(r);
      },
    };
    const { service } = jobs({ cache });
    for (const body of [small(), small({ dateRange: { start: '2024-01-01', end: '2024-02-12' } }), small({ dateRange: { start: '2024-01-01', end: '2024-02-13' } })]) {
      const started = await service.start(body);
      if (started.kind === 'job') await untilDone(service, started.jobId);
    }
    // The series' last bar closes 2024-02-14 00:00: ranges ending by 2024-02-13 are finalized; no range is not.
    expect(seen.map((r) => r.permanent)).toEqual([false, true, true]);
    expect(seen.map((r) => r.key)).toEqual([
      'WF-ETH-4h-3x-contrarian-30-7-sharpeRatio',
      'WF-ETH-4h-3x-contrarian-30-7-sharpeRatio-2024-01-01-2024-02-12',
      'WF-ETH-4h-3x-contrarian-30-7-sharpeRatio-2024-01-01-2024-02-13',
    ]);
    expect(seen[0].dataVersion).toMatch(/^synthetic\+wf\d+$/);
  });

  it('answers 202 when the cache lookup is slow (another instance computing) and follows it', async () => {
    let release!: () => void;
    const slow: WalkForwardCache = {
      runAndCacheDocument: async (r) => {
        await new Promise<void>((resolve) => (release = resolve));
        return { value: await r.compute(), cached: false };
      },
    };
    const { service } = jobs({ cache: slow, lookupWaitMs: 20 });
    const started = await service.start(small());
    expect(started.kind).toBe('job');
    if (started.kind !== 'job') throw new Error('expected a job');
    release();
    expect((await untilDone(service, started.jobId)).status).toBe('done');
  });

  it('reports a failing computation as an error status', async () => {
    const { service } = jobs({ runStep: async () => Promise.reject(new Error('worker crashed')) });
    const started = await service.start(small());
    if (started.kind !== 'job') throw new Error('expected a job');
    expect(await untilDone(service, started.jobId)).toMatchObject({ status: 'error', error: 'worker crashed' });
  });
});

describe('the in-memory document cache', () => {
  it('validates on read, expires temporary entries after 24 h and entries of another data version', async () => {
    let now = 0;
    const cache = new MemoryWalkForwardCache(() => now);
    const { z } = await import('zod');
    const schema = z.object({ n: z.number() });
    let computed = 0;
    const ask = (dataVersion = 'v1', permanent = false) =>
      cache.runAndCacheDocument({ key: 'k', schema, permanent, dataVersion, compute: async () => ({ n: ++computed }) });
    expect(await ask()).toEqual({ value: { n: 1 }, cached: false });
    now = 1_000;
    expect(await ask()).toEqual({ value: { n: 1 }, cached: true, cacheTier: 'temporary', cacheAge: 1_000 });
    now = 24 * 3_600_000;
    expect((await ask()).cached).toBe(false);
    expect((await ask('v2')).value).toEqual({ n: 3 });
    expect(await Promise.all([ask('v3'), ask('v3')])).toEqual([
      { value: { n: 4 }, cached: false },
      { value: { n: 4 }, cached: false },
    ]);
  });
});
