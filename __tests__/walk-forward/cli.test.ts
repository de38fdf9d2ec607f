/**
 * `npm run walk-forward`: flags → validated request (named as flags), and one real run of the
 * script on ETH 4h 2024 (180/90) in plain-line mode, in text and JSON.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseWalkForwardArgs } from '@/lib/walk-forward/cli-args';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const script = (args: string[]) =>
  run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/walk-forward.ts', ...args], { cwd: ROOT, timeout: 240_000 });
const BASE = ['--asset', 'ETH', '--timeframe', '4h', '--leverage', '3', '--strategy', 'contrarian'];

describe('walk-forward script arguments', () => {
  it('turns flags into the request the API validates, with its defaults', () => {
    expect(parseWalkForwardArgs([...BASE, '--train', '180', '--test', '30', '--objective', 'returns', '--min-trades', '0', '--anchored', '--start', '2022-01-01', '--end', '2023-12-31', '--json'])).toEqual({
      request: {
        asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian', trainDays: 180, testDays: 30,
        objective: 'returns', minTrades: 0, anchored: true, dateRange: { start: '2022-01-01', end: '2023-12-31' },
      },
      json: true,
      help: false,
    });
    expect(parseWalkForwardArgs(BASE).request).toMatchObject({ trainDays: 365, testDays: 90, objective: 'sharpeRatio', minTrades: 1, anchored: false });
  });

  it('names invalid values by their flag', () => {
    expect(() => parseWalkForwardArgs([...BASE, '--train', '20', '--test', '7'])).toThrow(/^invalid arguments: --train: trainDays must be an integer from 30 to 1460$/);
    expect(() => parseWalkForwardArgs([...BASE, '--min-trades', 'x'])).toThrow(/--min-trades: /);
    expect(() => parseWalkForwardArgs([...BASE, '--start', '2024-01-01'])).toThrow(/--start\/--end/);
    expect(() => parseWalkForwardArgs([...BASE, '--bogus'])).toThrow(/Unknown option '--bogus'/);
  });
});

describe('walk-forward script', () => {
  it('prints progress lines, the headline numbers and the steps; --json prints the result', async () => {
    const args = [...BASE, '--train', '180', '--test', '90', '--start', '2024-01-01', '--end', '2024-12-31'];
    const text = await script(args);
    expect(text.stderr).toMatch(/\[walk-forward\] 3\/3 steps trained/);
    expect(text.stdout).toMatch(/^ETH 4h contrarian 3× walk-forward, rolling 180\/90 days, objective sharpeRatio, minTrades 1/);
    expect(text.stdout).toMatch(/Out-of-sample return\s+[-+]\d+\.\d\d %/);
    expect(text.stdout).toMatch(/Hindsight return\s+[-+]\d+\.\d\d % \(pair \d+\/\d+\)/);
    expect(text.stdout).toMatch(/\n2\s+2024-06-29\.\.2024-12-25\s+2024-12-26\.\.2024-12-31\s+\d+\/\d+/);
    const json = JSON.parse((await script([...args, '--json'])).stdout) as { key: string; steps: unknown[] };
    expect(json.key).toBe('WF-ETH-4h-3x-contrarian-180-90-sharpeRatio-2024-01-01-2024-12-31');
    expect(json.steps).toHaveLength(3);
  }, 300_000);

  it('exits 2 on invalid flags and 1 when the range is too short', async () => {
    await expect(script([...BASE, '--test', '400'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--test: /) });
    await expect(script([...BASE, '--start', '2024-01-01', '--end', '2024-03-01'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/needs at least 455 days/),
    });
  }, 120_000);
});
