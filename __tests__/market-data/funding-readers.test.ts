/**
 * The funding readers on small fixture files (each layout of SOURCES.md §4 plus Binance's monthly
 * archive), minute rounding, quoting, CRLF, malformed lines; the merge with its precedence and
 * conflict count; and the per-bar column on hand-computed cases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromArrays, tableToIPC, TimeUnit } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { MarketDataError } from '@/lib/errors';
import { fundingColumn, fundingGaps, mergeFunding, parseFundingFile, readLocalFunding } from '@/lib/market-data/funding';
import { featherFile } from './feather-fixture';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

/** A temp market-data folder holding `files` (relative path → content). */
function dataDir(files: Record<string, string | Uint8Array>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-funding-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00Z`);
const H = 3_600_000;
const parse = (text: string | Uint8Array, file = 'funding/BTCUSDT/x.csv') =>
  parseFundingFile(typeof text === 'string' ? Buffer.from(text) : text, file);
const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MarketDataError);
    return (e as Error).message;
  }
  throw new Error('expected a MarketDataError');
};

describe('CSV layouts (detected from the header)', () => {
  it('funding_time,date,funding_rate,mark_price (BTCUSDT_funding.csv; empty mark price on early rows)', () => {
    const { layout, settlements } = parse(
      'funding_time,date,funding_rate,mark_price\n1568102400000,2019-09-10 08:00:00,0.00010000,\n1584086400000,2020-03-13 08:00:00,-0.00300000,5618.51000000\n',
    );
    expect(layout).toBe('funding-time');
    expect([...settlements.time]).toEqual([utc('2019-09-10 08:00'), utc('2020-03-13 08:00')]);
    expect([...settlements.rate]).toEqual([0.0001, -0.003]);
  });

  it('funding_time_ms,funding_rate with quoted rates, times a few ms late rounded to the minute (SOLUSDT.csv)', () => {
    const { layout, settlements } = parse('funding_time_ms,funding_rate\n1600012800004,"0.00010000"\n1600041600018,"-0.00012345"\n');
    expect(layout).toBe('funding-time-ms');
    expect([...settlements.time]).toEqual([1600012800000, 1600041600000]);
    expect([...settlements.rate]).toEqual([0.0001, -0.00012345]);
  });

  it('fundingTime,symbol,fundingRate,markPrice (the REST response as CSV)', () => {
    const { layout, settlements } = parse('fundingTime,symbol,fundingRate,markPrice\n1704067200000,ETHUSDT,0.00037409,2281.87000000\n');
    expect(layout).toBe('binance-rest');
    expect([...settlements.time]).toEqual([utc('2024-01-01 00:00')]);
    expect([...settlements.rate]).toEqual([0.00037409]);
  });

  it('calc_time,funding_interval_hours,last_funding_rate (data.binance.vision monthly archive)', () => {
    const { layout, settlements } = parse('calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,0.00037409\n1704096000001,8,0.00010000\n');
    expect(layout).toBe('binance-archive');
    expect([...settlements.time]).toEqual([utc('2024-01-01 00:00'), utc('2024-01-01 08:00')]);
    expect([...settlements.rate]).toEqual([0.00037409, 0.0001]);
  });

  it('reads CRLF, a BOM, a quoted header, blank lines, µs times and no final newline', () => {
    const { settlements } = parse('\ufeff"fundingTime","symbol","fundingRate","markPrice"\r\n1704067200000000,ETHUSDT,"0.0001",1\r\n\r\n1704096000000,ETHUSDT,-0.0002,1');
    expect([...settlements.time]).toEqual([utc('2024-01-01 00:00'), utc('2024-01-01 08:00')]);
    expect([...settlements.rate]).toEqual([0.0001, -0.0002]);
  });

  it('rounds to the nearest minute: +29.999 s down, +30 s up', () => {
    const base = utc('2024-01-01 08:00');
    const { settlements } = parse(`funding_time_ms,funding_rate\n${base + 29_999},0.0001\n${base + 8 * H + 30_000},0.0001\n`);
    expect([...settlements.time]).toEqual([base, base + 8 * H + 60_000]);
  });

  it('the layout comes from the content, not the file name', () => {
    expect(parse('funding_time_ms,funding_rate\n1600012800004,"0.0001"\n', 'funding/SOLUSDT/looks-like.feather').layout).toBe('funding-time-ms');
    const feather = featherFile([utc('2024-01-01 00:00')], { open: [0.0001], high: [0], low: [0], close: [0], volume: [0] });
    expect(parse(feather, 'funding/SOLUSDT/looks-like.csv').layout).toBe('feather');
  });
});

describe('malformed funding files name the file and the line', () => {
  const header = 'funding_time_ms,funding_rate\n';
  it.each([
    ['an unknown header', 'time,rate\n1,2\n', 'line 1: unrecognised funding header "time,rate"'],
    ['a wrong column count', `${header}1600012800004,"0.0001"\n1600041600000,0.0001,7\n`, 'line 3: expected 2 columns, found 3'],
    ['a rate that is not a number', `${header}1600012800004,abc\n`, 'line 2: rate is not a number: "abc"'],
    ['an empty rate', `${header}1600012800004,""\n`, 'line 2: rate is not a number: ""'],
    ['a time that is not a number', `${header}2020-09-13,0.0001\n`, 'line 2: time is not a number'],
    ['a fractional time', `${header}1600012800004.5,0.0001\n`, 'line 2: time is not a Unix time in ms'],
    ['a rate of 100 % or more', `${header}1600012800004,1.5\n`, 'line 2: rate 1.5 is not a fraction between -1 and 1'],
    ['a time not after the previous one', `${header}1600041600000,0.0001\n1600012800000,0.0001\n`, 'line 3: time (rounded to the minute) is not after the previous line'],
    ['two times in the same minute', `${header}1600012800000,0.0001\n1600012800004,0.0001\n`, 'line 3: time (rounded to the minute) is not after the previous line'],
    ['garbage', `${header}\u0000\u0001binary,\n`, 'line 2: time is not a number'],
    ['an empty file', '', 'line 1: empty file'],
  ])('%s', (_name, text, message) => {
    expect(error(() => parse(text, 'funding/SOLUSDT/bad.csv'))).toContain(`Malformed market data in funding/SOLUSDT/bad.csv, ${message}`);
  });

  it('a truncated Feather file', () => {
    const feather = featherFile([utc('2024-01-01 00:00')], { open: [0.0001] });
    expect(error(() => parse(feather.slice(0, 40), 'funding/ETHUSDT/cut.feather'))).toMatch(/^Malformed market data in funding\/ETHUSDT\/cut\.feather: /);
  });

  it('a Feather file without the open column', () => {
    const feather = featherFile([utc('2024-01-01 00:00')], { close: [0.0001] });
    expect(error(() => parse(feather, 'f.feather'))).toBe('Malformed market data in f.feather: no "open" column');
  });

  it('a Feather file whose date column is not a timestamp', () => {
    const table = tableFromArrays({ date: Float64Array.from([1704067200000]), open: Float64Array.from([0.0001]) });
    expect(error(() => parse(tableToIPC(table, 'file'), 'f.feather'))).toBe('Malformed market data in f.feather: column "date" is Float64, expected a timestamp');
  });

  it('a Feather rate that is not finite, naming the row', () => {
    const feather = featherFile([utc('2024-01-01 00:00'), utc('2024-01-01 08:00')], { open: [0.0001, Number.NaN] });
    expect(error(() => parse(feather, 'f.feather'))).toBe('Malformed market data in f.feather, line 2: open is not a number');
  });
});

describe('Feather funding files (apache-arrow, uncompressed)', () => {
  it.each([TimeUnit.NANOSECOND, TimeUnit.MILLISECOND, TimeUnit.MICROSECOND])('reads date (unit %i) as the time and open as the rate', (unit) => {
    const dates = [utc('2022-11-10 04:00') + 6, utc('2022-11-10 06:00') + 1, utc('2022-11-10 08:00')];
    const feather = featherFile(dates, { open: [-0.02, -0.02, -0.0093], high: [0, 0, 0], low: [0, 0, 0], close: [0, 0, 0], volume: [0, 0, 0] }, unit);
    const { layout, settlements } = parse(feather, 'funding/SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather');
    expect(layout).toBe('feather');
    expect([...settlements.time]).toEqual([utc('2022-11-10 04:00'), utc('2022-11-10 06:00'), utc('2022-11-10 08:00')]);
    expect([...settlements.rate]).toEqual([-0.02, -0.02, -0.0093]);
  });
});

describe('merge', () => {
  const s = (pairs: Array<[string, number]>) => ({ time: Float64Array.from(pairs.map(([t]) => utc(t))), rate: Float64Array.from(pairs.map(([, r]) => r)) });

  it('drops equal duplicates, keeps the first source on a conflict and counts it', () => {
    const first = s([['2024-01-01 08:00', 0.0001], ['2024-01-01 16:00', 0.0002]]);
    const second = s([['2024-01-01 00:00', 0.0003], ['2024-01-01 08:00', 0.0001], ['2024-01-01 16:00', 0.0005], ['2024-01-02 00:00', 0.0004]]);
    const merged = mergeFunding([first, second]);
    expect([...merged.time]).toEqual(['2024-01-01 00:00', '2024-01-01 08:00', '2024-01-01 16:00', '2024-01-02 00:00'].map(utc));
    expect([...merged.rate]).toEqual([0.0003, 0.0001, 0.0002, 0.0004]);
    expect(merged.conflicts).toBe(1);
  });

  it('readLocalFunding reads every file of the folder: the archive outranks the REST CSV, which outranks the others', async () => {
    const root = dataDir({
      'funding/ETHUSDT/a.csv': 'funding_time_ms,funding_rate\n1704067200000,"0.0009"\n1704096000000,"0.0001"\n',
      'funding/ETHUSDT/z-rest.csv': 'fundingTime,symbol,fundingRate,markPrice\n1704067200003,ETHUSDT,0.0008,1\n1704096000000,ETHUSDT,0.0001,1\n1704124800000,ETHUSDT,0.0002,1\n',
      'funding/ETHUSDT/zz-archive.csv': 'calc_time,funding_interval_hours,last_funding_rate\r\n1704067200000,8,0.0007\r\n',
      'funding/BTCUSDT/other.csv': 'funding_time_ms,funding_rate\n1704067200000,"0.5"\n',
    });
    const h = (await readLocalFunding(root, 'ETHUSDT'))!;
    expect(h.sources).toEqual(['funding/ETHUSDT/zz-archive.csv', 'funding/ETHUSDT/z-rest.csv', 'funding/ETHUSDT/a.csv']);
    expect([...h.time]).toEqual([utc('2024-01-01 00:00'), utc('2024-01-01 08:00'), utc('2024-01-01 16:00')]);
    expect([...h.rate]).toEqual([0.0007, 0.0001, 0.0002]);
    expect(h.conflicts).toBe(1); // 00:00 has three different rates: one conflicting time
    expect(await readLocalFunding(root, 'SOLUSDT')).toBeNull();
  });

  it('readLocalFunding names a malformed file', async () => {
    const root = dataDir({ 'funding/ETHUSDT/bad.csv': 'fundingTime,symbol,fundingRate,markPrice\n1704067200000,ETHUSDT,x,1\n' });
    await expect(readLocalFunding(root, 'ETHUSDT')).rejects.toThrow('Malformed market data in funding/ETHUSDT/bad.csv, line 2: rate is not a number: "x"');
  });
});

describe('the per-bar column (SPEC §2: open < T ≤ close; covered when a settlement lies in [close − 8 h, close])', () => {
  const history = (pairs: Array<[string, number]>) => ({ time: Float64Array.from(pairs.map(([t]) => utc(t))), rate: Float64Array.from(pairs.map(([, r]) => r)) });
  const bars = (from: string, count: number, hours: number) => Float64Array.from({ length: count }, (_, i) => utc(from) + i * hours * H);

  it('4h bars: the bar closing on a settlement gets it, the one before gets 0, before/after the history NaN', () => {
    const h = history([['2024-01-01 08:00', 0.0001], ['2024-01-01 16:00', -0.0002], ['2024-01-02 00:00', 0.0003]]);
    // Bars open 2023-12-31 20:00, 2024-01-01 00:00, 04:00, ..., 2024-01-02 08:00 (10 bars).
    const column = fundingColumn(bars('2023-12-31 20:00', 10, 4), 4 * H, h);
    expect([...column]).toEqual([
      NaN, // (20:00, 00:00]: nothing in [16:00, 00:00]
      NaN, // (00:00, 04:00]: nothing in [20:00, 04:00]
      0.0001, // (04:00, 08:00] holds 08:00
      0, // (08:00, 12:00]: 08:00 lies in [04:00, 12:00]
      -0.0002, // (12:00, 16:00]
      0,
      0.0003, // (20:00, 00:00]
      0, // (2024-01-02 00:00, 04:00]: 00:00 in [20:00, 04:00]
      0, // (04:00, 08:00]: 00:00 = close − 8 h, still covered
      NaN, // (08:00, 12:00]: nothing in [04:00, 12:00]
    ]);
  });

  it('a gap longer than 8 h is NaN inside, and 2-h settlements sum within a 4-h bar', () => {
    const h = history([
      ['2024-01-01 00:00', 0.0001],
      ['2024-01-02 00:00', 0.0002], // 24 h after the previous one: a gap
      ['2024-01-02 02:00', -0.01],
      ['2024-01-02 04:00', -0.02],
    ]);
    expect(fundingGaps(h.time)).toEqual([{ from: utc('2024-01-01 00:00'), to: utc('2024-01-02 00:00') }]);
    const column = fundingColumn(bars('2024-01-01 04:00', 6, 4), 4 * H, h);
    // (04:00, 08:00]: 00:00 in [00:00, 08:00] → 0; (08:00, 12:00] .. (16:00, 20:00]: NaN;
    // (20:00, 00:00] → 0.0002; (00:00, 04:00] → −0.01 − 0.02 = −0.03.
    expect([...column]).toEqual([0, NaN, NaN, NaN, 0.0002, -0.01 + -0.02]);
  });

  it('8-h bars get one settlement each, two when Binance settles every 4 h', () => {
    const h = history([['2024-01-01 00:00', 0.0001], ['2024-01-01 08:00', 0.0002], ['2024-01-01 12:00', 0.0003], ['2024-01-01 16:00', 0.0004]]);
    const column = fundingColumn(bars('2023-12-31 16:00', 3, 8), 8 * H, h);
    expect([...column]).toEqual([0.0001, 0.0002, 0.0003 + 0.0004]);
  });

  it('15m bars: the one closing at the settlement holds it, later ones 0 while covered', () => {
    const h = history([['2024-01-01 08:00', 0.0001]]);
    const column = fundingColumn(bars('2024-01-01 07:30', 3, 0.25), 15 * 60_000, h);
    // (07:30, 07:45]: nothing in [23:45, 07:45] → NaN (the history starts at 08:00);
    // (07:45, 08:00] holds 08:00; (08:00, 08:15]: 08:00 in [00:15, 08:15] → 0.
    expect([...column]).toEqual([NaN, 0.0001, 0]);
  });
});
