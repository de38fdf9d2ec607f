/**
 * Shared by the stress tests against `next start`: request helpers, the pools of params they
 * send and the server's resident memory.
 */
import fs from 'node:fs';
import type { BacktestParams } from '@/lib/schemas';

/** Resident set size of a process in KB, from /proc/PID/status (VmRSS). */
export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for PID ${pid}`);
  return Number(match[1]);
}

/** ETH 4h contrarian params with the given thresholds and leverage (540 bars: a fast backtest). */
export function gridParams(lowThreshold: number, highThreshold: number, leverage = 3, asset: BacktestParams['asset'] = 'ETH'): BacktestParams {
  return { asset, timeframe: '4h', leverage, lowThreshold, highThreshold, strategy: 'contrarian' };
}

/** Every low < high pair of the given ranges, as params (the cache-warmer grid's order). */
export function gridPool(lows: [number, number], highs: [number, number], leverage = 3, asset: BacktestParams['asset'] = 'ETH'): BacktestParams[] {
  const pool: BacktestParams[] = [];
  for (let low = lows[0]; low <= lows[1]; low++) {
    for (let high = highs[0]; high <= highs[1]; high++) if (low < high) pool.push(gridParams(low, high, leverage, asset));
  }
  return pool;
}

/** POST /api/backtest/execute with a JSON body; resolves with status and parsed body. */
export async function execute(baseUrl: string, params: BacktestParams): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api/backtest/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ params }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
