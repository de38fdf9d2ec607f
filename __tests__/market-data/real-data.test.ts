/**
 * The market-data layer on the real files of ../shared/market-data. Expected figures are derived
 * from SOURCES.md (row counts, first/last rows, gaps) with the arithmetic written next to them:
 * every merged series loses its newest bar, and off-grid 1h bars of 2018-02 are dropped.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Asset, Timeframe } from '@/lib/schemas';
import { getCoverage, loadFgi, loadSeries, type FgiSeries, type MarketSeries } from '@/lib/market-data';

// The environment is read at the first load (lib/env.ts), so setting it here is in time.
process.env.MARKET_DATA_DIR = path.resolve(__dirname, '../../../shared/market-data');

const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00Z`);

interface Expected {
  first: string;
  last: string;
  bars: number;
  gaps: number;
  missingBars: number;
}

// 1h BTC/ETH: year files 2018..2025 hold 8,699 + 8,732 + 8,767 + 8,747 + 8,760 + 8,759 + 8,784
// + 8,760 = 70,008 rows; minus 43 off-grid 2018-02 candles, minus the newest bar = 69,964.
// Missing hours: 61 + 28 + 17 + 13 + 0 + 1 + 0 + 0 = 120 outages, plus the 43 holes the dropped
// offset candles leave = 163; check: 2018-01-01 00:00 .. 2025-12-31 22:00 is 70,127 hourly slots.
const ONE_HOUR_BTC_ETH: Expected = {
  first: '2018-01-01 00:00',
  last: '2025-12-31 22:00',
  bars: 70_008 - 43 - 1,
  gaps: 27,
  missingBars: 120 + 43,
};
// 4h BTC/ETH: 18,371 rows 2017-08-17 04:00 .. 2026-01-06 12:00 (partial, dropped) = 18,370;
// 16 missing bars in 8 gaps (SOURCES.md §2a note 1).
const FOUR_HOURS_BTC_ETH: Expected = {
  first: '2017-08-17 04:00',
  last: '2026-01-06 08:00',
  bars: 18_371 - 1,
  gaps: 8,
  missingBars: 16,
};
// 15m: BTC 34,631 rows ending 17:30, ETH/SOL 34,632 ending 17:45, newest dropped; no gaps.
const FIFTEEN_MINUTES = (rows: number, last: string): Expected => ({
  first: '2024-12-05 00:00',
  last,
  bars: rows - 1,
  gaps: 0,
  missingBars: 0,
});

const EXPECTED: Record<Asset, Record<Timeframe, Expected>> = {
  BTC: {
    '15m': FIFTEEN_MINUTES(34_631, '2025-11-30 17:15'),
    '1h': ONE_HOUR_BTC_ETH,
    '4h': FOUR_HOURS_BTC_ETH,
  },
  ETH: {
    '15m': FIFTEEN_MINUTES(34_632, '2025-11-30 17:30'),
    '1h': ONE_HOUR_BTC_ETH,
    '4h': FOUR_HOURS_BTC_ETH,
  },
  SOL: {
    '15m': FIFTEEN_MINUTES(34_632, '2025-11-30 17:30'),
    // SOLUSDT_1h.csv: 47,360 rows 2020-08-11 06:00 .. 2026-01-06 09:00, 20 missing bars in 10
    // gaps; the native 2024/2025 files (17,544 rows) lie inside it and are identical, so they
    // add no bar. Newest dropped: 47,359.
    '1h': { first: '2020-08-11 06:00', last: '2026-01-06 08:00', bars: 47_360 - 1, gaps: 10, missingBars: 20 },
    // 11,847 rows 2020-08-11 04:00 .. 2026-01-06 12:00 (partial, dropped), no gaps.
    '4h': { first: '2020-08-11 04:00', last: '2026-01-06 08:00', bars: 11_847 - 1, gaps: 0, missingBars: 0 },
  },
};

const CASES = (Object.keys(EXPECTED) as Asset[]).flatMap((asset) =>
  (Object.keys(EXPECTED[asset]) as Timeframe[]).map((timeframe) => ({ asset, timeframe })),
);

const series = new Map<string, MarketSeries>();
const get = (asset: Asset, timeframe: Timeframe) => series.get(`${asset}:${timeframe}`)!;
let fgi: FgiSeries;

beforeAll(async () => {
  fgi = await loadFgi();
  for (const { asset, timeframe } of CASES) series.set(`${asset}:${timeframe}`, await loadSeries(asset, timeframe));
});

/** Bar index with this open time, or -1. */
function barAt(s: MarketSeries, time: string): number {
  return s.openTime.indexOf(utc(time));
}

describe.each(CASES)('$asset $timeframe', ({ asset, timeframe }) => {
  const expected = EXPECTED[asset][timeframe];

  it('has the first and last bar and the count of SOURCES.md', () => {
    const s = get(asset, timeframe);
    expect(s.symbol).toBe(`${asset}USDT`);
    expect(s.openTime[0]).toBe(utc(expected.first));
    expect(s.openTime[s.openTime.length - 1]).toBe(utc(expected.last));
    expect(s.openTime.length).toBe(expected.bars);
    for (const column of [s.open, s.high, s.low, s.close, s.volume, s.fgi]) {
      expect(column.length).toBe(expected.bars);
    }
  });

  it('keeps gaps as gaps and reports them', () => {
    const s = get(asset, timeframe);
    expect(s.gaps.length).toBe(expected.gaps);
    const missing = s.gaps.reduce((sum, g) => sum + g.bars, 0);
    expect(missing).toBe(expected.missingBars);
    const slots = (s.openTime[s.openTime.length - 1] - s.openTime[0]) / s.intervalMs + 1;
    expect(s.openTime.length + missing).toBe(slots);
    for (const gap of s.gaps) {
      expect(s.openTime.includes(gap.from)).toBe(false);
      expect(s.openTime.includes(gap.from - s.intervalMs)).toBe(true);
      expect(s.openTime.includes(gap.to + s.intervalMs)).toBe(true);
    }
  });

  it('has only on-grid, strictly increasing open times', () => {
    const { openTime, intervalMs } = get(asset, timeframe);
    for (let i = 0; i < openTime.length; i++) {
      expect(openTime[i] % intervalMs).toBe(0);
      if (i > 0 && !(openTime[i] > openTime[i - 1])) expect.fail(`open time ${i} not increasing`);
    }
  });

  it('never gives a bar an FGI value published after its close', () => {
    const s = get(asset, timeframe);
    // Independent oracle: binary search for the latest FGI day D with D 00:00 <= close time.
    for (let i = 0; i < s.openTime.length; i++) {
      const close = s.openTime[i] + s.intervalMs;
      let lo = 0;
      let hi = fgi.day.length - 1;
      let known = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (fgi.day[mid] <= close) {
          known = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      const want = known < 0 ? NaN : fgi.value[known];
      if (!Object.is(s.fgi[i], want)) {
        expect.fail(`${asset} ${timeframe} bar ${new Date(s.openTime[i]).toISOString()}: fgi ${s.fgi[i]}, want ${want}`);
      }
    }
  });

  it('names its files and has a 12-hex data version', () => {
    const s = get(asset, timeframe);
    expect(s.dataVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(s.sources.filter((f) => f.startsWith(`klines/${asset}USDT/${timeframe}/`)).length).toBeGreaterThan(0);
    const kinds = [`klines/${asset}USDT/${timeframe}/`, `funding/${asset}USDT/`, 'fgi/'];
    expect(s.sources.map((f) => kinds.findIndex((k) => f.startsWith(k)))).toEqual([...s.sources.map((f) => kinds.findIndex((k) => f.startsWith(k)))].sort());
    expect(s.sources.filter((f) => f.startsWith(`funding/${asset}USDT/`)).length).toBe(asset === 'SOL' ? 3 : 2);
    expect(s.sources.every((f) => kinds.some((k) => f.startsWith(k)))).toBe(true);
  });
});

describe('known values', () => {
  it('BTC 4h starts with Binance first BTCUSDT kline (2017-08-17 04:00, open 4261.48)', () => {
    const s = get('BTC', '4h');
    expect(s.openTime[0]).toBe(1502942400000);
    expect(s.open[0]).toBe(4261.48);
  });

  it('BTC 4h 2020-03-13 00:00 has the COVID wick low 3782.13', () => {
    const s = get('BTC', '4h');
    expect(s.low[barAt(s, '2020-03-13 00:00')]).toBe(3782.13);
  });

  it('ETH 4h high 4956.78 at 2025-08-24 16:00; BTC high 126199.63 on 2025-10-06', () => {
    const eth = get('ETH', '4h');
    expect(eth.high[barAt(eth, '2025-08-24 16:00')]).toBe(4956.78);
    expect(Math.max(...eth.high)).toBe(4956.78);
    const btc = get('BTC', '1h');
    const max = Math.max(...btc.high);
    expect(max).toBe(126199.63);
    const day = new Date(btc.openTime[btc.high.indexOf(max)]).toISOString().slice(0, 10);
    expect(day).toBe('2025-10-06');
  });

  it('drops the partial last bars (4h 2026-01-06 12:00, 15m last rows)', () => {
    for (const asset of ['BTC', 'ETH', 'SOL'] as const) {
      expect(barAt(get(asset, '4h'), '2026-01-06 12:00')).toBe(-1);
      expect(barAt(get(asset, '4h'), '2026-01-06 08:00')).toBe(get(asset, '4h').openTime.length - 1);
    }
    expect(barAt(get('BTC', '15m'), '2025-11-30 17:30')).toBe(-1);
    expect(barAt(get('ETH', '15m'), '2025-11-30 17:45')).toBe(-1);
  });

  it('BTC 4h gaps are the exchange outages of SOURCES.md', () => {
    const gaps = get('BTC', '4h').gaps.map((g) => [new Date(g.from).toISOString().slice(0, 16), g.bars]);
    // "2018-02-08 00:00 → 2018-02-09 08:00 (7 bars)" names the bars around the gap: the missing
    // bars open 2018-02-08 04:00 .. 2018-02-09 04:00.
    expect(gaps[0]).toEqual(['2018-02-08T04:00', 7]);
    expect(get('BTC', '4h').gaps[0].to).toBe(utc('2018-02-09 04:00'));
    expect(gaps.map(([, bars]) => bars)).toEqual([7, 2, 1, 1, 1, 2, 1, 1]);
    expect(gaps.map(([from]) => String(from).slice(0, 10))).toEqual([
      '2018-02-08', '2018-06-26', '2018-07-04', '2018-11-14', '2019-03-12', '2019-05-15', '2019-08-15', '2020-02-19',
    ]);
  });

  it('1h drops the 2018-02 off-grid candles (no bar at 2018-02-09 09:28:14.789)', () => {
    const s = get('BTC', '1h');
    expect(s.openTime.includes(1518168494789)).toBe(false);
    // The outage (2018-02-08 01:00 ..) and the 43 offset candles form one run ending 2018-02-11 03:00.
    const run = s.gaps.find((g) => g.from === utc('2018-02-08 01:00'))!;
    expect(run.to).toBe(utc('2018-02-11 03:00'));
  });

  it('SOL 1h reads the native 2024/2025 files before SOLUSDT_1h.csv, identical where they overlap', () => {
    const s = get('SOL', '1h');
    expect(s.sources.slice(0, 3)).toEqual([
      'klines/SOLUSDT/1h/SOLUSDT-1h-2024-01.csv',
      'klines/SOLUSDT/1h/SOLUSDT-1h-2025-01.csv',
      'klines/SOLUSDT/1h/SOLUSDT_1h.csv',
    ]);
    // First native row: 2024-01-01 00:00 open 101.72, close 101.96; first µs row 2025-01-01 00:00 open 189.31.
    expect(s.open[barAt(s, '2024-01-01 00:00')]).toBe(101.72);
    expect(s.close[barAt(s, '2024-01-01 00:00')]).toBe(101.96);
    expect(s.open[barAt(s, '2025-01-01 00:00')]).toBe(189.31);
    // Bars after the native files come from SOLUSDT_1h.csv (2026-01-06 08:00 open 137.6).
    expect(s.open[barAt(s, '2026-01-06 08:00')]).toBe(137.6);
  });

  it('the 15m closes aggregate to the native 1h closes (SOURCES.md §2d)', () => {
    const m15 = get('BTC', '15m');
    const h1 = get('BTC', '1h');
    const hour = barAt(h1, '2025-06-01 13:00');
    const last15 = barAt(m15, '2025-06-01 13:45');
    expect(m15.close[last15]).toBe(h1.close[hour]);
  });
});

describe('FGI', () => {
  const dayValue = (d: string) => fgi.value[fgi.day.indexOf(Date.parse(`${d}T00:00:00Z`))];

  it('merges the primary file (2,811 days to 2025-10-16) with the extended days after it', () => {
    // 2,811 + (2025-10-17 .. 2026-08-22 = 310 days, minus 2026-05-05 and 2026-08-06) = 3,119.
    expect(fgi.day.length).toBe(2_811 + 310 - 2);
    expect(fgi.day[0]).toBe(Date.parse('2018-02-01T00:00:00Z'));
    expect(fgi.day[fgi.day.length - 1]).toBe(Date.parse('2026-08-22T00:00:00Z'));
    expect(fgi.sources).toEqual(['fgi/crypto_fear_greed.csv', 'fgi/crypto_fear_greed_extended.csv']);
  });

  it('has the plausibility values of SOURCES.md', () => {
    const week = ['13', '14', '15', '16', '17', '18', '19', '20'].map((d) => dayValue(`2020-03-${d}`));
    expect(week).toEqual([10, 8, 12, 9, 8, 11, 12, 9]);
    expect(dayValue('2024-11-22')).toBe(94);
    expect(dayValue('2026-08-22')).toBe(71); // extended file, written `71.0`
  });

  it('keeps days the API lacks missing (the extended in-fills are not used)', () => {
    for (const d of ['2018-04-14', '2018-04-15', '2018-04-16', '2024-10-26', '2026-05-05', '2026-08-06']) {
      expect(fgi.day.includes(Date.parse(`${d}T00:00:00Z`))).toBe(false);
    }
  });

  it('joins point-in-time at bar close: a bar closing at D 00:00 sees day D, earlier bars the day before', () => {
    const s = get('BTC', '4h');
    expect(s.fgi[barAt(s, '2020-03-15 16:00')]).toBe(12); // closes 20:00 on the 15th
    expect(s.fgi[barAt(s, '2020-03-15 20:00')]).toBe(9); // closes 2020-03-16 00:00
    expect(s.fgi[barAt(s, '2020-03-16 00:00')]).toBe(9);
    // 2018-04-14..16 missing: carry the 2018-04-13 value (23) until 2018-04-17 00:00.
    expect(s.fgi[barAt(s, '2018-04-16 16:00')]).toBe(23);
    expect(s.fgi[barAt(s, '2018-04-16 20:00')]).toBe(dayValue('2018-04-17'));
    // Before 2018-02-01 nothing is known.
    expect(s.fgi[barAt(s, '2018-01-31 16:00')]).toBeNaN();
    expect(s.fgi[barAt(s, '2018-01-31 20:00')]).toBe(30);
  });
});

describe('loading', () => {
  it('returns the same object on later and concurrent calls', async () => {
    const [a, b] = await Promise.all([loadSeries('ETH', '4h'), loadSeries('ETH', '4h')]);
    expect(a).toBe(b);
    expect(a).toBe(get('ETH', '4h'));
    expect(loadSeries('ETH', '1h')).toBe(loadSeries('ETH', '1h'));
  });

  it('gives different data versions to different series', () => {
    const versions = new Set(CASES.map(({ asset, timeframe }) => get(asset, timeframe).dataVersion));
    expect(versions.size).toBe(CASES.length);
  });

  it('reports coverage for every series and the FGI', async () => {
    const { coverage, unavailable } = await getCoverage();
    expect(unavailable).toEqual([]);
    expect(coverage.map((c) => `${c.symbol} ${c.interval}`)).toEqual([
      ...CASES.map(({ asset, timeframe }) => `${asset}USDT ${timeframe}`),
      'FGI 1d',
    ]);
    const btc4h = coverage.find((c) => c.symbol === 'BTCUSDT' && c.interval === '4h')!;
    expect(btc4h).toMatchObject({ first: '2017-08-17T04:00:00.000Z', last: '2026-01-06T08:00:00.000Z', bars: 18_370 });
    expect(btc4h.gaps.length).toBe(8);
    const fgiRow = coverage.at(-1)!;
    expect(fgiRow).toMatchObject({ first: '2018-02-01T00:00:00.000Z', last: '2026-08-22T00:00:00.000Z', bars: 3_119 });
    expect(fgiRow.gaps.map((g) => g.bars)).toEqual([3, 1, 1, 1]);
  });
});
