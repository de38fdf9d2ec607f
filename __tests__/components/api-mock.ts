/**
 * Test helpers for the page's components: a routed `fetch` mock (method + path → handler, with
 * every call recorded) and deferred responses to settle requests in any order.
 */
import { vi } from 'vitest';
import type { BacktestParams } from '@/lib/schemas';
import type { CacheStats, ExecuteResponse } from '@/lib/client/api-types';
import type { DetailPoint, Trade } from '@/lib/engine/types';

/** One recorded call. */
export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

type Handler = (call: RecordedCall) => Response | Promise<Response>;

/** A JSON response with `status`. */
export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A promise settled from outside. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Replaces global fetch with a router over `routes` (`'POST /api/backtest/execute'` → handler).
 * Unrouted calls answer 404 `{ error }`. Returns the list of calls.
 */
export function mockApi(routes: Record<string, Handler>): RecordedCall[] {
  const calls: RecordedCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = (init.method ?? 'GET').toUpperCase();
      const path = new URL(input, 'http://localhost').pathname;
      const call: RecordedCall = {
        method,
        path,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        headers: Object.fromEntries(Object.entries((init.headers as Record<string, string>) ?? {})),
      };
      calls.push(call);
      const handler = routes[`${method} ${path}`];
      return handler ? handler(call) : json({ error: `no route ${method} ${path}` }, 404);
    }),
  );
  return calls;
}

/** Chart points of a small window: FGI walks 10 → 90, price rises, position follows the zones. */
export function detailPoints(count = 9): DetailPoint[] {
  return Array.from({ length: count }, (_, i) => {
    const fgi = 10 + (80 * i) / (count - 1);
    return {
      time: Date.UTC(2025, 0, 1) + i * 4 * 3_600_000,
      price: 3_000 + 10 * i,
      fgi,
      equity: 10_000 + 25 * i,
      buyAndHold: 10_000 + 30 * i,
      position: fgi <= 25 ? 1 : fgi >= 75 ? -1 : 0,
    };
  });
}

/**
 * An execute response for `params`; `returns` makes responses tell apart. Numbers are test
 * inputs for rendering, not backtest outputs.
 */
export function executeResponse(params: BacktestParams, returns: number, extra: Partial<ExecuteResponse> = {}): ExecuteResponse {
  const points = detailPoints();
  return {
    cached: false,
    ...extra,
    result: {
      returns,
      maxDrawdown: 4.2,
      sharpeRatio: 1.1,
      sortinoRatio: 1.6,
      calmarRatio: 2.5,
      trades: 3,
      winRate: 66.7,
      profitFactor: 1.8,
      avgWin: 5,
      avgLoss: -3,
      fees: 12.5,
      funding: 1.25,
      fundingCoverage: 100,
      liquidated: false,
      liquidations: 0,
      exposure: 40,
      buyAndHoldReturn: 2.4,
      overrides: 0,
      bars: points.length,
      finalEquity: 10_000 * (1 + returns / 100),
      period: { start: new Date(points[0].time).toISOString(), end: new Date(points.at(-1)!.time + 4 * 3_600_000).toISOString() },
      executionTime: 3.5,
      timestamp: Date.UTC(2025, 5, 1),
      params,
    },
    detail: {
      points,
      trades: [
        tradeFixture({
          entryTime: points[1].time,
          entryPrice: points[1].price,
          exitTime: points[4].time,
          exitPrice: points[4].price,
          funding: 0.5,
          pnl: 36.5,
        }),
      ],
    },
  };
}

/** A trade for rendering tests: a 1-unit long on 950 USDT of margin, closed by signal, unless overridden. */
export function tradeFixture(trade: Pick<Trade, 'entryTime' | 'entryPrice' | 'exitTime' | 'exitPrice' | 'pnl'> & Partial<Trade>): Trade {
  return { side: 'long', quantity: 1, margin: 950, fees: 3, funding: 0, exitReason: 'signal', ...trade };
}

/** A cache statistics body (test input for rendering, not a measurement). */
export const cacheStats: CacheStats = {
  totalEntries: 12,
  permanentEntries: 5,
  temporaryEntries: 7,
  cacheSize: 1_536,
  hits: 10,
  misses: 6,
  hitRate: 62.5,
  avgExecutionTime: 84.2,
  avgCacheResponseTime: 1.25,
};
