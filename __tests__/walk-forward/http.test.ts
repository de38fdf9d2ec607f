/**
 * POST/GET /api/backtest/walk-forward against a real `next start` on the real market data
 * (needs `npx next build` first): 202 → progress → result, an identical request joining the
 * job, the cached second answer, 400s naming the field, 422 for a short range, job id checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';

let server: NextServer;
beforeAll(async () => {
  server = await startNextServer();
});
afterAll(async () => {
  await server?.stop();
});

const BODY = {
  asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian',
  dateRange: { start: '2024-01-01', end: '2024-12-31' }, trainDays: 180, testDays: 90,
};
const post = (body: unknown) =>
  fetch(`${server.url}/api/backtest/walk-forward`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (query: string) => fetch(`${server.url}/api/backtest/walk-forward${query}`);

describe('walk-forward over HTTP', () => {
  it('answers 202, reports progress, then the result; the same request later comes from the cache', async () => {
    const first = await post(BODY);
    expect(first.status).toBe(202);
    const job = (await first.json()) as { jobId: string; key: string; total: number };
    expect(job).toMatchObject({ key: 'WF-ETH-4h-3x-contrarian-180-90-sharpeRatio-2024-01-01-2024-12-31', total: 3 });
    // An identical request while it runs joins the job.
    const joined = await post(BODY);
    expect(joined.status).toBe(202);
    expect(((await joined.json()) as { jobId: string }).jobId).toBe(job.jobId);

    const seen: { status: string; done: number; total: number; etaMs: number | null }[] = [];
    let status: Record<string, unknown>;
    for (;;) {
      const res = await get(`?jobId=${job.jobId}`);
      expect(res.status).toBe(200);
      status = (await res.json()) as Record<string, unknown>;
      seen.push(status as never);
      if (status.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toMatchObject({ status: 'done', done: 3, total: 3, cached: false });
    expect(seen[0]).toMatchObject({ status: 'running', total: 3 });
    const result = status.result as { key: string; steps: unknown[]; range: unknown; metrics: { returns: number } };
    expect(result.key).toBe(job.key);
    expect(result.steps).toHaveLength(3);
    expect(result.range).toEqual({ start: '2024-01-01', end: '2024-12-31' });

    const again = await post(BODY);
    expect(again.status).toBe(200);
    const cached = (await again.json()) as { result: unknown; cached: boolean; cacheTier: string };
    expect(cached).toMatchObject({ cached: true, cacheTier: 'permanent' });
    expect(cached.result).toEqual(result);
  }, 300_000);

  it.each([
    [{ ...BODY, trainDays: 10 }, /^trainDays: /],
    [{ ...BODY, testDays: 200 }, /^testDays: testDays must not exceed trainDays/],
    [{ ...BODY, objective: 'profit' }, /^objective: /],
    [{ ...BODY, minTrades: -1 }, /^minTrades: /],
    [{ ...BODY, anchored: 1 }, /^anchored: /],
    [{ ...BODY, asset: 'DOGE' }, /^asset: /],
    [{ ...BODY, dateRange: { start: '2024-12-31', end: '2024-01-01' } }, /^dateRange: /],
    ['{"asset":', /not valid JSON/],
  ])('answers 400 naming the field for %o', async (body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('answers 422 when the range holds less than one training plus one test window, saying what is available', async () => {
    const res = await post({ ...BODY, dateRange: { start: '2024-01-01', end: '2024-06-30' }, trainDays: 365 });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(/^ETH 4h has bars with a Fear & Greed value from 2018-02-01 to \d{4}-\d{2}-\d{2} \(\d+ bars\); 2024-01-01..2024-06-30 holds 182 of those days/);
    expect(error).toMatch(/needs at least 455 days/);
  });

  it('checks the job id', async () => {
    expect((await get('')).status).toBe(400);
    expect((await get('?jobId=../../etc')).status).toBe(400);
    const unknown = await get('?jobId=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });
});
