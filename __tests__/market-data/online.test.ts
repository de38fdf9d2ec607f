/**
 * The online path (no local data): downloads from a local fake of the Binance klines, Binance
 * funding-rate and alternative.me FGI APIs, the month-file cache in a temp folder, refresh rules under an injected
 * clock, and the error when nothing can be downloaded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MarketDataError } from '@/lib/errors';
import type { MarketDataContext } from '@/lib/market-data/context';
import { fundingColumn } from '@/lib/market-data/funding';
import { INTERVAL_MS } from '@/lib/market-data/intervals';
import type { KlineColumns } from '@/lib/market-data/klines';
import { monthLabel, nextMonthStart, onlineHistoryMonths } from '@/lib/market-data/online/download';
import { buildSeries, loadFgiSeries } from '@/lib/market-data/series';
import { closedPortUrl, realFgi, realFunding, realKlines, startFakeApis, type FakeApis } from './fake-apis';

const H4 = INTERVAL_MS['4h'];
const M15 = INTERVAL_MS['15m'];
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-dl-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A context with no local data, downloading from `api` into `downloadDir` at the clock `clock.now`. */
function onlineContext(apiUrl: string, downloadDir: string, clock: { now: number }, marketDataDir: string | null = null): MarketDataContext {
  return { marketDataDir, downloadDir, binanceApiUrl: apiUrl, fgiApiUrl: apiUrl, now: () => clock.now };
}

async function load(context: MarketDataContext, timeframe: '4h' | '15m' = '4h') {
  return buildSeries(context, 'BTC', timeframe, await loadFgiSeries(context));
}

/** The real bars with open time in [from, to], without the newest (as the online series must be). */
function expectedBars(real: KlineColumns, from: number, to: number) {
  const times = [...real.openTime].filter((t) => t >= from && t <= to);
  times.pop();
  return times;
}

describe('online 4h series (one request per month)', () => {
  const real = realKlines('klines/BTCUSDT/4h/BTCUSDT_4h.csv');
  const T1 = Date.UTC(2025, 5, 15, 12); // 2025-06-15 12:00 UTC
  const clock = { now: T1 };
  let api: FakeApis;
  let downloadDir: string;
  let context: MarketDataContext;

  beforeAll(async () => {
    api = await startFakeApis({ symbol: 'BTCUSDT', interval: '4h', intervalMs: H4, klines: real, fgi: realFgi(), now: T1 });
    downloadDir = tempDir();
    context = onlineContext(api.url, downloadDir, clock);
  });
  afterAll(() => api.close());

  const klineRequests = () => api.requests.filter((r) => r.startsWith('/api/v3/klines'));
  const fgiRequests = () => api.requests.filter((r) => r.startsWith('/fng/'));

  it('first load downloads every month from 2018-02 and the full FGI history', async () => {
    const series = await load(context);
    // 2018-02 .. 2018-12 (11) + 2019 .. 2024 (72) + 2025-01 .. 2025-06 (6) = 89 months, ≤ 186 bars each.
    expect(klineRequests().length).toBe(89);
    expect(fgiRequests()).toEqual(['/fng/?limit=0&format=json']);
    expect(klineRequests()).toContain(
      `/api/v3/klines?symbol=BTCUSDT&interval=4h&startTime=${Date.UTC(2018, 1, 1)}&endTime=${Date.UTC(2018, 2, 1) - 1}&limit=1000`,
    );
    expect([...series.openTime]).toEqual(expectedBars(real, Date.UTC(2018, 1, 1), T1));
    expect(series.openTime[series.openTime.length - 1]).toBe(T1 - H4); // the 12:00 bar is still forming
    const i = series.openTime.indexOf(Date.UTC(2020, 2, 13));
    expect(series.low[i]).toBe(3782.13);
    expect(series.fgi[series.openTime.indexOf(Date.UTC(2020, 2, 15, 20))]).toBe(9); // closes 2020-03-16 00:00
    expect(series.gaps.length).toBe(8);
    const files = fs.readdirSync(path.join(downloadDir, 'klines/BTCUSDT/4h'));
    expect(files.length).toBe(89);
    expect(files[0]).toBe('2018-02.json');
    expect(fs.existsSync(path.join(downloadDir, 'fgi/fear-greed.json'))).toBe(true);
    expect(series.sources.length).toBe(90);
    expect(series.sources.at(-1)).toMatch(/fgi\/fear-greed\.json$/);
  });

  it('a second load makes zero requests, also an hour later', async () => {
    const before = api.requests.length;
    const again = await load(context);
    clock.now = T1 + 3_600_000;
    await load(context);
    expect(api.requests.length).toBe(before);
    expect(again.openTime.length).toBe(expectedBars(real, Date.UTC(2018, 1, 1), T1).length);
  });

  it('after 24 h refetches only the newest month and the newest FGI days', async () => {
    const before = api.requests.length;
    clock.now = api.now = T1 + 25 * 3_600_000; // 2025-06-16 13:00
    const series = await load(context);
    const made = api.requests.slice(before);
    expect(made.filter((r) => r.startsWith('/api/v3/klines'))).toEqual([
      `/api/v3/klines?symbol=BTCUSDT&interval=4h&startTime=${Date.UTC(2025, 5, 1)}&endTime=${Date.UTC(2025, 6, 1) - 1}&limit=1000`,
    ]);
    // Newest stored day 2025-06-15, now 2025-06-16 13:00: ceil(37 h / 24 h) + 1 = 3 days.
    expect(made.filter((r) => r.startsWith('/fng/'))).toEqual(['/fng/?limit=3&format=json']);
    expect(series.openTime[series.openTime.length - 1]).toBe(Date.UTC(2025, 5, 16, 8));
    expect(series.fgi[series.fgi.length - 1]).toBe(realFgi().value[realFgi().day.indexOf(Date.UTC(2025, 5, 16))]);
  });

  it('after the month ends fetches it once more (final) and the new month, then nothing', async () => {
    const before = api.requests.length;
    clock.now = api.now = Date.UTC(2025, 6, 1, 2); // 2025-07-01 02:00
    const series = await load(context);
    const months = api.requests.slice(before).filter((r) => r.startsWith('/api/v3/klines')).map((r) => new URL(r, 'http://x').searchParams.get('startTime'));
    expect(months.sort()).toEqual([String(Date.UTC(2025, 5, 1)), String(Date.UTC(2025, 6, 1))]);
    expect(series.openTime[series.openTime.length - 1]).toBe(Date.UTC(2025, 5, 30, 20)); // 07-01 00:00 is the newest, dropped
    const june = JSON.parse(fs.readFileSync(path.join(downloadDir, 'klines/BTCUSDT/4h/2025-06.json'), 'utf8'));
    expect(june).toMatchObject({ symbol: 'BTCUSDT', interval: '4h', month: '2025-06', fetchedAt: clock.now });
    expect(june.klines.length).toBe(30 * 6);
    const after = api.requests.length;
    clock.now = Date.UTC(2025, 6, 1, 3);
    await load(context);
    expect(api.requests.length).toBe(after);
  });

  it('keeps the stale newest month when its refresh fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    clock.now = api.now = Date.UTC(2025, 6, 3);
    api.failWith = { status: 500, msg: 'down' };
    try {
      const series = await load(context);
      expect(series.openTime[series.openTime.length - 1]).toBe(Date.UTC(2025, 5, 30, 20));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('keeping stale'));
    } finally {
      api.failWith = undefined;
      warn.mockRestore();
    }
  });
});

describe('online 15m series (paged requests, trailing 365 days)', () => {
  it('downloads whole months from the month of now − 365 days, 1,000 bars per request', async () => {
    const real = realKlines('klines/BTCUSDT/15m/BTC_USDT-15m.csv');
    const now = Date.UTC(2025, 10, 30, 12); // 2025-11-30 12:00
    const api = await startFakeApis({ symbol: 'BTCUSDT', interval: '15m', intervalMs: M15, klines: real, fgi: realFgi(), now });
    try {
      const context = onlineContext(api.url, tempDir(), { now });
      const series = await load(context, '15m');
      const months = onlineHistoryMonths('15m', now);
      expect(monthLabel(months[0])).toBe('2024-11'); // now − 365 days = 2024-11-30
      expect(months.length).toBe(13);
      // Per month: floor(bars / 1000) + 1 requests (the last page is the one with < 1,000 rows).
      const perMonth = months.map((m) => {
        const bars = [...real.openTime].filter((t) => t >= m && t < nextMonthStart(m) && t <= now).length;
        return Math.floor(bars / 1000) + 1;
      });
      expect(perMonth[0]).toBe(1); // 2024-11: no data yet, one empty answer
      expect(api.requests.filter((r) => r.startsWith('/api/v3/klines')).length).toBe(perMonth.reduce((a, b) => a + b, 0));
      expect([...series.openTime]).toEqual(expectedBars(real, months[0], now));
      expect(series.gaps).toEqual([]);
    } finally {
      await api.close();
    }
  });
});

describe('download failures', () => {
  it('a network failure says what is missing and how to supply local data', async () => {
    const closedUrl = await closedPortUrl();
    const context = onlineContext(closedUrl, tempDir(), { now: Date.UTC(2025, 5, 15) });
    const fgiError = await loadFgiSeries(context).catch((e: unknown) => e);
    expect(fgiError).toBeInstanceOf(MarketDataError);
    expect((fgiError as Error).message).toMatch(/^No Fear & Greed Index: there is no local market-data folder/);
    expect((fgiError as Error).message).toContain('ECONNREFUSED');
    expect((fgiError as Error).message).toContain('MARKET_DATA_DIR to a folder in the SOURCES.md layout');

    const localDir = tempDir();
    const fgi = { day: new Float64Array(0), value: new Float64Array(0), sources: [] };
    const klineError = await buildSeries(onlineContext(closedUrl, tempDir(), { now: Date.UTC(2025, 5, 15) }, localDir), 'BTC', '4h', fgi).catch((e: unknown) => e);
    expect(klineError).toBeInstanceOf(MarketDataError);
    const message = (klineError as Error).message;
    expect(message).toContain(`No BTCUSDT 4h klines: there is no klines/BTCUSDT/4h/*.csv in ${localDir}`);
    expect(message).toContain(`GET ${closedUrl}/api/v3/klines?symbol=BTCUSDT&interval=4h`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('setting MARKET_DATA_DIR to a folder in the SOURCES.md layout (klines/BTCUSDT/4h/*.csv');
  });

  it('an API error answer is reported with its status and message', async () => {
    const api = await startFakeApis({ symbol: 'ETHUSDT', interval: '4h', intervalMs: H4, klines: realKlines('klines/ETHUSDT/4h/ETHUSDT_4h.csv'), fgi: realFgi(), now: Date.UTC(2025, 5, 15) });
    try {
      const fgi = { day: new Float64Array(0), value: new Float64Array(0), sources: [] };
      // The fake only knows ETHUSDT: asking for BTCUSDT gets Binance's 400 "Invalid symbol.".
      const error = await buildSeries(onlineContext(api.url, tempDir(), { now: Date.UTC(2025, 5, 15) }), 'BTC', '4h', fgi).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MarketDataError);
      expect((error as Error).message).toContain('HTTP 400');
      expect((error as Error).message).toContain('Invalid symbol.');
    } finally {
      await api.close();
    }
  });
});

describe('online funding (no local funding files)', () => {
  const real = realKlines('klines/BTCUSDT/4h/BTCUSDT_4h.csv');
  const funding = realFunding('funding/BTCUSDT/BTCUSDT_funding.csv');
  const T1 = Date.UTC(2025, 5, 15, 12); // 2025-06-15 12:00 UTC
  const clock = { now: T1 };
  let api: FakeApis;
  let downloadDir: string;
  let context: MarketDataContext;
  const fundingRequests = () => api.requests.filter((r) => r.startsWith('/fapi/v1/fundingRate'));
  /** The real settlements up to `now`, as the funding column of `series` must show them. */
  const expectedColumn = (openTime: Float64Array, now: number) => {
    const keep = [...funding.time].filter((t) => t <= now).length;
    return fundingColumn(openTime, H4, { time: funding.time.slice(0, keep), rate: funding.rate.slice(0, keep) });
  };

  beforeAll(async () => {
    api = await startFakeApis({ symbol: 'BTCUSDT', interval: '4h', intervalMs: H4, klines: real, fgi: realFgi(), funding, now: T1 });
    downloadDir = tempDir();
    context = { ...onlineContext(api.url, downloadDir, clock), binanceFuturesApiUrl: api.url };
  });
  afterAll(() => api.close());

  it('first load pages the history from 2018-02-01 by 1,000 settlements and fills fundingRate', async () => {
    const series = await load(context);
    // Settlements 2019-09-10 08:00 .. 2025-06-15 08:00 every 8 h: 2,105 days × 3 + 1 = 6,316 of
    // them, so six pages of 1,000 and one of 316: 7 requests.
    const settled = [...funding.time].filter((t) => t <= T1).length;
    expect(settled).toBe(6316);
    expect(fundingRequests().length).toBe(7);
    expect(fundingRequests()[0]).toBe(`/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=${Date.UTC(2018, 1, 1)}&limit=1000`);
    expect([...series.fundingRate]).toEqual([...expectedColumn(series.openTime, T1)]);
    // The 2020-03-13 04:00 bar closes at 08:00 and holds the −0.3 % settlement (SOURCES.md §4).
    expect(series.fundingRate[series.openTime.indexOf(Date.UTC(2020, 2, 13, 4))]).toBe(-0.003);
    expect(Number.isNaN(series.fundingRate[series.openTime.indexOf(Date.UTC(2019, 8, 10))])).toBe(true); // before the contract
    expect(series.sources).toContain(path.relative(process.cwd(), path.join(downloadDir, 'funding/BTCUSDT.json')));
    const stored = JSON.parse(fs.readFileSync(path.join(downloadDir, 'funding/BTCUSDT.json'), 'utf8'));
    expect(stored).toMatchObject({ symbol: 'BTCUSDT', fetchedAt: T1 });
    expect(stored.rows.length).toBe(6316);
  });

  it('a second load an hour later makes no funding request', async () => {
    const before = fundingRequests().length;
    clock.now = T1 + 3_600_000;
    await load(context);
    expect(fundingRequests().length).toBe(before);
  });

  it('after 24 h fetches only the settlements after the newest stored one', async () => {
    const before = fundingRequests().length;
    clock.now = api.now = T1 + 25 * 3_600_000; // 2025-06-16 13:00
    const stored = JSON.parse(fs.readFileSync(path.join(downloadDir, 'funding/BTCUSDT.json'), 'utf8'));
    const newest = stored.rows.at(-1).fundingTime as number;
    const series = await load(context);
    expect(fundingRequests().slice(before)).toEqual([`/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=${newest + 1}&limit=1000`]);
    // New: 2025-06-15 16:00, 06-16 00:00 and 08:00.
    expect(JSON.parse(fs.readFileSync(path.join(downloadDir, 'funding/BTCUSDT.json'), 'utf8')).rows.length).toBe(6319);
    expect([...series.fundingRate]).toEqual([...expectedColumn(series.openTime, clock.now)]);
  });

  it('an unreachable funding API is not an error: the column stays NaN', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const offline = { ...onlineContext(api.url, tempDir(), { now: T1 }), binanceFuturesApiUrl: await closedPortUrl() };
      const series = await load(offline);
      expect(series.openTime.length).toBeGreaterThan(10_000);
      expect(series.fundingRate.every(Number.isNaN)).toBe(true);
      expect(series.sources.some((f) => f.includes('funding'))).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('no funding history for BTCUSDT, using the fixed rate'));
    } finally {
      warn.mockRestore();
    }
  });
});

describe('a hostile download folder', () => {
  it('replaces a link planted as a download, never writes through it or through a linked folder', async () => {
    const real = realKlines('klines/BTCUSDT/4h/BTCUSDT_4h.csv');
    const now = Date.UTC(2018, 3, 10);
    const api = await startFakeApis({ symbol: 'BTCUSDT', interval: '4h', intervalMs: H4, klines: real, fgi: realFgi(), now });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const downloadDir = tempDir();
      const outside = tempDir();
      const precious = path.join(outside, 'precious.json');
      fs.writeFileSync(precious, 'keep me');
      // A month file that is a link to a file outside, and the FGI folder a link to a folder outside.
      fs.mkdirSync(path.join(downloadDir, 'klines/BTCUSDT/4h'), { recursive: true });
      const month = path.join(downloadDir, 'klines/BTCUSDT/4h/2018-02.json');
      fs.symlinkSync(precious, month);
      fs.symlinkSync(outside, path.join(downloadDir, 'fgi'));
      const series = await load(onlineContext(api.url, downloadDir, { now }));
      expect(series.openTime[0]).toBe(Date.UTC(2018, 1, 1));
      expect(fs.readFileSync(precious, 'utf8')).toBe('keep me');
      expect(fs.readdirSync(outside)).toEqual(['precious.json']);
      expect(fs.lstatSync(month).isFile()).toBe(true);
      expect(JSON.parse(fs.readFileSync(month, 'utf8')).klines.length).toBeGreaterThan(100);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not stored .*fear-greed\.json: refusing .*fgi: a symbolic link/));
    } finally {
      warn.mockRestore();
      await api.close();
    }
  });
});
