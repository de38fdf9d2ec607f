/**
 * Walk-forward on the real ETH 4h data, 2022-01-01..2025-12-31, 365/90 rolling, objective
 * returns, checked in-process against the API's own route handlers: each step's chosen pair is
 * the argmax of POST /api/backtest/heatmap (metric returns) on its training window (ties: lowest
 * low, then lowest high; pairs with fewer than minTrades trades skipped, their trade count read
 * from POST /api/backtest/execute), and each test window's return equals POST
 * /api/backtest/execute for that pair and window.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as executeRoute } from '@/app/api/backtest/execute/route';
import { POST as heatmapRoute } from '@/app/api/backtest/heatmap/route';
import type { BacktestResult } from '@/lib/engine';
import { loadSeries } from '@/lib/market-data';
import { walkForwardRequestSchema, type BacktestParams, type DateRange } from '@/lib/schemas';
import { pairParams } from '@/lib/walk-forward/pair-params';
import { walkForwardInput } from '@/lib/walk-forward/plan';
import { runWalkForward } from '@/lib/walk-forward/run';
import type { WalkForwardEvaluation } from '@/lib/walk-forward/types';

// Before any import creates the process-wide cache server: point it at a fresh folder.
await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.CACHE_DIR = mkdtempSync(join(tmpdir(), 'splitsea-wf-real-'));
});

const post = (handler: (r: Request) => Promise<Response>, url: string, body: unknown) =>
  handler(new Request(`http://localhost${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));

async function execute(params: BacktestParams): Promise<BacktestResult> {
  const response = await post(executeRoute, '/api/backtest/execute', { params });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: BacktestResult }).result;
}

const request = walkForwardRequestSchema.parse({
  asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian',
  dateRange: { start: '2022-01-01', end: '2025-12-31' }, trainDays: 365, testDays: 90, objective: 'returns',
});
const input = walkForwardInput(request);
let result: WalkForwardEvaluation;

beforeAll(async () => {
  result = await runWalkForward(await loadSeries('ETH', '4h'), input);
}, 600_000);

describe('walk-forward on ETH 4h 2022–2025 (365/90, returns)', () => {
  it('plans 13 rolling steps from 2023-01-01, the last cut at 2025-12-31', () => {
    // 1,096 test days = 12 × 90 + 16: the 13th window is 2025-12-16..2025-12-31.
    expect(result.steps).toHaveLength(13);
    expect(result.steps[0].train).toEqual({ start: '2022-01-01', end: '2022-12-31' });
    expect(result.steps[0].test).toEqual({ start: '2023-01-01', end: '2023-03-31' });
    expect(result.steps.at(-1)!.test).toEqual({ start: '2025-12-16', end: '2025-12-31' });
    expect(result.steps.at(-1)!.train).toEqual({ start: '2024-12-16', end: '2025-12-15' });
  });

  it('chooses on each training window the argmax of the heatmap endpoint', async () => {
    for (const step of result.steps) {
      const response = await post(heatmapRoute, '/api/backtest/heatmap', {
        asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', dateRange: step.train, metric: 'returns',
      });
      expect(response.status).toBe(200);
      const grid = (await response.json()) as { lows: number[]; highs: number[]; values: (number | null)[][] };
      // Cells best first; equal values in (low, high) order, as the tie rule says.
      const ranked = grid.lows
        .flatMap((low, a) => grid.highs.map((high, b) => ({ low, high, value: grid.values[a][b] })))
        .filter((c): c is { low: number; high: number; value: number } => c.value !== null)
        .sort((x, y) => y.value - x.value || x.low - y.low || x.high - y.high);
      let expected: (typeof ranked)[number] | undefined;
      for (const cell of ranked) {
        const trades = (await execute(pairParams(input, cell, step.train as DateRange))).trades;
        if (trades >= input.minTrades) {
          expected = cell;
          break;
        }
      }
      expect(step.pair, `step ${step.index} (${step.train.start}..${step.train.end})`).toEqual({ low: expected!.low, high: expected!.high });
      expect(step.objectiveValue).toBe(expected!.value);
    }
  }, 600_000);

  it('gets each test window’s return from an ordinary execute of that pair and window', async () => {
    for (const step of result.steps) {
      const executed = await execute(pairParams(input, step.pair!, step.test));
      expect(step.testMetrics!.returns, `step ${step.index}`).toBe(executed.returns);
      expect(step.testMetrics!.bars).toBe(executed.bars);
      expect(step.testMetrics!.period).toEqual(executed.period);
    }
  }, 600_000);
});
