/**
 * loadSeries memoization through the environment: concurrent callers share one promise, later
 * calls get the same object, and a failed load is forgotten so the next call retries.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INTERVAL_MS } from '@/lib/market-data/intervals';
import { isolateMarketData, makeTempDir } from './env-isolation';
import { realFgi, realKlines, startFakeApis, type FakeApis } from './fake-apis';

let api: FakeApis;
let restore: () => void;

beforeAll(async () => {
  const klines = realKlines('klines/BTCUSDT/4h/BTCUSDT_4h.csv');
  api = await startFakeApis({ symbol: 'BTCUSDT', interval: '4h', intervalMs: INTERVAL_MS['4h'], klines, fgi: realFgi(), now: Date.now() });
  // An existing but empty market-data folder: every series goes online (to the fake APIs).
  restore = isolateMarketData({ MARKET_DATA_DIR: makeTempDir('splitsea-empty-'), BINANCE_API_URL: api.url, BINANCE_FUTURES_API_URL: api.url, FGI_API_URL: api.url });
});
afterAll(async () => {
  restore();
  await api.close();
});

it('retries after a failed load, then shares one promise and one object', async () => {
  const { loadSeries } = await import('@/lib/market-data');
  const { MarketDataError } = await import('@/lib/errors'); // the instance the fresh modules use
  api.failWith = { status: 503, msg: 'Service unavailable' };
  const failure = await loadSeries('BTC', '4h').catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(MarketDataError);
  expect((failure as Error).message).toContain('HTTP 503');

  api.failWith = undefined;
  const first = loadSeries('BTC', '4h');
  expect(loadSeries('BTC', '4h')).toBe(first); // concurrent callers share the promise
  const series = await first;
  expect(await loadSeries('BTC', '4h')).toBe(series); // later callers get the same object
  // Online history starts 2018-02-01; the fake serves the real file up to its last row
  // (2026-01-06 12:00), which is dropped as the newest bar.
  expect(series.openTime[0]).toBe(Date.UTC(2018, 1, 1));
  expect(series.openTime[series.openTime.length - 1]).toBe(Date.UTC(2026, 0, 6, 8));
  expect(series.sources[0]).toBe('.cache/market-data/klines/BTCUSDT/4h/2018-02.json');
});
