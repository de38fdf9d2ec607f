/**
 * The errors of the market-data layer, all `MarketDataError` (lib/errors.ts, HTTP 503): a
 * malformed line of a file, a file that cannot be read, and data that is neither local nor
 * downloadable; and reading of data files with those errors. Messages name files relative to
 * the data folder, never absolute paths.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MarketDataError } from '../errors';

export { MarketDataError };

/** The error for a malformed line: names the file, the 1-based line (or row) number and the problem. */
export function malformedLine(file: string, line: number, problem: string): MarketDataError {
  return new MarketDataError(`Malformed market data in ${file}, line ${line}: ${problem}`);
}

/** The error for a malformed file as a whole (e.g. a Feather file that is not Arrow IPC): names the file and the problem. */
export function malformedFile(file: string, problem: string): MarketDataError {
  return new MarketDataError(`Malformed market data in ${file}: ${problem}`);
}

/**
 * The error for a market-data file or folder that exists in the listing but cannot be read (a
 * dangling symbolic link, a folder named like a file, no permission).
 * @param source the path relative to the market-data folder, e.g. `klines/SOLUSDT/4h/SOLUSDT_4h.csv`.
 * @param error the file-system error (its `code`, e.g. ENOENT, EACCES, EISDIR, is reported).
 */
export function unreadableSource(source: string, error: unknown): MarketDataError {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'unknown error';
  return new MarketDataError(`Cannot read market data ${source}: ${code}`, { cause: error });
}

/**
 * The error for data that is neither local nor downloadable: says what is missing, why the
 * download failed and how to supply the data locally.
 * @param what the missing data, e.g. `BTCUSDT 4h klines`.
 * @param localPath the path in the SOURCES.md layout that would supply it, e.g. `klines/BTCUSDT/4h/*.csv`.
 * @param marketDataDir the local folder that was searched, or null when there is none.
 * @param cause the download error.
 */
export function missingDataError(
  what: string,
  localPath: string,
  marketDataDir: string | null,
  cause: unknown,
): MarketDataError {
  const local =
    marketDataDir === null
      ? 'there is no local market-data folder (MARKET_DATA_DIR is unset and ../shared/market-data does not exist)'
      : `there is no ${localPath} in ${marketDataDir}`;
  return new MarketDataError(
    `No ${what}: ${local}, and the download failed (${(cause as Error).message}). ` +
      `Supply the data locally by setting MARKET_DATA_DIR to a folder in the SOURCES.md layout ` +
      `(${localPath}, fgi/crypto_fear_greed.csv), or allow access to the API.`,
    { cause },
  );
}

/**
 * The bytes of `{root}/{rel}`.
 * @param source the name used in errors and `sources`, e.g. `klines/BTCUSDT/4h/BTCUSDT_4h.csv`.
 * @throws MarketDataError (unreadableSource) for any file-system error (ENOENT of a dangling link, EACCES, EISDIR, ...).
 */
export async function readSourceFile(root: string, rel: string, source: string): Promise<Buffer> {
  try {
    return await readFile(path.join(/*turbopackIgnore: true*/ root, rel));
  } catch (error) {
    throw unreadableSource(source, error);
  }
}

/**
 * The bytes of `{root}/{rel}`, or null when it does not exist (ENOENT).
 * @throws MarketDataError (unreadableSource) for any other file-system error.
 */
export async function readOptionalSourceFile(root: string, rel: string, source: string): Promise<Buffer | null> {
  try {
    return await readFile(path.join(/*turbopackIgnore: true*/ root, rel));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unreadableSource(source, error);
  }
}

/**
 * Sorted entry names of folder `{root}/{rel}`; null when the folder does not exist (ENOENT).
 * @throws MarketDataError (unreadableSource) for any other file-system error.
 */
export async function listSourceFolder(root: string, rel: string): Promise<string[] | null> {
  try {
    return (await readdir(path.join(/*turbopackIgnore: true*/ root, rel))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unreadableSource(rel, error);
  }
}
