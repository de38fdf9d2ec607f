/**
 * FREQTRADE_DATA_DIR (SPEC §2): freqtrade's spot candles `{BASE}_USDT-{tf}.feather` (and the
 * `spot/` copies) merged with the CSV candles, and its funding files
 * `futures/{BASE}_USDT_USDT-{8h,1h}-funding_rate.feather`, on small Feather files written here
 * with apache-arrow (uncompressed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TimeUnit } from 'apache-arrow';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MarketDataError } from '@/lib/errors';
import { contextFromEnv, type MarketDataContext } from '@/lib/market-data/context';
import { buildSeries } from '@/lib/market-data/series';
import { featherFile } from './feather-fixture';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

function dataDir(files: Record<string, string | Uint8Array>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-freqtrade-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00Z`);
const H4 = 4 * 3_600_000;
const NO_FGI = { day: new Float64Array(0), value: new Float64Array(0), sources: [] };

/** Freqtrade candles: bar k opens at `from` + k × 4 h with open = close = `price(k)`, high +1, low −1, volume 10. */
function candles(from: string, count: number, price: (k: number) => number, unit?: TimeUnit): Uint8Array {
  const k = Array.from({ length: count }, (_, i) => i);
  return featherFile(
    k.map((i) => utc(from) + i * H4),
    { open: k.map(price), high: k.map((i) => price(i) + 1), low: k.map((i) => price(i) - 1), close: k.map(price), volume: k.map(() => 10) },
    unit,
  );
}

function context(marketDataDir: string | null, freqtradeDataDir: string): MarketDataContext {
  const downloadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-freqtrade-dl-'));
  roots.push(downloadDir);
  return { marketDataDir, freqtradeDataDir, downloadDir, binanceApiUrl: 'http://127.0.0.1:9', fgiApiUrl: 'http://127.0.0.1:9', now: Date.now };
}

// Three CSV bars 2024-01-01 00:00, 04:00, 08:00 at 100, 101, 102.
const CSV = 'timestamp,open,high,low,close,volume\r\n2024-01-01 00:00:00,100,101,99,100,5\r\n2024-01-01 04:00:00,101,102,100,101,5\r\n2024-01-01 08:00:00,102,103,101,102,5\r\n';

describe('freqtrade candles beside the CSVs', () => {
  it('a freqtrade file that ends later extends the series; the CSV wins where both have a bar', async () => {
    const csvDir = dataDir({ 'klines/ETHUSDT/4h/ETHUSDT_4h.csv': CSV });
    // Freqtrade: 2024-01-01 04:00 .. 20:00 (5 bars) at 200 + k: 04:00 and 08:00 conflict with the CSV.
    const ft = dataDir({ 'ETH_USDT-4h.feather': candles('2024-01-01 04:00', 5, (k) => 200 + k) });
    const s = await buildSeries(context(csvDir, ft), 'ETH', '4h', NO_FGI, null);
    // Merged 00:00 .. 20:00 = 6 bars, minus the newest (20:00) = 5.
    expect([...s.openTime]).toEqual(['00:00', '04:00', '08:00', '12:00', '16:00'].map((t) => utc(`2024-01-01 ${t}`)));
    expect([...s.close]).toEqual([100, 101, 102, 202, 203]); // 12:00 is k = 2, 16:00 k = 3
    expect(s.sources).toEqual(['klines/ETHUSDT/4h/ETHUSDT_4h.csv', 'freqtrade:ETH_USDT-4h.feather']);
  });

  it('reads the spot/ copy too (the top-level file wins), with ms timestamps', async () => {
    const ft = dataDir({
      'ETH_USDT-4h.feather': candles('2024-01-01 00:00', 2, (k) => 300 + k, TimeUnit.MILLISECOND),
      'spot/ETH_USDT-4h.feather': candles('2024-01-01 00:00', 4, (k) => 400 + k, TimeUnit.MILLISECOND),
    });
    const s = await buildSeries(context(null, ft), 'ETH', '4h', NO_FGI, null);
    expect([...s.close]).toEqual([300, 301, 402]); // 4 bars, newest dropped
    expect(s.sources).toEqual(['freqtrade:ETH_USDT-4h.feather', 'freqtrade:spot/ETH_USDT-4h.feather']);
    expect(s.fundingRate.every(Number.isNaN)).toBe(true); // no funding anywhere (and no futures URL)
  });

  it('names a freqtrade candle file with an impossible bar', async () => {
    const ft = dataDir({ 'SOL_USDT-4h.feather': candles('2024-01-01 00:00', 2, (k) => (k === 1 ? -5 : 10)) });
    const error = await buildSeries(context(null, ft), 'SOL', '4h', NO_FGI, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketDataError);
    expect((error as Error).message).toBe('Malformed market data in freqtrade:SOL_USDT-4h.feather, line 2: prices must be greater than 0');
  });
});

describe('freqtrade funding', () => {
  it('futures/{BASE}_USDT_USDT-8h-funding_rate.feather fills fundingRate, merged with funding/{SYMBOL}/ files', async () => {
    const csvDir = dataDir({
      'klines/ETHUSDT/4h/ETHUSDT_4h.csv': CSV,
      // The CSV has 2024-01-01 00:00 and a different rate at 08:00: it wins there (conflict 1).
      'funding/ETHUSDT/rest.csv': 'fundingTime,symbol,fundingRate,markPrice\n1704067200000,ETHUSDT,0.0001,1\n1704096000000,ETHUSDT,0.0009,1\n',
    });
    const ft = dataDir({
      'ETH_USDT-4h.feather': candles('2024-01-01 00:00', 5, (k) => 100 + k),
      // freqtrade's rows: date, open = rate, high/low/close/volume 0; times a few ms late.
      'futures/ETH_USDT_USDT-8h-funding_rate.feather': featherFile(
        [utc('2024-01-01 00:00') + 3, utc('2024-01-01 08:00') + 2, utc('2024-01-01 16:00') + 1],
        { open: [0.0001, -0.0004, 0.0005], high: [0, 0, 0], low: [0, 0, 0], close: [0, 0, 0], volume: [0, 0, 0] },
      ),
    });
    const s = await buildSeries(context(csvDir, ft), 'ETH', '4h', NO_FGI);
    // Bars 00:00 .. 12:00 (16:00 is the newest, dropped). (00:00, 04:00]: 00:00 covers → 0;
    // (04:00, 08:00] → 0.0009 (CSV over Feather); (08:00, 12:00] → 0; (12:00, 16:00] → 0.0005.
    expect([...s.fundingRate]).toEqual([0, 0.0009, 0, 0.0005]);
    expect(s.sources).toEqual([
      'klines/ETHUSDT/4h/ETHUSDT_4h.csv',
      'freqtrade:ETH_USDT-4h.feather',
      'funding/ETHUSDT/rest.csv',
      'freqtrade:futures/ETH_USDT_USDT-8h-funding_rate.feather',
    ]);
  });
});

describe('environment', () => {
  const saved = process.env.FREQTRADE_DATA_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.FREQTRADE_DATA_DIR;
    else process.env.FREQTRADE_DATA_DIR = saved;
  });

  it('FREQTRADE_DATA_DIR is resolved to an absolute folder; unset means none', () => {
    process.env.FREQTRADE_DATA_DIR = 'user_data/data/binance';
    expect(contextFromEnv().freqtradeDataDir).toBe(path.resolve('user_data/data/binance'));
    delete process.env.FREQTRADE_DATA_DIR;
    expect(contextFromEnv().freqtradeDataDir).toBeNull();
  });
});
