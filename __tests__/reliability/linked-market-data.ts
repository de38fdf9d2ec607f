/**
 * A market-data folder for tests that damage one file without touching the real data: a temp
 * folder mirroring the SOURCES.md layout of the shared data with symbolic links to every file,
 * except the files replaced by test text and the dangling links asked for. Nothing is copied into
 * the project.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The real market data (read-only). */
export const REAL_MARKET_DATA = path.resolve(__dirname, '../../../shared/market-data');

/** Changes to the mirror, by path relative to the market-data folder. */
export interface MarketDataDamage {
  /** Files written with this text instead of linked. */
  replaced?: Record<string, string>;
  /** Links added that point nowhere (as after an operator moved the data). */
  danglingLinks?: string[];
}

/** Creates the mirror under the OS temp folder and returns its path (the caller removes it). */
export function linkedMarketData({ replaced = {}, danglingLinks = [] }: MarketDataDamage): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-linked-data-'));
  const mirror = (rel: string) => {
    fs.mkdirSync(path.join(root, rel), { recursive: true });
    for (const entry of fs.readdirSync(path.join(REAL_MARKET_DATA, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) mirror(child);
      else if (child in replaced) fs.writeFileSync(path.join(root, child), replaced[child]);
      else fs.symlinkSync(path.join(REAL_MARKET_DATA, child), path.join(root, child));
    }
  };
  mirror('');
  for (const link of danglingLinks) fs.symlinkSync(path.join(root, 'moved-away', link), path.join(root, link));
  return root;
}
