import { describe, expect, it } from 'vitest';
import type { BacktestParams } from '@/lib/schemas';
import { runWarmPlan } from '@/lib/warm/run-warm-plan';

const plan = (n: number): BacktestParams[] =>
  Array.from({ length: n }, (_, i) => ({
    asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', lowThreshold: 1 + i, highThreshold: 90,
  }));
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('runWarmPlan', () => {
  it('keeps at most `concurrency` items in flight and runs every item once, in plan order', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const summary = await runWarmPlan(
      plan(20),
      async (p) => {
        started.push(p.lowThreshold);
        peak = Math.max(peak, ++inFlight);
        await tick();
        inFlight--;
        return { cached: p.lowThreshold % 4 === 0 };
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
    expect(started).toEqual(plan(20).map((p) => p.lowThreshold));
    // lows 4, 8, 12, 16, 20 were cached
    expect(summary).toMatchObject({ done: 20, total: 20, hits: 5, computed: 15, failed: 0, aborted: false, etaMs: 0 });
  });

  it('counts failures without throwing and reports the first ones', async () => {
    const summary = await runWarmPlan(
      plan(5),
      async (p) => {
        if (p.lowThreshold === 2) throw new Error('no data covers 2010');
        return { cached: false };
      },
      { concurrency: 2 },
    );
    expect(summary.failed).toBe(1);
    expect(summary.computed).toBe(4);
    expect(summary.failures).toEqual([{ params: plan(5)[1], error: 'no data covers 2010' }]);
  });

  it('reports rate and ETA from its clock', async () => {
    let t = 0;
    const seen: { done: number; rate: number; etaMs: number | null }[] = [];
    await runWarmPlan(
      plan(4),
      async () => {
        t += 500; // each item takes 0.5 s on the injected clock
        return { cached: false };
      },
      { concurrency: 1, now: () => t, onProgress: (p) => seen.push(p) },
    );
    // after 1 of 4 items at 0.5 s: 2 items/s, 3 left → 1.5 s
    expect(seen[0]).toMatchObject({ done: 1, rate: 2, etaMs: 1500 });
    expect(seen[3]).toMatchObject({ done: 4, etaMs: 0 });
  });

  it('stops scheduling when aborted and lets items in flight finish', async () => {
    const stop = new AbortController();
    let ran = 0;
    const summary = await runWarmPlan(
      plan(10),
      async () => {
        if (++ran === 3) stop.abort();
        await tick();
        return { cached: false };
      },
      { concurrency: 1, signal: stop.signal },
    );
    expect(ran).toBe(3);
    expect(summary.done).toBe(3);
    expect(summary.aborted).toBe(true);
  });

  it('waits for beforeEach before each item', async () => {
    const order: string[] = [];
    await runWarmPlan(
      plan(2),
      async (p) => {
        order.push(`run ${p.lowThreshold}`);
        return { cached: false };
      },
      { concurrency: 1, beforeEach: async () => void order.push('yield') },
    );
    expect(order).toEqual(['yield', 'run 1', 'yield', 'run 2']);
  });
});
