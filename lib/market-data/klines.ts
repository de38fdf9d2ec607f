/**
 * Spot klines (OHLCV bars): their column storage, the readers of the kline files of SOURCES.md
 * (native Binance 12-column dumps and 6-column CSVs with a header; freqtrade Feather candles via
 * feather.ts), the merge of several files into one series, and the local loader.
 *
 * Source selection and precedence (also in docs/market-data.md):
 * 1. Price series come only from the spot folders `klines/{SYMBOL}/{15m,1h,4h}/*.csv`, one folder
 *    per series, plus, when FREQTRADE_DATA_DIR is set, freqtrade's spot candles
 *    `{BASE}_USDT-{tf}.feather` and `spot/{BASE}_USDT-{tf}.feather` there.
 *    `klines-futures-um/` (perpetual futures) and `klines/{SYMBOL}/1d/` are never read
 *    for backtests, and no interval is built by resampling another.
 *    - 4h: the 6-column `{SYMBOL}_4h.csv` files directly (2017-08-17 .. 2026-01-06). They agree
 *      with 1h aggregates except in the 2018-02-09..11 offset-candle period (SOURCES.md
 *      "Verification"), where the 4h file is the cleaner source.
 *    - 1h: BTC and ETH from the native 12-column year files (2018 .. 2025); SOL from the native
 *      2024 and 2025 files plus `SOLUSDT_1h.csv` (2020-08-11 .. 2026-01-06) for the rest.
 *    - 15m: the spot `{BASE}_USDT-15m.csv` files (2024-12-05 .. 2025-11-30).
 * 2. All files of a series are merged by open time. On the same open time the native Binance
 *    12-column dump wins over a 6-column CSV (it is Binance's own export), a CSV wins over a
 *    freqtrade Feather file; between files of the same layout the one whose name sorts first
 *    wins (the top folder before `spot/`). Exact duplicates are thereby dropped and conflicting
 *    values resolved. A freqtrade file that ends later extends the series.
 * 3. Bars whose open time is not a multiple of the interval are dropped, then the newest bar of
 *    the merged series is dropped (still forming when the files were saved). Gaps stay gaps.
 */
import path from 'node:path';
import type { Timeframe } from '../schemas';
import { findCommas, forEachLine, lineCapacity, numberField, parseUtcTime } from './csv';
import { listSourceFolder, malformedLine, readOptionalSourceFile, readSourceFile } from './errors';
import { readFeather } from './feather';

// Column storage

/** OHLCV bars as parallel typed arrays of equal length. Open time in Unix ms UTC, prices in USDT, volume in the base asset. */
export interface KlineColumns {
  openTime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Room for `capacity` bars. */
export function allocateKlines(capacity: number): KlineColumns {
  return {
    openTime: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
  };
}

/** Writes one bar (open time in Unix ms UTC, prices in USDT, volume in the base asset) at index `i`. */
export function setKline(
  columns: KlineColumns,
  i: number,
  openTime: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): void {
  columns.openTime[i] = openTime;
  columns.open[i] = open;
  columns.high[i] = high;
  columns.low[i] = low;
  columns.close[i] = close;
  columns.volume[i] = volume;
}

/** The first `length` bars of `columns`, copied into exactly sized arrays. */
export function takeKlines(columns: KlineColumns, length: number): KlineColumns {
  return {
    openTime: columns.openTime.slice(0, length),
    open: columns.open.slice(0, length),
    high: columns.high.slice(0, length),
    low: columns.low.slice(0, length),
    close: columns.close.slice(0, length),
    volume: columns.volume.slice(0, length),
  };
}

/**
 * Why a bar's values are impossible, or null when they are fine: prices must be > 0, volume ≥ 0,
 * and low ≤ open, close ≤ high (the OHLC sanity check of SOURCES.md "Verification").
 */
export function barProblem(open: number, high: number, low: number, close: number, volume: number): string | null {
  if (!(open > 0 && high > 0 && low > 0 && close > 0)) return 'prices must be greater than 0';
  if (!(volume >= 0)) return 'volume must not be negative';
  if (!(low <= high)) return `low ${low} is above high ${high}`;
  if (!(low <= open && low <= close && open <= high && close <= high)) {
    return `open ${open} or close ${close} lies outside low ${low} .. high ${high}`;
  }
  return null;
}

// Native Binance dumps (data.binance.vision): 12 columns, no header — `open_time, open, high,
// low, close, volume, close_time, quote_asset_volume, number_of_trades, taker_buy_base_volume,
// taker_buy_quote_volume, ignore` (SOURCES.md §2b)

/** Open times above this are µs: Binance switched its spot dumps from ms to µs on 2025-01-01. */
const MICROSECOND_THRESHOLD = 1e15;

const FIELDS = ['open_time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Parses a native 12-column Binance kline CSV. `open_time` is ms, or µs when above 1e15 (2025
 * files); it is returned in ms. Columns after `volume` are checked for count only.
 * @param file name used in error messages.
 * @throws MarketDataError naming file and line for a wrong column count, a non-number, an
 *   impossible OHLC bar, or an open time not after the previous line's.
 */
export function parseNativeKlines(text: string, file: string): KlineColumns {
  const out = allocateKlines(lineCapacity(text));
  const commas = new Int32Array(11);
  const values = new Float64Array(6);
  let n = 0;
  forEachLine(text, (start, end, line) => {
    const count = findCommas(text, start, end, commas);
    if (count !== 11) {
      throw malformedLine(file, line, `expected 12 columns (Binance kline dump), found ${count + 1}`);
    }
    for (let f = 0; f < 6; f++) {
      const from = f === 0 ? start : commas[f - 1] + 1;
      values[f] = numberField(text, from, commas[f], FIELDS[f], file, line);
    }
    const openTime = values[0] > MICROSECOND_THRESHOLD ? Math.floor(values[0] / 1000) : values[0];
    if (!Number.isInteger(openTime) || openTime < 0) {
      throw malformedLine(file, line, `open_time is not a Unix time in ms or µs: ${values[0]}`);
    }
    if (n > 0 && openTime <= out.openTime[n - 1]) {
      throw malformedLine(file, line, 'open_time is not after the previous line');
    }
    const problem = barProblem(values[1], values[2], values[3], values[4], values[5]);
    if (problem) throw malformedLine(file, line, problem);
    setKline(out, n, openTime, values[1], values[2], values[3], values[4], values[5]);
    n += 1;
  });
  return takeKlines(out, n);
}

// 6-column CSVs with a header (SOURCES.md §2a, §2c, §2d, §2e, §3):
// `{timestamp|time|date},open,high,low,close,volume`, the time being the bar's UTC open time as
// `YYYY-MM-DD HH:MM:SS`, optionally with `+00:00` (or a bare `YYYY-MM-DD` in the 1d files)

/** Accepted names of the time column. */
const TIME_COLUMNS = ['timestamp', 'time', 'date'] as const;
const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

function checkHeader(header: string, file: string, line: number): void {
  const names = header.split(',').map((name) => name.trim().toLowerCase());
  const ok =
    names.length === 6 &&
    (TIME_COLUMNS as readonly string[]).includes(names[0]) &&
    PRICE_COLUMNS.every((name, i) => names[i + 1] === name);
  if (!ok) {
    throw malformedLine(
      file,
      line,
      `unrecognised header "${header}"; expected {timestamp|time|date},open,high,low,close,volume`,
    );
  }
}

/**
 * Parses a 6-column kline CSV with a header. Returns open times in Unix ms UTC.
 * @param file name used in error messages.
 * @throws MarketDataError naming file and line for an unknown header, a wrong column count, a bad
 *   time or number, an impossible OHLC bar, or a time not after the previous line's.
 */
export function parseHeaderKlines(text: string, file: string): KlineColumns {
  const out = allocateKlines(lineCapacity(text));
  const commas = new Int32Array(5);
  let n = 0;
  let headerSeen = false;
  forEachLine(text, (start, end, line) => {
    if (!headerSeen) {
      checkHeader(text.slice(start, end), file, line);
      headerSeen = true;
      return;
    }
    const count = findCommas(text, start, end, commas);
    if (count !== 5) throw malformedLine(file, line, `expected 6 columns, found ${count + 1}`);
    const openTime = parseUtcTime(text, start, commas[0]);
    if (Number.isNaN(openTime)) {
      throw malformedLine(
        file,
        line,
        `time is not a UTC "YYYY-MM-DD HH:MM:SS" (optionally +00:00): "${text.slice(start, commas[0])}"`,
      );
    }
    if (n > 0 && openTime <= out.openTime[n - 1]) {
      throw malformedLine(file, line, 'time is not after the previous line');
    }
    const open = numberField(text, commas[0] + 1, commas[1], 'open', file, line);
    const high = numberField(text, commas[1] + 1, commas[2], 'high', file, line);
    const low = numberField(text, commas[2] + 1, commas[3], 'low', file, line);
    const close = numberField(text, commas[3] + 1, commas[4], 'close', file, line);
    const volume = numberField(text, commas[4] + 1, end, 'volume', file, line);
    const problem = barProblem(open, high, low, close, volume);
    if (problem) throw malformedLine(file, line, problem);
    setKline(out, n, openTime, open, high, low, close, volume);
    n += 1;
  });
  return takeKlines(out, n);
}

// Layout choice: a digit first means a native dump without header, anything else a header CSV

/** The two kline CSV layouts of SOURCES.md. */
export type KlineLayout = 'native12' | 'header6';

/** Layout of a kline CSV, judged by its first character (after an optional BOM). */
function klineLayout(text: string): KlineLayout {
  const first = text.charCodeAt(text.charCodeAt(0) === 0xfeff ? 1 : 0);
  return first >= 48 && first <= 57 ? 'native12' : 'header6';
}

/**
 * Parses any kline CSV of SOURCES.md into columns (open time in Unix ms UTC).
 * @throws MarketDataError naming file and line of the first malformed line.
 */
export function parseKlineCsv(text: string, file: string): { layout: KlineLayout; klines: KlineColumns } {
  const layout = klineLayout(text);
  const klines = layout === 'native12' ? parseNativeKlines(text, file) : parseHeaderKlines(text, file);
  return { layout, klines };
}

// Freqtrade candles (Feather): columns date (timestamp, UTC open time), open, high, low, close, volume

/**
 * Parses a freqtrade candle file `{BASE}_USDT-{tf}.feather` (Arrow IPC; see feather.ts).
 * @param file name used in error messages ("line" there is the 1-based row).
 * @throws MarketDataError naming the file (and row) when it is not Arrow IPC, lacks a column,
 *   holds a null, an impossible OHLC bar, or a time not after the previous row's.
 */
export function parseFeatherKlines(bytes: Uint8Array, file: string): KlineColumns {
  const { time, values } = readFeather(bytes, file, ['open', 'high', 'low', 'close', 'volume']);
  const out = allocateKlines(time.length);
  for (let i = 0; i < time.length; i++) {
    const [open, high, low, close, volume] = values.map((column) => column[i]);
    if (i > 0 && time[i] <= time[i - 1]) throw malformedLine(file, i + 1, 'date is not after the previous row');
    const problem = barProblem(open, high, low, close, volume);
    if (problem) throw malformedLine(file, i + 1, problem);
    setKline(out, i, time[i], open, high, low, close, volume);
  }
  return out;
}

// Merge

/**
 * Merges sorted kline columns by open time in one linear k-way pass.
 *
 * - `sources` are given in precedence order, highest first. When several sources hold a bar with
 *   the same open time, the bar of the first of them is kept and the others are dropped: exact
 *   duplicates disappear, and on conflicting values the higher-precedence source wins.
 * - Bars whose open time is not a multiple of `intervalMs` (the 2018-02-09..11 Binance offset
 *   candles, SOURCES.md §2b) are dropped, never snapped.
 * - Missing bars are not invented; gaps stay gaps.
 *
 * Each source must be sorted by strictly increasing open time (the readers guarantee it).
 */
export function mergeKlines(sources: readonly KlineColumns[], intervalMs: number): KlineColumns {
  const total = sources.reduce((sum, s) => sum + s.openTime.length, 0);
  const out = allocateKlines(total);
  const heads = new Int32Array(sources.length);
  let n = 0;
  for (;;) {
    let winner = -1;
    let time = Infinity;
    for (let s = 0; s < sources.length; s++) {
      const times = sources[s].openTime;
      let h = heads[s];
      while (h < times.length && times[h] % intervalMs !== 0) h += 1;
      heads[s] = h;
      if (h < times.length && times[h] < time) {
        time = times[h];
        winner = s;
      }
    }
    if (winner === -1) break;
    const src = sources[winner];
    const h = heads[winner];
    setKline(out, n, time, src.open[h], src.high[h], src.low[h], src.close[h], src.volume[h]);
    n += 1;
    for (let s = 0; s < sources.length; s++) {
      if (heads[s] < sources[s].openTime.length && sources[s].openTime[heads[s]] === time) heads[s] += 1;
    }
  }
  return takeKlines(out, n);
}

/** `columns` without its newest bar (it was still forming when the file was saved or fetched). */
export function dropNewestBar(columns: KlineColumns): KlineColumns {
  return takeKlines(columns, Math.max(0, columns.openTime.length - 1));
}

// Local loader

/** Precedence of the layouts on equal open times (lower wins). */
const LAYOUT_RANK: Record<KlineLayout | 'feather', number> = { native12: 0, header6: 1, feather: 2 };

/** Kline files of one series in precedence order (highest first), with their names. */
export interface RankedKlineFiles {
  klines: KlineColumns[];
  /** Paths relative to the market-data folder (`freqtrade:` + path for FREQTRADE_DATA_DIR files), in the same order. */
  sources: string[];
}

/** Relative folder of a spot series: `klines/BTCUSDT/4h`. */
export function spotKlineFolder(symbol: string, timeframe: Timeframe): string {
  return path.posix.join('klines', symbol, timeframe);
}

/** Freqtrade's spot candle files of a series, relative to its data folder: `BTC_USDT-4h.feather`, `spot/BTC_USDT-4h.feather`. */
export function freqtradeKlineFiles(symbol: string, timeframe: Timeframe): string[] {
  const name = `${symbol.replace(/USDT$/, '')}_USDT-${timeframe}.feather`;
  return [name, path.posix.join('spot', name)];
}

/**
 * Reads and parses every `*.csv` in `{marketDataDir}/klines/{symbol}/{timeframe}/` and the
 * freqtrade candle files of the series in `freqtradeDataDir`, ordered by the precedence above.
 * Returns null when there is no such file.
 * @throws MarketDataError for a malformed file (naming file and line) or an unreadable one (naming it).
 */
export async function readLocalKlineFiles(
  marketDataDir: string | null,
  symbol: string,
  timeframe: Timeframe,
  freqtradeDataDir: string | null = null,
): Promise<RankedKlineFiles | null> {
  const folder = spotKlineFolder(symbol, timeframe);
  const names = marketDataDir ? ((await listSourceFolder(marketDataDir, folder)) ?? []) : [];
  const csv = Promise.all(
    names
      .filter((n) => n.toLowerCase().endsWith('.csv'))
      .map(async (name) => {
        const source = path.posix.join(folder, name);
        const bytes = await readSourceFile(marketDataDir!, source, source);
        return { source, ...parseKlineCsv(bytes.toString('utf8'), source) };
      }),
  );
  const feather = Promise.all(
    (freqtradeDataDir ? freqtradeKlineFiles(symbol, timeframe) : []).map(async (rel) => {
      const source = `freqtrade:${rel}`;
      const bytes = await readOptionalSourceFile(freqtradeDataDir!, rel, source);
      return bytes === null ? null : { source, layout: 'feather' as const, klines: parseFeatherKlines(bytes, source) };
    }),
  );
  const parsed = [...(await csv), ...(await feather).filter((f) => f !== null)];
  if (parsed.length === 0) return null;
  parsed.sort((a, b) => LAYOUT_RANK[a.layout] - LAYOUT_RANK[b.layout]); // stable: name order within a layout
  return { klines: parsed.map((p) => p.klines), sources: parsed.map((p) => p.source) };
}
