/**
 * `npm run backtest` (scripts/backtest.ts) run as a child process with tsx.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { computeBacktest } from '../../lib/backtest-service';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ['scripts/backtest.ts', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ARGS = ['--asset', 'BTC', '--timeframe', '4h', '--leverage', '3', '--low', '25', '--high', '75', '--strategy', 'contrarian'];
const RANGE = ['--start', '2023-01-01', '--end', '2023-06-30'];

describe('backtest CLI', () => {
  it('--json prints the API result object', async () => {
    const { code, stdout } = await cli([...ARGS, ...RANGE, '--extreme-low', '10', '--extreme-high', '90', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    const params = {
      asset: 'BTC',
      timeframe: '4h',
      leverage: 3,
      lowThreshold: 25,
      highThreshold: 75,
      strategy: 'contrarian',
      extremeLowThreshold: 10,
      extremeHighThreshold: 90,
      dateRange: { start: '2023-01-01', end: '2023-06-30' },
    } as const;
    const { result } = await computeBacktest(params);
    const { executionTime, timestamp, ...metrics } = result;
    expect(printed).toEqual({ ...metrics, executionTime: expect.any(Number), timestamp: expect.any(Number), params });
    expect(executionTime).toBeGreaterThan(0);
    expect(timestamp).toBeGreaterThan(0);
  });

  it('prints a table with units', async () => {
    const { code, stdout } = await cli([...ARGS, ...RANGE]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Return\s+-?[\d,.]+ %$/m);
    expect(stdout).toMatch(/^Final equity\s+[\d,.]+ USDT$/m);
    expect(stdout).toContain('2023-01-01 00:00 → 2023-07-01 00:00 UTC, 1086 bars');
  });

  it('exits 2 naming the invalid field', async () => {
    const { code, stderr } = await cli([...ARGS.slice(0, -2), '--strategy', 'momentum', '--extreme-low', '10', '--extreme-high', '90']);
    expect(code).toBe(2);
    expect(stderr).toContain('strategy: extreme thresholds apply to the contrarian strategy only');
    expect((await cli(['--asset', 'DOGE'])).code).toBe(2);
  });

  it('exits 1 with what is available when no data covers the range', async () => {
    const { code, stderr } = await cli([...ARGS, '--start', '2012-01-01', '--end', '2012-12-31']);
    expect(code).toBe(1);
    expect(stderr).toContain('Available: bars opening 2017-08-17 04:00 UTC');
  });
});
