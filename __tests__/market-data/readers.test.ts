/**
 * The CSV readers on small fixture files written to a temp folder in the SOURCES.md layout.
 * Fixture rows are copied from the real files (SOURCES.md shows where).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MarketDataError } from '@/lib/errors';
import { numberField, parseUtcTime } from '@/lib/market-data/csv';
import { readLocalFgi } from '@/lib/market-data/fgi';
import { readLocalKlineFiles } from '@/lib/market-data/klines';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

/** A temp market-data folder holding `files` (relative path → content). */
function dataDir(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-md-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const lines = (rows: string[], eol: string) => rows.join(eol) + eol;
const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);

// BTCUSDT-1h-2018-01.csv, first two rows (open_time in ms).
const NATIVE_MS = [
  '1514764800000,13715.65000000,13715.65000000,13400.01000000,13529.01000000,443.35619900,1514768399999,5993909.83603800,5228,228.52192100,3090541.10576900,0',
  '1514768400000,13528.99000000,13595.89000000,13155.38000000,13203.06000000,383.69700600,1514771999999,5154521.55513544,4534,180.84040300,2430449.40000000,0',
];
// BTCUSDT-1h-2025-01.csv, first two rows (open_time in µs).
const NATIVE_US = [
  '1735689600000000,93576.00000000,94509.42000000,93489.03000000,94401.14000000,755.99010000,1735693199999999,71068810.55946380,93525,421.08319000,39596700.00000000,0',
  '1735693200000000,94401.13000000,94408.72000000,93578.77000000,93607.74000000,586.53456000,1735696799999999,55096606.90660080,79943,257.40000000,24100000.00000000,0',
];
// BTCUSDT_4h.csv, first two rows, with each time column name the folder uses.
const SIX_COLUMN_ROWS = ['2017-08-17 04:00:00,4261.48,4349.99,4261.32,4349.99,82.088865', '2017-08-17 08:00:00,4333.32,4485.39,4333.32,4427.3,63.619882'];

describe('native 12-column Binance dumps', () => {
  it('reads open_time in ms', async () => {
    const root = dataDir({ 'klines/BTCUSDT/1h/BTCUSDT-1h-2018-01.csv': lines(NATIVE_MS, '\n') });
    const read = (await readLocalKlineFiles(root, 'BTCUSDT', '1h'))!;
    expect(read.sources).toEqual(['klines/BTCUSDT/1h/BTCUSDT-1h-2018-01.csv']);
    const k = read.klines[0];
    expect([...k.openTime]).toEqual([1514764800000, 1514768400000]);
    expect([k.open[0], k.high[0], k.low[0], k.close[0], k.volume[0]]).toEqual([13715.65, 13715.65, 13400.01, 13529.01, 443.356199]);
  });

  it('reads open_time in µs (values above 1e15) as ms', async () => {
    const root = dataDir({ 'klines/BTCUSDT/1h/BTCUSDT-1h-2025-01.csv': lines(NATIVE_US, '\n') });
    const k = (await readLocalKlineFiles(root, 'BTCUSDT', '1h'))!.klines[0];
    expect([...k.openTime]).toEqual([utc('2025-01-01 00:00:00'), utc('2025-01-01 01:00:00')]);
    expect(k.close[1]).toBe(93607.74);
  });

  it('accepts CRLF and a missing final newline', async () => {
    const root = dataDir({ 'klines/BTCUSDT/1h/a.csv': NATIVE_MS.join('\r\n') });
    const k = (await readLocalKlineFiles(root, 'BTCUSDT', '1h'))!.klines[0];
    expect(k.openTime.length).toBe(2);
    expect(k.volume[1]).toBe(383.697006);
  });
});

describe.each([
  { header: 'timestamp,open,high,low,close,volume', suffix: '' },
  { header: 'time,open,high,low,close,volume', suffix: '' },
  { header: 'date,open,high,low,close,volume', suffix: '+00:00' },
  { header: 'date,open,high,low,close,volume', suffix: '' },
])('6-column CSV with header "$header" and time suffix "$suffix"', ({ header, suffix }) => {
  const rows = SIX_COLUMN_ROWS.map((row) => row.replace(',', `${suffix},`));
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('%s', async (_name, eol) => {
    const root = dataDir({ 'klines/BTCUSDT/4h/BTCUSDT_4h.csv': lines([header, ...rows], eol) });
    const k = (await readLocalKlineFiles(root, 'BTCUSDT', '4h'))!.klines[0];
    expect([...k.openTime]).toEqual([1502942400000, 1502956800000]);
    expect([...k.open]).toEqual([4261.48, 4333.32]);
    expect([...k.high]).toEqual([4349.99, 4485.39]);
    expect([...k.low]).toEqual([4261.32, 4333.32]);
    expect([...k.close]).toEqual([4349.99, 4427.3]);
    expect([...k.volume]).toEqual([82.088865, 63.619882]);
  });
});

it('a date-only time (the 1d files) is 00:00 UTC', async () => {
  const root = dataDir({ 'klines/BTCUSDT/4h/d.csv': 'timestamp,open,high,low,close,volume\r\n2017-08-17,4261.48,4485.39,4200.74,4285.08,795.150377\r\n' });
  const k = (await readLocalKlineFiles(root, 'BTCUSDT', '4h'))!.klines[0];
  expect(k.openTime[0]).toBe(utc('2017-08-17 00:00:00'));
});

it('a missing folder or a folder without CSV files means no local data', async () => {
  const root = dataDir({ 'klines/BTCUSDT/4h/readme.txt': 'x' });
  expect(await readLocalKlineFiles(root, 'BTCUSDT', '4h')).toBeNull();
  expect(await readLocalKlineFiles(root, 'ETHUSDT', '4h')).toBeNull();
});

it('orders files: native 12-column dumps first, then 6-column CSVs, each by name', async () => {
  const root = dataDir({
    'klines/SOLUSDT/1h/SOLUSDT_1h.csv': 'timestamp,open,high,low,close,volume\n2024-01-01 00:00:00,1,2,0.5,1.5,10\n',
    'klines/SOLUSDT/1h/SOLUSDT-1h-2025-01.csv': lines(NATIVE_US, '\n'),
    'klines/SOLUSDT/1h/SOLUSDT-1h-2024-01.csv': lines(NATIVE_MS, '\n'),
  });
  const read = (await readLocalKlineFiles(root, 'SOLUSDT', '1h'))!;
  expect(read.sources).toEqual([
    'klines/SOLUSDT/1h/SOLUSDT-1h-2024-01.csv',
    'klines/SOLUSDT/1h/SOLUSDT-1h-2025-01.csv',
    'klines/SOLUSDT/1h/SOLUSDT_1h.csv',
  ]);
});

describe('FGI CSVs', () => {
  const PRIMARY = ['date,fear_greed_value,classification', '2018-02-01,30,Fear', '2018-02-02,15,Extreme Fear', '2018-02-04,24,Extreme Fear'];
  const EXTENDED = [
    'date,score,rating',
    '2018-02-01,31,Fear', // conflicts with the primary: the primary wins
    '2018-02-03,40,Fear', // in-fill of a day the primary lacks: not used
    '2018-02-04,24,Extreme Fear',
    '2018-02-05,71.0,Greed', // after the primary's last day: added, decimal score
    '2018-02-07,72.5,Greed',
  ];

  it('reads date,fear_greed_value,classification (LF)', async () => {
    const root = dataDir({ 'fgi/crypto_fear_greed.csv': lines(PRIMARY, '\n') });
    const fgi = (await readLocalFgi(root))!;
    expect([...fgi.day]).toEqual(['2018-02-01', '2018-02-02', '2018-02-04'].map((d) => utc(`${d} 00:00:00`)));
    expect([...fgi.value]).toEqual([30, 15, 24]);
    expect(fgi.sources).toEqual(['fgi/crypto_fear_greed.csv']);
  });

  it('reads date,score,rating (CRLF) with decimal scores', async () => {
    const root = dataDir({ 'fgi/crypto_fear_greed_extended.csv': lines(EXTENDED, '\r\n') });
    const fgi = (await readLocalFgi(root))!;
    expect([...fgi.value]).toEqual([31, 40, 24, 71, 72.5]);
  });

  it('uses the primary file up to its last day; the extended file only adds later days', async () => {
    const root = dataDir({
      'fgi/crypto_fear_greed.csv': lines(PRIMARY, '\n'),
      'fgi/crypto_fear_greed_extended.csv': lines(EXTENDED, '\r\n'),
    });
    const fgi = (await readLocalFgi(root))!;
    const days = [...fgi.day].map((d) => new Date(d).toISOString().slice(0, 10));
    expect(days).toEqual(['2018-02-01', '2018-02-02', '2018-02-04', '2018-02-05', '2018-02-07']);
    expect([...fgi.value]).toEqual([30, 15, 24, 71, 72.5]);
  });

  it('no FGI file means no local FGI', async () => {
    expect(await readLocalFgi(dataDir({}))).toBeNull();
  });
});

describe('malformed lines throw MarketDataError naming file and line', () => {
  const HEADER6 = 'timestamp,open,high,low,close,volume';
  it.each([
    ['12-col, 11 columns', 'klines/BTCUSDT/1h/x.csv', [NATIVE_MS[0], NATIVE_MS[1].replace(/,0$/, '')], 2, 'expected 12 columns'],
    ['12-col, decimal comma', 'klines/BTCUSDT/1h/x.csv', [NATIVE_MS[0], NATIVE_MS[1].replace('13528.99000000', '13528,99')], 2, 'expected 12 columns'],
    ['12-col, empty price', 'klines/BTCUSDT/1h/x.csv', [NATIVE_MS[0].replace('13400.01000000', '')], 1, 'low is not a number'],
    ['12-col, text price', 'klines/BTCUSDT/1h/x.csv', [NATIVE_MS[0], NATIVE_MS[1].replace('13203.06000000', 'abc')], 2, 'close is not a number: "abc"'],
    ['12-col, time going back', 'klines/BTCUSDT/1h/x.csv', [NATIVE_MS[1], NATIVE_MS[0]], 2, 'open_time is not after the previous line'],
    ['6-col, unknown header', 'klines/BTCUSDT/4h/x.csv', ['ts,open,high,low,close,volume', SIX_COLUMN_ROWS[0]], 1, 'unrecognised header'],
    ['6-col, bad time', 'klines/BTCUSDT/4h/x.csv', [HEADER6, SIX_COLUMN_ROWS[0], '2017-08-17 8:00:00,4333.32,4485.39,4333.32,4427.3,63.6'], 3, 'time is not a UTC'],
    ['6-col, non-UTC offset', 'klines/BTCUSDT/4h/x.csv', [HEADER6, '2017-08-17 04:00:00+02:00,4261.48,4349.99,4261.32,4349.99,82.08'], 2, 'time is not a UTC'],
    ['6-col, impossible day', 'klines/BTCUSDT/4h/x.csv', [HEADER6, '2017-02-30 04:00:00,4261.48,4349.99,4261.32,4349.99,82.08'], 2, 'time is not a UTC'],
    ['6-col, low above high', 'klines/BTCUSDT/4h/x.csv', [HEADER6, '2017-08-17 04:00:00,4261.48,4261.32,4349.99,4349.99,82.08'], 2, 'low 4349.99 is above high 4261.32'],
    ['6-col, 7 columns', 'klines/BTCUSDT/4h/x.csv', [HEADER6, `${SIX_COLUMN_ROWS[0]},1`], 2, 'expected 6 columns, found 7'],
    ['6-col, negative volume', 'klines/BTCUSDT/4h/x.csv', [HEADER6, SIX_COLUMN_ROWS[0].replace('82.088865', '-1')], 2, 'volume must not be negative'],
  ])('%s', async (_name, rel, rows, line, problem) => {
    const root = dataDir({ [rel]: lines(rows, '\r\n') });
    const [, symbol, interval] = rel.split('/');
    const error = await readLocalKlineFiles(root, symbol, interval as '1h' | '4h').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketDataError);
    expect((error as Error).message).toContain(`${rel}, line ${line}: ${problem}`);
  });

  it.each([
    ['unknown header', ['date,value'], 1, 'unrecognised header'],
    ['value above 100', ['date,score,rating', '2018-02-01,101,Extreme Greed'], 2, 'value 101 is outside 0..100'],
    ['value not a number', ['date,score,rating', '2018-02-01,71.0,Greed', '2018-02-02,n/a,Greed'], 3, 'value is not a number: "n/a"'],
    ['date with a time', ['date,score,rating', '2018-02-01 12:00:00,71,Greed'], 2, 'date is not a day'],
    ['repeated day', ['date,score,rating', '2018-02-01,71,Greed', '2018-02-01,71,Greed'], 3, 'date is not after the previous line'],
    ['missing label column', ['date,score,rating', '2018-02-01,71'], 2, 'expected 3 columns, found 2'],
  ])('FGI: %s', async (_name, rows, line, problem) => {
    const root = dataDir({ 'fgi/crypto_fear_greed_extended.csv': lines(rows, '\n') });
    const error = await readLocalFgi(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketDataError);
    expect((error as Error).message).toContain(`fgi/crypto_fear_greed_extended.csv, line ${line}: ${problem}`);
  });
});

describe('number and time fields', () => {
  it('decimal fields parse exactly as Number() does', () => {
    for (const s of ['0', '0.1', '13715.65000000', '71.0', '1735689600000000', '0.00000001', '999999999999999.9', '1e5', ' 42']) {
      expect(numberField(s, 0, s.length, 'x', 'f', 1)).toBe(Number(s));
    }
  });

  it('UTC times accept a T separator, Z and +00:00, and reject other offsets', () => {
    const at = (s: string) => parseUtcTime(s, 0, s.length);
    const want = Date.UTC(2024, 11, 5, 0, 15);
    expect([at('2024-12-05 00:15:00'), at('2024-12-05T00:15:00Z'), at('2024-12-05 00:15:00+00:00')]).toEqual([want, want, want]);
    expect(at('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2023-02-29', '2024-12-05 24:00:00', '2024-12-05 00:15:00+01:00', '2024-12-05 00:15', '05/12/2024']) {
      expect(at(bad)).toBeNaN();
    }
  });
});
