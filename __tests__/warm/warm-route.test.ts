/**
 * POST/GET /api/backtest/warm-cache as route handlers, on the real engine and data, with the
 * process-wide cache server on a temporary CACHE_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { GET, POST } from '@/app/api/backtest/warm-cache/route';

const { CACHE_DIR } = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.CACHE_DIR = mkdtempSync(join(tmpdir(), 'splitsea-warm-route-'));
  return { CACHE_DIR: process.env.CACHE_DIR };
});

const post = (body?: unknown, headers: Record<string, string> = {}) =>
  POST(
    new Request('http://localhost/api/backtest/warm-cache', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

async function untilFinished() {
  for (;;) {
    const status = await (await GET()).json();
    if (status.status !== 'running') return status;
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(() => {
  delete process.env.CACHE_ADMIN_TOKEN;
});

// Every test waits for its job to finish, so nothing writes here any more.
afterAll(() => fs.rmSync(CACHE_DIR, { recursive: true, force: true }));

describe('/api/backtest/warm-cache', () => {
  it('reports idle before the first job', async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'idle', done: 0, total: 0, computed: 0, hits: 0, failed: 0 });
  });

  it('starts the default preset on an empty body (202), refuses a second job with 409, then finds everything cached', async () => {
    const started = await post();
    expect(started.status).toBe(202);
    const { jobId, total } = await started.json();
    expect(total).toBe(90);
    expect(typeof jobId).toBe('string');

    const second = await post();
    expect(second.status).toBe(409);
    expect((await second.json()).error).toContain(jobId);

    const first = await untilFinished();
    expect(first).toMatchObject({ jobId, status: 'done', done: 90, total: 90, computed: 90, hits: 0, failed: 0 });
    expect(first.finishedAt).toBeGreaterThanOrEqual(first.startedAt);
    expect(fs.readdirSync(path.join(CACHE_DIR, 'temporary')).filter((f) => f.endsWith('.json'))).toHaveLength(90);

    expect((await post()).status).toBe(202);
    expect(await untilFinished()).toMatchObject({ status: 'done', computed: 0, hits: 90, failed: 0 });
  });

  it('takes a grid preset with options, and --permanent writes to the permanent tier', async () => {
    const res = await post({ preset: 'grid', assets: ['SOL'], lowMin: 20, lowMax: 22, highMin: 70, highMax: 71, permanent: true });
    expect(res.status).toBe(202);
    expect((await res.json()).total).toBe(6);
    expect(await untilFinished()).toMatchObject({ status: 'done', computed: 6 });
    expect(fs.readdirSync(path.join(CACHE_DIR, 'permanent'))).toContain('SOL-4h-3x-20-70-contrarian.json');
  });

  it('counts combinations without data as failed', async () => {
    const res = await post({ assets: ['BTC'], timeframes: ['4h'], dateRange: { start: '2012-01-01', end: '2012-12-31' } });
    expect(res.status).toBe(202);
    const status = await untilFinished();
    expect(status.failed).toBe(status.total);
    expect(status.failures[0].key).toMatch(/^BTC-4h-/);
    expect(status.failures[0].error).toMatch(/available|no/i);
  });

  it('rejects invalid options with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ preset: 'all' }, 'preset'],
      [{ leverages: [0] }, 'leverages'],
      [{ assets: ['DOGE'] }, 'assets'],
      [{ lowMin: 60, lowMax: 10 }, 'lowMax'],
      [{ concurrency: 1000 }, 'concurrency'],
      [{ surprise: true }, 'surprise'],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toContain(field);
    }
  });

  it('requires the admin token when CACHE_ADMIN_TOKEN is set', async () => {
    process.env.CACHE_ADMIN_TOKEN = 'warm-secret';
    expect((await post()).status).toBe(401);
    expect((await post(undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await post({ assets: ['BTC'], timeframes: ['1h'], leverages: [1] }, { authorization: 'Bearer warm-secret' });
    expect(ok.status).toBe(202);
    await untilFinished();
  });
});
