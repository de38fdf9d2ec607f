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
  it('--json prints one { symbol, interval, first, last, bars, gaps } per series plus the FGI', async () => {
    const { stdout } = await run(['--json']);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBe(10);
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
    expect(lines.at(-1)).toMatch(/^FGI\s+1d\s+2018-02-01 00:00\s+2026-08-22 00:00\s+3119\s+4\s+6$/);
  });
});
