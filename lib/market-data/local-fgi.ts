/**
 * FGI files from the local market-data folder and their precedence (SOURCES.md §1):
 * `fgi/crypto_fear_greed.csv` is the source up to its last day (2025-10-16);
 * `fgi/crypto_fear_greed_extended.csv` only adds the days after that (its in-fills of days the
 * API lacks are not real values); missing days stay missing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mergeFgi } from './merge-fgi';
import { parseFgiCsv } from './parse-fgi-csv';
import { unreadableSource } from './read-error';
import type { FgiSeries } from './types';

/** FGI files in precedence order, relative to the market-data folder. */
export const LOCAL_FGI_FILES = ['fgi/crypto_fear_greed.csv', 'fgi/crypto_fear_greed_extended.csv'] as const;

/**
 * Reads and merges the FGI files that exist in `marketDataDir`; null when there is none.
 * @throws MarketDataError for a malformed file (naming file and line) or an unreadable one (naming it).
 */
export async function readLocalFgi(marketDataDir: string): Promise<FgiSeries | null> {
  const found = await Promise.all(
    LOCAL_FGI_FILES.map(async (source) => {
      try {
        return { source, text: await readFile(path.join(/*turbopackIgnore: true*/ marketDataDir, source), 'utf8') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw unreadableSource(source, error);
      }
    }),
  );
  const files = found.filter((f) => f !== null);
  if (files.length === 0) return null;
  const merged = mergeFgi(files.map((f) => parseFgiCsv(f.text, f.source)));
  return { ...merged, sources: files.map((f) => f.source) };
}
