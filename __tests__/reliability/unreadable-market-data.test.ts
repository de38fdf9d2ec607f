/**
 * Regression: a market-data file listed in its folder but unreadable (here a symbolic link to a
 * file that was moved away) made every request for its series a bare 500 "Internal server error".
 * It is now a 503 naming the file relative to MARKET_DATA_DIR and the error code, and the other
 * series keep answering 200.
 */
import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { isolateMarketData, makeTempDir } from '../market-data/env-isolation';
import { findLeaks } from './cache-audit';
import { linkedMarketData } from './linked-market-data';

const MOVED = 'klines/SOLUSDT/4h/SOLUSDT_4h-old.csv';
let restore: (() => void) | undefined;
const tempDirs: string[] = [];
afterEach(() => {
  restore?.();
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('answers 503 naming an unreadable file, and 200 for the other series', async () => {
  const dataDir = linkedMarketData({ danglingLinks: [MOVED] });
  const cacheDir = makeTempDir('splitsea-unreadable-cache-');
  tempDirs.push(dataDir, cacheDir);
  restore = isolateMarketData({ MARKET_DATA_DIR: dataDir, CACHE_DIR: cacheDir });
  const { POST: execute } = await import('@/app/api/backtest/execute/route');
  const run = (asset: string) =>
    execute(
      new Request('http://localhost/api/backtest/execute', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ params: { asset, timeframe: '4h', leverage: 3, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian' } }),
      }),
    );
  const broken = await run('SOL');
  const text = await broken.text();
  expect(broken.status, text).toBe(503);
  expect(JSON.parse(text).error).toBe(`Cannot read market data ${MOVED}: ENOENT`);
  expect(findLeaks(text)).toEqual([]);
  expect((await run('ETH')).status).toBe(200);
}, 30_000);
