/**
 * Funding settlements of the USDT-M perpetuals (SOURCES.md §4, SPEC §2): the readers of every
 * funding file layout, the merge of several files into one history per symbol, the per-bar
 * `fundingRate` column, and the local loader.
 *
 * A settlement is a time (Unix ms UTC, rounded to the nearest whole minute: Binance stamps some a
 * few ms late, e.g. `1600012800004`) and a rate (a fraction of notional, 0.0001 = 0.01 %; longs
 * pay a positive rate).
 *
 * Layouts, recognised by the header (CSV) or the `ARROW1` magic (Feather), never by file name:
 * | layout | time column | rate column |
 * |---|---|---|
 * | `funding_time,date,funding_rate,mark_price` | `funding_time` (ms) | `funding_rate` |
 * | `funding_time_ms,funding_rate` (rates quoted) | `funding_time_ms` (ms) | `funding_rate` |
 * | `fundingTime,symbol,fundingRate,markPrice` (Binance REST as CSV) | `fundingTime` (ms) | `fundingRate` |
 * | `calc_time,funding_interval_hours,last_funding_rate` (data.binance.vision monthly archive) | `calc_time` (ms) | `last_funding_rate` |
 * | freqtrade `*-funding_rate.feather` | `date` (timestamp, UTC) | `open` |
 * Times above 1e15 are read as µs (as in Binance's 2025 spot dumps). Fields may be quoted.
 *
 * Precedence on equal settlement times (lower rank wins; then file name order; then
 * MARKET_DATA_DIR before FREQTRADE_DATA_DIR): Binance's own layouts (archive 0, REST 1), the
 * other CSVs (2), Feather (3). Equal rates are duplicates and dropped silently; different rates
 * are conflicts: the higher-precedence rate is kept and the conflict is counted.
 */
import path from 'node:path';
import { findCommas, forEachLine, lineCapacity, numberField } from './csv';
import { listSourceFolder, malformedLine, readOptionalSourceFile, readSourceFile } from './errors';
import { isFeather, readFeather } from './feather';

/** Settlements sorted by strictly increasing time. */
export interface FundingSettlements {
  /** Settlement time, Unix ms UTC, on a whole minute. */
  time: Float64Array;
  /** Rate as a fraction of notional (0.0001 = 0.01 %). */
  rate: Float64Array;
}

/** The merged funding history of one symbol. */
export interface FundingHistory extends FundingSettlements {
  /** Files read, in precedence order (relative to the market-data folder, `freqtrade:` + path, or the download cache). */
  sources: string[];
  /** Settlement times at which two files gave different rates (the higher-precedence one was kept). */
  conflicts: number;
}

/** The longest regular distance between settlements; a longer one is a gap (SPEC §2 coverage window). */
export const FUNDING_PERIOD_MS = 8 * 60 * 60_000;

/** Layout names, in precedence order. */
export type FundingLayout = 'binance-archive' | 'binance-rest' | 'funding-time' | 'funding-time-ms' | 'feather';

const LAYOUT_RANK: Record<FundingLayout, number> = {
  'binance-archive': 0,
  'binance-rest': 1,
  'funding-time': 2,
  'funding-time-ms': 2,
  feather: 3,
};

/** CSV headers → layout and the indexes of the time and rate columns. */
const CSV_LAYOUTS: ReadonlyArray<{ header: string; layout: FundingLayout; time: number; rate: number }> = [
  { header: 'calc_time,funding_interval_hours,last_funding_rate', layout: 'binance-archive', time: 0, rate: 2 },
  { header: 'fundingtime,symbol,fundingrate,markprice', layout: 'binance-rest', time: 0, rate: 2 },
  { header: 'funding_time,date,funding_rate,mark_price', layout: 'funding-time', time: 0, rate: 2 },
  { header: 'funding_time_ms,funding_rate', layout: 'funding-time-ms', time: 0, rate: 1 },
];

/** Times above this are µs. */
const MICROSECOND_THRESHOLD = 1e15;
const MINUTE_MS = 60_000;

/** A settlement time in ms or µs → ms rounded to the nearest minute; NaN when it is not a plausible Unix time. */
function settlementTime(raw: number): number {
  const ms = raw > MICROSECOND_THRESHOLD ? raw / 1000 : raw;
  return Number.isInteger(raw) && ms > 0 ? Math.round(ms / MINUTE_MS) * MINUTE_MS : NaN;
}

/** Why a settlement is impossible, or null: the time must be a Unix time, rates a fraction in (−1, 1), times increasing. */
function settlementProblem(time: number, rate: number, previous: number | undefined): string | null {
  if (Number.isNaN(time)) return 'time is not a Unix time in ms';
  if (!(Math.abs(rate) < 1)) return `rate ${rate} is not a fraction between -1 and 1`;
  if (previous !== undefined && time <= previous) return 'time (rounded to the minute) is not after the previous line';
  return null;
}

/** `text[start, end)` without one pair of surrounding double quotes. */
function unquote(text: string, start: number, end: number): [number, number] {
  return end - start >= 2 && text.charCodeAt(start) === 34 && text.charCodeAt(end - 1) === 34 ? [start + 1, end - 1] : [start, end];
}

/**
 * Parses a funding CSV in any layout of the table above.
 * @param file name used in error messages.
 * @throws MarketDataError naming file and line for an unknown header, a wrong column count, a
 *   time or rate that is not a number, a rate outside (−1, 1), or a time not after the previous line's.
 */
export function parseFundingCsv(text: string, file: string): { layout: FundingLayout; settlements: FundingSettlements } {
  const capacity = lineCapacity(text);
  const time = new Float64Array(capacity);
  const rate = new Float64Array(capacity);
  const commas = new Int32Array(4);
  let layout: (typeof CSV_LAYOUTS)[number] | undefined;
  let columns = 0;
  let n = 0;
  forEachLine(text, (start, end, line) => {
    if (!layout) {
      const header = text.slice(start, end).replace(/"/g, '').replace(/\s/g, '').toLowerCase();
      layout = CSV_LAYOUTS.find((l) => l.header === header);
      if (!layout) {
        throw malformedLine(file, line, `unrecognised funding header "${text.slice(start, end)}"; expected one of ${CSV_LAYOUTS.map((l) => l.header).join(' | ')}`);
      }
      columns = layout.header.split(',').length;
      return;
    }
    const count = findCommas(text, start, end, commas);
    if (count !== columns - 1) throw malformedLine(file, line, `expected ${columns} columns, found ${count + 1}`);
    const field = (k: number) => unquote(text, k === 0 ? start : commas[k - 1] + 1, k === count ? end : commas[k]);
    const [ts, te] = field(layout.time);
    const [rs, re] = field(layout.rate);
    const t = settlementTime(numberField(text, ts, te, 'time', file, line));
    const r = numberField(text, rs, re, 'rate', file, line);
    const problem = settlementProblem(t, r, n > 0 ? time[n - 1] : undefined);
    if (problem) throw malformedLine(file, line, problem);
    time[n] = t;
    rate[n] = r;
    n += 1;
  });
  if (!layout) throw malformedLine(file, 1, 'empty file; expected a funding CSV header');
  return { layout: layout.layout, settlements: { time: time.slice(0, n), rate: rate.slice(0, n) } };
}

/**
 * Settlements from raw times (Unix ms UTC, any sub-minute offset) and rates, e.g. a Feather
 * file's rows or downloaded API rows: times rounded to the minute and checked.
 * @param file name used in error messages ("line" there is the 1-based row).
 * @throws MarketDataError naming file and row for a time that is not a Unix time, a rate outside
 *   (−1, 1), or a time not after the previous row's.
 */
export function toSettlements(rawTime: ArrayLike<number>, rawRate: ArrayLike<number>, file: string): FundingSettlements {
  const time = new Float64Array(rawTime.length);
  const rate = Float64Array.from(rawRate);
  for (let i = 0; i < time.length; i++) {
    time[i] = rawTime[i] > 0 ? Math.round(rawTime[i] / MINUTE_MS) * MINUTE_MS : NaN;
    const problem = settlementProblem(time[i], rate[i], i > 0 ? time[i - 1] : undefined);
    if (problem) throw malformedLine(file, i + 1, problem);
  }
  return { time, rate };
}

/**
 * Parses a freqtrade funding file `*-funding_rate.feather`: time = `date`, rate = `open`.
 * @throws MarketDataError naming the file (and row) as readFeather and toSettlements do.
 */
export function parseFundingFeather(bytes: Uint8Array, file: string): FundingSettlements {
  const { time, values } = readFeather(bytes, file, ['open']);
  return toSettlements(time, values[0], file);
}

/**
 * Parses any funding file (Feather by its magic bytes, else CSV by its header).
 * @throws MarketDataError naming file and line of the first problem.
 */
export function parseFundingFile(bytes: Uint8Array, file: string): { layout: FundingLayout; settlements: FundingSettlements } {
  if (isFeather(bytes)) return { layout: 'feather', settlements: parseFundingFeather(bytes, file) };
  return parseFundingCsv(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file);
}

// Merge

/**
 * Merges settlement lists given in precedence order (highest first) by time in one k-way pass.
 * On equal times the first list's rate is kept; when another list has a different rate there,
 * that time counts once as a conflict.
 */
export function mergeFunding(sources: readonly FundingSettlements[]): FundingSettlements & { conflicts: number } {
  const total = sources.reduce((sum, s) => sum + s.time.length, 0);
  const time = new Float64Array(total);
  const rate = new Float64Array(total);
  const heads = new Int32Array(sources.length);
  let n = 0;
  let conflicts = 0;
  for (;;) {
    let winner = -1;
    let t = Infinity;
    for (let s = 0; s < sources.length; s++) {
      if (heads[s] < sources[s].time.length && sources[s].time[heads[s]] < t) {
        t = sources[s].time[heads[s]];
        winner = s;
      }
    }
    if (winner === -1) break;
    const r = sources[winner].rate[heads[winner]];
    let conflict = false;
    for (let s = 0; s < sources.length; s++) {
      if (heads[s] < sources[s].time.length && sources[s].time[heads[s]] === t) {
        if (sources[s].rate[heads[s]] !== r) conflict = true;
        heads[s] += 1;
      }
    }
    if (conflict) conflicts += 1;
    time[n] = t;
    rate[n] = r;
    n += 1;
  }
  return { time: time.slice(0, n), rate: rate.slice(0, n), conflicts };
}

// The per-bar column (SPEC §2)

/**
 * `fundingRate[i]` for bars with the given open times: the sum of the rates of the settlements
 * with openTime < T ≤ openTime + intervalMs when the bar is covered, i.e. some settlement lies in
 * [close time − 8 h, close time]; NaN when it is not (before the contract existed, after the
 * history ends, or inside a gap longer than 8 h). One linear pass over both sorted arrays.
 * @param openTime bar open times, Unix ms UTC, ascending.
 */
export function fundingColumn(openTime: Float64Array, intervalMs: number, funding: FundingSettlements): Float64Array {
  const out = new Float64Array(openTime.length);
  const { time, rate } = funding;
  let first = 0; // first settlement with T > the bar's open time
  let window = 0; // first settlement with T ≥ close time − 8 h
  for (let i = 0; i < openTime.length; i++) {
    const open = openTime[i];
    const close = open + intervalMs;
    while (window < time.length && time[window] < close - FUNDING_PERIOD_MS) window += 1;
    if (!(window < time.length && time[window] <= close)) {
      out[i] = NaN;
      continue;
    }
    while (first < time.length && time[first] <= open) first += 1;
    let sum = 0;
    for (let k = first; k < time.length && time[k] <= close; k++) sum += rate[k];
    out[i] = sum;
  }
  return out;
}

/** Runs longer than 8 h between consecutive settlements: `from` and `to` are the settlement times bounding the gap (Unix ms UTC). */
export function fundingGaps(time: Float64Array): Array<{ from: number; to: number }> {
  const gaps: Array<{ from: number; to: number }> = [];
  for (let i = 1; i < time.length; i++) {
    if (time[i] - time[i - 1] > FUNDING_PERIOD_MS) gaps.push({ from: time[i - 1], to: time[i] });
  }
  return gaps;
}

// Local loader

/** Relative folder of a symbol's funding files: `funding/BTCUSDT`. */
export function fundingFolder(symbol: string): string {
  return path.posix.join('funding', symbol);
}

/** Freqtrade's funding file names of a symbol: `futures/BTC_USDT_USDT-8h-funding_rate.feather` and the `-1h-` one. */
export function freqtradeFundingFiles(symbol: string): string[] {
  const base = symbol.replace(/USDT$/, '');
  return ['8h', '1h'].map((tf) => path.posix.join('futures', `${base}_USDT_USDT-${tf}-funding_rate.feather`));
}

/**
 * Reads every file in `{marketDataDir}/funding/{symbol}/` and freqtrade's funding files in
 * `freqtradeDataDir`, and merges them (precedence above). Null when there is no such file.
 * @throws MarketDataError for a malformed file (naming file and line) or an unreadable one.
 */
export async function readLocalFunding(
  marketDataDir: string | null,
  symbol: string,
  freqtradeDataDir: string | null = null,
): Promise<FundingHistory | null> {
  const folder = fundingFolder(symbol);
  const names = marketDataDir ? ((await listSourceFolder(marketDataDir, folder)) ?? []) : [];
  const local = Promise.all(
    names.map(async (name) => {
      const source = path.posix.join(folder, name);
      return { source, ...parseFundingFile(await readSourceFile(marketDataDir!, source, source), source) };
    }),
  );
  const freqtrade = Promise.all(
    (freqtradeDataDir ? freqtradeFundingFiles(symbol) : []).map(async (rel) => {
      const source = `freqtrade:${rel}`;
      const bytes = await readOptionalSourceFile(freqtradeDataDir!, rel, source);
      return bytes === null ? null : { source, layout: 'feather' as const, settlements: parseFundingFeather(bytes, source) };
    }),
  );
  const files = [...(await local), ...(await freqtrade).filter((f) => f !== null)];
  if (files.length === 0) return null;
  files.sort((a, b) => LAYOUT_RANK[a.layout] - LAYOUT_RANK[b.layout]); // stable: name order, then freqtrade
  const merged = mergeFunding(files.map((f) => f.settlements));
  return { ...merged, sources: files.map((f) => f.source) };
}
