/**
 * The error for a market-data file or folder that exists in the listing but cannot be read (a
 * dangling symbolic link, a folder named like a file, no permission): names the file relative to
 * the market-data folder and the system error code, never an absolute path.
 */
import { MarketDataError } from '../errors';

/**
 * @param source the path relative to the market-data folder, e.g. `klines/SOLUSDT/4h/SOLUSDT_4h.csv`.
 * @param error the file-system error (its `code`, e.g. ENOENT, EACCES, EISDIR, is reported).
 */
export function unreadableSource(source: string, error: unknown): MarketDataError {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'unknown error';
  return new MarketDataError(`Cannot read market data ${source}: ${code}`, { cause: error });
}
