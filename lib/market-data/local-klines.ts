/**
 * Kline files from the local market-data folder (SOURCES.md layout), and the precedence between
 * them. This module decides which files make up a price series; `merge-klines.ts` applies it.
 *
 * Source selection and precedence (also in docs/market-data.md):
 * 1. Price series come only from the spot folders `klines/{SYMBOL}/{15m,1h,4h}/*.csv`, one folder
 *    per series. `klines-futures-um/` (perpetual futures) and `klines/{SYMBOL}/1d/` are never read
 *    for backtests, and no interval is built by resampling another.
 *    - 4h: the 6-column `{SYMBOL}_4h.csv` files directly (2017-08-17 .. 2026-01-06). They agree
 *      with 1h aggregates except in the 2018-02-09..11 offset-candle period (SOURCES.md
 *      "Verification"), where the 4h file is the cleaner source.
 *    - 1h: BTC and ETH from the native 12-column year files (2018 .. 2025); SOL from the native
 *      2024 and 2025 files plus `SOLUSDT_1h.csv` (2020-08-11 .. 2026-01-06) for the rest.
 *    - 15m: the spot `{BASE}_USDT-15m.csv` files (2024-12-05 .. 2025-11-30).
 * 2. All files of a folder are merged by open time. On the same open time the native Binance
 *    12-column dump wins over a 6-column CSV (it is Binance's own export); between files of the
 *    same layout the one whose name sorts first wins. Exact duplicates are thereby dropped and
 *    conflicting values resolved. (For SOL 1h 2024-2025 both sources are identical anyway.)
 * 3. Bars whose open time is not a multiple of the interval are dropped, then the newest bar of
 *    the merged series is dropped (still forming when the files were saved). Gaps stay gaps.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Timeframe } from '../schemas';
import type { KlineColumns } from './kline-columns';
import { parseKlineCsv, type KlineLayout } from './parse-kline-csv';
import { unreadableSource } from './read-error';

const LAYOUT_RANK: Record<KlineLayout, number> = { native12: 0, header6: 1 };

/** Kline files of one series in precedence order (highest first), with their names. */
export interface RankedKlineFiles {
  klines: KlineColumns[];
  /** Paths relative to the market-data folder, in the same order. */
  sources: string[];
}

/** Relative folder of a spot series: `klines/BTCUSDT/4h`. */
export function spotKlineFolder(symbol: string, timeframe: Timeframe): string {
  return path.posix.join('klines', symbol, timeframe);
}

/**
 * Reads and parses every `*.csv` in `{marketDataDir}/klines/{symbol}/{timeframe}/`, ordered by
 * the precedence above. Returns null when the folder is missing or holds no CSV file.
 * @throws MarketDataError for a malformed file (naming file and line) or an unreadable one (naming it).
 */
export async function readLocalKlineFiles(
  marketDataDir: string,
  symbol: string,
  timeframe: Timeframe,
): Promise<RankedKlineFiles | null> {
  const folder = spotKlineFolder(symbol, timeframe);
  let names: string[];
  try {
    names = (await readdir(path.join(marketDataDir, folder))).filter((n) => n.toLowerCase().endsWith('.csv'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unreadableSource(folder, error);
  }
  if (names.length === 0) return null;
  const parsed = await Promise.all(
    names.sort().map(async (name) => {
      const source = path.posix.join(folder, name);
      const text = await readFile(path.join(marketDataDir, source), 'utf8').catch((error: unknown) => {
        throw unreadableSource(source, error);
      });
      return { source, ...parseKlineCsv(text, source) };
    }),
  );
  parsed.sort((a, b) => LAYOUT_RANK[a.layout] - LAYOUT_RANK[b.layout]); // stable: name order within a layout
  return { klines: parsed.map((p) => p.klines), sources: parsed.map((p) => p.source) };
}
