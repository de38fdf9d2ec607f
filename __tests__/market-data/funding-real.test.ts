/**
 * Funding on the real files of ../shared/market-data/funding (SOURCES.md §4): every file's first
 * and last settlement and count, the merged history per symbol, spot values, agreement of the
 * Feather and CSV copies, and the per-bar `fundingRate` column of real series.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketDataContext } from '@/lib/market-data/context';
import { fundingGaps, parseFundingFile, readLocalFunding, type FundingHistory, type FundingSettlements } from '@/lib/market-data/funding';
import { buildSeries, loadFgiSeries } from '@/lib/market-data/series';
import type { FgiSeries, MarketSeries } from '@/lib/market-data/types';
import { linkedMarketData } from '../reliability/linked-market-data';
import { REAL_DATA_DIR } from './fake-apis';

const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const H = 3_600_000;

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A context reading `marketDataDir` only (the APIs point at a closed port and are never needed). */
function localContext(marketDataDir: string): MarketDataContext {
  const downloadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-funding-dl-'));
  tempDirs.push(downloadDir);
  return { marketDataDir, downloadDir, binanceApiUrl: 'http://127.0.0.1:9', fgiApiUrl: 'http://127.0.0.1:9', now: Date.now };
}

function file(rel: string): FundingSettlements {
  return parseFundingFile(fs.readFileSync(path.join(REAL_DATA_DIR, rel)), rel).settlements;
}

/** Settlements of `s` in [from, to] (Unix ms), as `{ time ISO: rate }`. */
function between(s: FundingSettlements, from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  s.time.forEach((t, i) => {
    if (t >= from && t <= to) out[iso(t)] = s.rate[i];
  });
  return out;
}

describe('each funding file (SOURCES.md §4 table)', () => {
  it.each([
    ['funding/BTCUSDT/BTCUSDT_funding.csv', '2019-09-10 08:00', '2026-03-18 16:00', 7_145, 0],
    ['funding/BTCUSDT/BTC_USDT_USDT-1h-funding_rate.feather', '2019-09-10 08:00', '2026-05-17 00:00', 7_323, 0],
    ['funding/ETHUSDT/ETH_USDT_USDT-1h-funding_rate.feather', '2019-11-27 08:00', '2026-05-17 00:00', 7_089, 0],
    ['funding/ETHUSDT/binance_ethusdt_funding_8h.csv', '2024-01-01 00:00', '2026-07-09 00:00', 2_761, 0],
    ['funding/SOLUSDT/SOLUSDT.csv', '2020-09-13 16:00', '2026-05-05 16:00', 6_256, 0],
    // One gap: nothing between 2023-04-29 00:00 and 2023-05-24 08:00.
    ['funding/SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather', '2022-06-25 00:00', '2025-07-30 16:00', 3_396, 1],
    ['funding/SOLUSDT/binance_solusdt_funding_8h.csv', '2024-01-01 00:00', '2026-07-09 00:00', 2_761, 0],
  ])('%s: %s .. %s, %i settlements, %i gaps over 8 h', (rel, first, last, count, gaps) => {
    const s = file(rel);
    expect(iso(s.time[0])).toBe(first);
    expect(iso(s.time[s.time.length - 1])).toBe(last);
    expect(s.time.length).toBe(count);
    expect(s.time.every((t) => t % 60_000 === 0)).toBe(true); // rounded to the minute
    expect(fundingGaps(s.time).length).toBe(gaps);
  });

  it('the SOL Feather gap is 2023-04-29 00:00 → 2023-05-24 08:00, and SOLUSDT.csv fills it', () => {
    const [gap] = fundingGaps(file('funding/SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather').time);
    expect([iso(gap.from), iso(gap.to)]).toEqual(['2023-04-29 00:00', '2023-05-24 08:00']);
    // 25 days 8 h = 608 h = 76 intervals of 8 h, so 75 settlements lie strictly inside (SOURCES.md
    // says "76 missing", counting intervals); SOLUSDT.csv has all 75.
    expect((gap.to - gap.from) / (8 * H) - 1).toBe(75);
    expect([...file('funding/SOLUSDT/SOLUSDT.csv').time].filter((t) => t > gap.from && t < gap.to).length).toBe(75);
  });

  it('SOLUSDT.csv has 6,154 intervals of 8 h, 3 of 4 h and 98 of 2 h', () => {
    const { time } = file('funding/SOLUSDT/SOLUSDT.csv');
    const counts: Record<number, number> = {};
    for (let i = 1; i < time.length; i++) counts[(time[i] - time[i - 1]) / H] = (counts[(time[i] - time[i - 1]) / H] ?? 0) + 1;
    expect(counts).toEqual({ 8: 6_154, 4: 3, 2: 98 });
  });
});

describe('merged history per symbol', () => {
  const histories: Record<string, FundingHistory> = {};
  beforeAll(async () => {
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) histories[symbol] = (await readLocalFunding(REAL_DATA_DIR, symbol))!;
  });

  // BTC: the Feather file covers the CSV (7,323 ⊇ 7,145). ETH: Feather 7,089 up to 2026-05-17
  // 00:00, plus the REST CSV's 2026-05-17 08:00 .. 2026-07-09 00:00 = 53 days × 3 = 159 → 7,248.
  // SOL: SOLUSDT.csv 6,256 up to 2026-05-05 16:00 (it fills the Feather gap), plus the REST CSV's
  // 2026-05-06 00:00 .. 2026-07-09 00:00 = 64 days 8 h / 8 h = 193 → 6,449.
  it.each([
    ['BTCUSDT', '2019-09-10 08:00', '2026-05-17 00:00', 7_323, 2],
    ['ETHUSDT', '2019-11-27 08:00', '2026-07-09 00:00', 7_248, 2],
    ['SOLUSDT', '2020-09-13 16:00', '2026-07-09 00:00', 6_449, 3],
  ])('%s: %s .. %s, %i settlements from %i files, no gap over 8 h, no conflict', (symbol, first, last, count, files) => {
    const h = histories[symbol];
    expect([iso(h.time[0]), iso(h.time[h.time.length - 1]), h.time.length]).toEqual([first, last, count]);
    expect(h.sources.length).toBe(files);
    expect(fundingGaps(h.time)).toEqual([]);
    expect(h.conflicts).toBe(0);
  });

  it('BTCUSDT 2020-03-13 08:00 is −0.003 (−0.3 %) in both files and merged', () => {
    const at = utc('2020-03-13 08:00');
    expect(between(file('funding/BTCUSDT/BTCUSDT_funding.csv'), at, at)).toEqual({ '2020-03-13 08:00': -0.003 });
    expect(between(file('funding/BTCUSDT/BTC_USDT_USDT-1h-funding_rate.feather'), at, at)).toEqual({ '2020-03-13 08:00': -0.003 });
    expect(between(histories.BTCUSDT, at, at)).toEqual({ '2020-03-13 08:00': -0.003 });
  });

  it('SOLUSDT settles every 2 h on 2022-11-10 from 04:00 (after 4-hourly 00:00), in the CSV and the Feather file alike', () => {
    const day = between(histories.SOLUSDT, utc('2022-11-10 00:00'), utc('2022-11-10 23:59'));
    expect(Object.keys(day)).toEqual(['2022-11-10 00:00', ...Array.from({ length: 10 }, (_, k) => `2022-11-10 ${String(4 + 2 * k).padStart(2, '0')}:00`)]);
    expect(day['2022-11-10 06:00']).toBe(-0.02); // the floor
    expect(between(file('funding/SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather'), utc('2022-11-10 00:00'), utc('2022-11-10 23:59'))).toEqual(day);
    expect(between(file('funding/SOLUSDT/SOLUSDT.csv'), utc('2022-11-10 00:00'), utc('2022-11-10 23:59'))).toEqual(day);
    expect(Math.min(...Object.values(between(histories.SOLUSDT, utc('2022-11-09 00:00'), utc('2022-11-18 23:59'))))).toBeGreaterThanOrEqual(-0.02);
  });

  // SOURCES.md §4: BTC 7,145 common settlements, ETH 2,602, SOL 3,396 + 2,568 + 1,731; 0 differ.
  it.each([
    ['funding/BTCUSDT/BTCUSDT_funding.csv', 'funding/BTCUSDT/BTC_USDT_USDT-1h-funding_rate.feather', 7_145],
    ['funding/ETHUSDT/binance_ethusdt_funding_8h.csv', 'funding/ETHUSDT/ETH_USDT_USDT-1h-funding_rate.feather', 2_602],
    ['funding/SOLUSDT/SOLUSDT.csv', 'funding/SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather', 3_396],
    ['funding/SOLUSDT/SOLUSDT.csv', 'funding/SOLUSDT/binance_solusdt_funding_8h.csv', 2_568],
    ['funding/SOLUSDT/binance_solusdt_funding_8h.csv', 'funding/SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather', 1_731],
  ])('%s and %s agree on all %i common settlements', (a, b, common) => {
    const x = file(a);
    const other = file(b);
    const y = new Map([...other.time].map((t, i) => [t, other.rate[i]]));
    const shared = [...x.time].map((t, i) => [t, x.rate[i]] as const).filter(([t]) => y.has(t));
    expect(shared.length).toBe(common);
    expect(shared.filter(([t, r]) => y.get(t) !== r).map(([t]) => iso(t))).toEqual([]);
  });
});

describe('the fundingRate column of real series', () => {
  let fgi: FgiSeries;
  const series: Record<string, MarketSeries> = {};
  beforeAll(async () => {
    const context = localContext(REAL_DATA_DIR);
    fgi = await loadFgiSeries(context);
    for (const [asset, timeframe] of [['ETH', '4h'], ['ETH', '1h'], ['SOL', '4h'], ['BTC', '4h']] as const) {
      series[`${asset} ${timeframe}`] = await buildSeries(context, asset, timeframe, fgi);
    }
  });
  const at = (s: MarketSeries, open: string) => s.fundingRate[s.openTime.indexOf(utc(open))];

  it('every ETH 4h bar from 2019-11-28 to 2026-01-05 is covered', () => {
    const s = series['ETH 4h'];
    const uncovered = [...s.openTime].filter((t, i) => t >= utc('2019-11-28 00:00') && t < utc('2026-01-06 00:00') && Number.isNaN(s.fundingRate[i]));
    expect(uncovered.map(iso)).toEqual([]);
    // The last bar (2026-01-06 08:00, closing 12:00) is covered too: the history runs to 2026-07.
    expect(Number.isNaN(s.fundingRate[s.fundingRate.length - 1])).toBe(false);
  });

  it('each ETH 4h and 1h bar holds the sum of its settlements (open < T ≤ close), at most one', async () => {
    const h = (await readLocalFunding(REAL_DATA_DIR, 'ETHUSDT'))!;
    for (const key of ['ETH 4h', 'ETH 1h']) {
      const s = series[key];
      let k = 0;
      let checked = 0;
      for (let i = 0; i < s.openTime.length; i++) {
        const open = s.openTime[i];
        const close = open + s.intervalMs;
        if (Number.isNaN(s.fundingRate[i])) continue;
        while (k < h.time.length && h.time[k] <= open) k += 1;
        const inside = [];
        for (let j = k; j < h.time.length && h.time[j] <= close; j++) inside.push(h.rate[j]);
        expect(inside.length).toBeLessThanOrEqual(1);
        expect(s.fundingRate[i]).toBe(inside.length === 0 ? 0 : inside[0]);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(13_000);
    }
  });

  it('an ETH 4h bar closing on a settlement gets it; the bar before gets 0; a bar before the contract is NaN', () => {
    const s = series['ETH 4h'];
    const h = file('funding/ETHUSDT/ETH_USDT_USDT-1h-funding_rate.feather');
    const rateAt = (t: string) => h.rate[h.time.indexOf(utc(t))];
    expect(at(s, '2024-03-05 04:00')).toBe(rateAt('2024-03-05 08:00')); // (04:00, 08:00] holds 08:00
    expect(at(s, '2024-03-05 08:00')).toBe(0); // (08:00, 12:00]: none, but 08:00 lies in [04:00, 12:00]
    expect(at(s, '2019-11-27 04:00')).toBe(rateAt('2019-11-27 08:00')); // the first settlement
    expect(at(s, '2019-11-27 00:00')).toBeNaN(); // closes 04:00; nothing in [2019-11-26 20:00, 04:00]
    expect(at(s, '2018-06-01 00:00')).toBeNaN();
    expect(at(series['BTC 4h'], '2020-03-13 04:00')).toBe(-0.003);
    expect(at(series['BTC 4h'], '2019-09-10 00:00')).toBeNaN(); // closes 04:00, before 08:00
  });

  it('SOL 4h bars of November 2022 can hold two 2-h settlements (summed)', () => {
    const h = file('funding/SOLUSDT/SOLUSDT.csv');
    const rateAt = (t: string) => h.rate[h.time.indexOf(utc(t))];
    const s = series['SOL 4h'];
    expect(at(s, '2022-11-10 00:00')).toBe(rateAt('2022-11-10 04:00')); // still 4-hourly
    expect(at(s, '2022-11-10 04:00')).toBe(rateAt('2022-11-10 06:00') + rateAt('2022-11-10 08:00')); // −0.02 − 0.02
    expect(at(s, '2022-11-10 04:00')).toBe(-0.04);
    expect(at(s, '2022-11-10 12:00')).toBe(rateAt('2022-11-10 14:00') + rateAt('2022-11-10 16:00'));
    expect(at(s, '2020-08-20 00:00')).toBeNaN(); // SOL spot candles start 2020-08-11, the perpetual 2020-09-13
  });

  it('lists the funding files among the sources', () => {
    expect(series['SOL 4h'].sources.filter((f) => f.startsWith('funding/'))).toEqual([
      'funding/SOLUSDT/binance_solusdt_funding_8h.csv',
      'funding/SOLUSDT/SOLUSDT.csv',
      'funding/SOLUSDT/SOL_USDT_USDT-8h-funding_rate.feather',
    ]);
  });

  it('dataVersion changes when a funding file changes, and the conflict is counted', async () => {
    const rel = 'funding/ETHUSDT/binance_ethusdt_funding_8h.csv';
    const original = fs.readFileSync(path.join(REAL_DATA_DIR, rel), 'utf8');
    const line = original.split('\n').find((l) => l.startsWith(String(utc('2024-03-05 08:00'))))!;
    const [time, symbol, rate, mark] = line.split(',');
    const altered = original.replace(line, [time, symbol, (Number(rate) + 0.0001).toFixed(8), mark].join(','));
    const root = linkedMarketData({ replaced: { [rel]: altered } });
    const mirror = linkedMarketData({});
    tempDirs.push(root, mirror);
    const same = await buildSeries(localContext(mirror), 'ETH', '4h', fgi);
    const changed = await buildSeries(localContext(root), 'ETH', '4h', fgi);
    expect(same.dataVersion).toBe(series['ETH 4h'].dataVersion); // the linked mirror alone changes nothing
    expect(changed.dataVersion).not.toBe(series['ETH 4h'].dataVersion);
    // The REST CSV outranks the Feather file: its altered rate is used, and the conflict counted.
    expect(at(changed, '2024-03-05 04:00')).toBe(Number((Number(rate) + 0.0001).toFixed(8)));
    expect((await readLocalFunding(root, 'ETHUSDT'))!.conflicts).toBe(1);
    expect([...changed.openTime]).toEqual([...series['ETH 4h'].openTime]);
  });
});
