/**
 * Error answers never reveal where the server runs. Regression: with a market-data folder that
 * lacks a series and sources that cannot be reached, the 503 of every route that loads data
 * named the folder's absolute path (`there is no klines/BTCUSDT/4h/*.csv in /srv/...`). The
 * message now names the setting instead (`... in MARKET_DATA_DIR`) and still says how to fix it.
 */
import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { closedPortUrl } from '../market-data/fake-apis';
import { isolateMarketData, makeTempDir } from '../market-data/env-isolation';
import { findLeaks } from './cache-audit';

let restore: (() => void) | undefined;
const tempDirs: string[] = [];
afterEach(() => {
  restore?.();
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('answers 503 naming MARKET_DATA_DIR, not the absolute folder, on every route that loads data', async () => {
  const nowhere = await closedPortUrl();
  const emptyDataDir = makeTempDir('splitsea-empty-data-');
  const cacheDir = makeTempDir('splitsea-redaction-cache-');
  tempDirs.push(emptyDataDir, cacheDir);
  restore = isolateMarketData({
    MARKET_DATA_DIR: emptyDataDir,
    CACHE_DIR: cacheDir,
    BINANCE_API_URL: nowhere,
    FGI_API_URL: nowhere,
  });
  const { GET: marketData } = await import('@/app/api/market-data/route');
  const { POST: execute } = await import('@/app/api/backtest/execute/route');
  const { POST: heatmap } = await import('@/app/api/backtest/heatmap/route');
  const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const params = { asset: 'BTC', timeframe: '4h', leverage: 3, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian' };
  for (const response of [
    await marketData(),
    await execute(new Request('http://localhost/api/backtest/execute', post({ params }))),
    await heatmap(new Request('http://localhost/api/backtest/heatmap', post({ asset: 'BTC', timeframe: '4h', leverage: 3, strategy: 'contrarian' }))),
  ]) {
    const text = await response.text();
    expect(response.status, text).toBe(503);
    expect(text).not.toContain(emptyDataDir);
    expect(findLeaks(text)).toEqual([]);
    expect(JSON.parse(text).error).toMatch(/in MARKET_DATA_DIR.*Supply the data locally by setting MARKET_DATA_DIR/);
  }
}, 30_000);
