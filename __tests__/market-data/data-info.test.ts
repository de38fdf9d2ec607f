/**
 * `npm run data:info` (scripts/data-info.ts) run as a child process on the real data.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const run = (args: string[]) =>
  promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/data-info.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MARKET_DATA_DIR: path.resolve(ROOT, '../shared/market-data') },
  });

describe('data:info', () => {
  it('--json prints one { symbol, interval, first, last, bars, gaps } per series plus the FGI, then the funding', async () => {
    const { stdout } = await run(['--json']);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBe(13);
    expect(rows.slice(10)).toEqual([
      { symbol: 'BTCUSDT', interval: 'funding', first: '2019-09-10T08:00:00.000Z', last: '2026-05-17T00:00:00.000Z', settlements: 7_323, gaps: [] },
      { symbol: 'ETHUSDT', interval: 'funding', first: '2019-11-27T08:00:00.000Z', last: '2026-07-09T00:00:00.000Z', settlements: 7_248, gaps: [] },
      { symbol: 'SOLUSDT', interval: 'funding', first: '2020-09-13T16:00:00.000Z', last: '2026-07-09T00:00:00.000Z', settlements: 6_449, gaps: [] },
    ]);
    expect(Object.keys(rows[0]).sort()).toEqual(['bars', 'first', 'gaps', 'interval', 'last', 'symbol']);
    const btc4h = rows.find((r) => r.symbol === 'BTCUSDT' && r.interval === '4h')!;
    expect(btc4h).toMatchObject({ first: '2017-08-17T04:00:00.000Z', last: '2026-01-06T08:00:00.000Z', bars: 18_370 });
    expect((btc4h.gaps as unknown[])[0]).toEqual({ from: '2018-02-08T04:00:00.000Z', to: '2018-02-09T04:00:00.000Z', bars: 7 });
    expect(rows[9]).toMatchObject({ symbol: 'FGI', interval: '1d', first: '2018-02-01T00:00:00.000Z', bars: 3_119 });
  });

  it('prints a table by default', async () => {
    const { stdout } = await run([]);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^symbol\s+interval\s+first \(UTC\)\s+last \(UTC\)\s+bars\s+gaps\s+missing bars$/);
    expect(lines).toContain('BTCUSDT  4h        2017-08-17 04:00  2026-01-06 08:00  18370  8     16');
    expect(lines[10]).toMatch(/^FGI\s+1d\s+2018-02-01 00:00\s+2026-08-22 00:00\s+3119\s+4\s+6$/);
    expect(lines[11]).toBe('');
    expect(lines[12]).toMatch(/^symbol\s+interval\s+first settlement\s+last settlement\s+settlements\s+gaps > 8 h\s+conflicts$/);
    expect(lines.slice(13)).toEqual([
      'BTCUSDT  funding   2019-09-10 08:00  2026-05-17 00:00  7323         0           0',
      'ETHUSDT  funding   2019-11-27 08:00  2026-07-09 00:00  7248         0           0',
      'SOLUSDT  funding   2020-09-13 16:00  2026-07-09 00:00  6449         0           0',
    ]);
  });
});
