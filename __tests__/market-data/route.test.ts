/**
 * GET /api/market-data, calling the route handler directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CoverageEntry, FundingCoverage } from '@/lib/market-data';
import { isolateMarketData, makeTempDir } from './env-isolation';
import { closedPortUrl } from './fake-apis';

const REAL_DATA_DIR = path.resolve(__dirname, '../../../shared/market-data');
let restore: (() => void) | undefined;
afterEach(() => restore?.());

it('returns the coverage of every series, the FGI and the funding histories', async () => {
  restore = isolateMarketData({ MARKET_DATA_DIR: REAL_DATA_DIR });
  const { GET, dynamic, runtime } = await import('@/app/api/market-data/route');
  expect([dynamic, runtime]).toEqual(['force-dynamic', 'nodejs']);
  const response = await GET();
  expect(response.status).toBe(200);
  const { coverage, unavailable, funding } = (await response.json()) as { coverage: CoverageEntry[]; unavailable: unknown[]; funding: FundingCoverage[] };
  expect(unavailable).toEqual([]);
  expect(funding.map((f) => [f.symbol, f.first, f.settlements, f.gaps.length, f.conflicts])).toEqual([
    ['BTCUSDT', '2019-09-10T08:00:00.000Z', 7_323, 0, 0],
    ['ETHUSDT', '2019-11-27T08:00:00.000Z', 7_248, 0, 0],
    ['SOLUSDT', '2020-09-13T16:00:00.000Z', 6_449, 0, 0],
  ]);
  expect(coverage.length).toBe(10);
  expect(coverage[2]).toMatchObject({
    symbol: 'BTCUSDT',
    interval: '4h',
    first: '2017-08-17T04:00:00.000Z',
    last: '2026-01-06T08:00:00.000Z',
    bars: 18_370,
  });
  expect(coverage[2].gaps.length).toBe(8);
  expect(coverage[9]).toMatchObject({ symbol: 'FGI', interval: '1d', bars: 3_119 });
});

it('lists series it cannot read with the reason, and the coverage of the others', async () => {
  const dir = makeTempDir('splitsea-partial-');
  fs.symlinkSync(path.join(REAL_DATA_DIR, 'fgi'), path.join(dir, 'fgi'));
  fs.mkdirSync(path.join(dir, 'klines/BTCUSDT'), { recursive: true });
  fs.symlinkSync(path.join(REAL_DATA_DIR, 'klines/BTCUSDT/4h'), path.join(dir, 'klines/BTCUSDT/4h'));
  fs.mkdirSync(path.join(dir, 'klines/ETHUSDT/4h'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'klines/ETHUSDT/4h/ETHUSDT_4h.csv'),
    'timestamp,open,high,low,close,volume\r\n2024-01-01 00:00:00,1,2\r\n',
  );
  // Series without local files would be downloaded: from an address where nothing listens.
  const nowhere = await closedPortUrl();
  restore = isolateMarketData({ MARKET_DATA_DIR: dir, BINANCE_API_URL: nowhere, BINANCE_FUTURES_API_URL: nowhere, FGI_API_URL: nowhere });
  const { GET } = await import('@/app/api/market-data/route');
  const response = await GET();
  expect(response.status).toBe(200);
  const { coverage, unavailable, funding } = (await response.json()) as {
    coverage: CoverageEntry[];
    unavailable: { symbol: string; interval: string; error: string }[];
    funding: FundingCoverage[];
  };
  expect(coverage.map((c) => `${c.symbol} ${c.interval}`)).toEqual(['BTCUSDT 4h', 'FGI 1d']);
  expect(funding).toEqual([]); // no local funding and an unreachable futures API: not an error
  expect(unavailable).toHaveLength(8);
  const eth4h = unavailable.find((u) => u.symbol === 'ETHUSDT' && u.interval === '4h')!;
  expect(eth4h.error).toMatch(/klines\/ETHUSDT\/4h\/ETHUSDT_4h\.csv, line 2/);
  expect(JSON.stringify(unavailable)).not.toContain(dir);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers 503 with a message saying how to supply data when none is available', async () => {
  // An empty market-data folder and API addresses where nothing listens.
  const nowhere = await closedPortUrl();
  restore = isolateMarketData({ MARKET_DATA_DIR: makeTempDir('splitsea-empty-'), BINANCE_API_URL: nowhere, BINANCE_FUTURES_API_URL: nowhere, FGI_API_URL: nowhere });
  const { GET } = await import('@/app/api/market-data/route');
  const response = await GET();
  expect(response.status).toBe(503);
  const body = (await response.json()) as { error: string };
  expect(body.error).toContain('MARKET_DATA_DIR to a folder in the SOURCES.md layout');
});
