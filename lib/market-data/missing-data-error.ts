/**
 * The error for data that is neither local nor downloadable: says what is missing, why the
 * download failed and how to supply the data locally.
 */
import { MarketDataError } from '../errors';

/**
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
