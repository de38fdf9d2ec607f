/**
 * The bars of one spot price series from wherever they are: the local market-data folder when it
 * holds the series, else the download cache / Binance REST API.
 */
import type { Timeframe } from '../schemas';
import { INTERVAL_MS } from './intervals';
import { dropNewestBar, mergeKlines } from './merge-klines';
import type { KlineColumns } from './kline-columns';
import { readLocalKlineFiles, spotKlineFolder } from './local-klines';
import type { MarketDataContext } from './market-data-context';
import { missingDataError } from './missing-data-error';
import { loadDownloadedKlines } from './online/kline-month-store';
import { downloadedSourceName } from './source-name';

/**
 * Merged bars of `symbol`/`timeframe` (precedence and dropping rules in local-klines.ts), without
 * off-grid bars and without the newest (still forming) bar.
 * @returns the bars and the files read.
 * @throws MarketDataError for a malformed file, or when the series is neither local nor
 *   downloadable (the message says how to supply it).
 */
export async function loadKlines(
  context: MarketDataContext,
  symbol: string,
  timeframe: Timeframe,
): Promise<{ klines: KlineColumns; sources: string[] }> {
  const intervalMs = INTERVAL_MS[timeframe];
  const local = context.marketDataDir ? await readLocalKlineFiles(context.marketDataDir, symbol, timeframe) : null;
  if (local) return { klines: dropNewestBar(mergeKlines(local.klines, intervalMs)), sources: local.sources };
  let downloaded;
  try {
    downloaded = await loadDownloadedKlines(
      { downloadDir: context.downloadDir, binanceApiUrl: context.binanceApiUrl, now: context.now() },
      symbol,
      timeframe,
    );
  } catch (error) {
    throw missingDataError(`${symbol} ${timeframe} klines`, `${spotKlineFolder(symbol, timeframe)}/*.csv`, context.marketDataDir, error);
  }
  return {
    klines: dropNewestBar(mergeKlines(downloaded.klines, intervalMs)),
    sources: downloaded.files.map(downloadedSourceName),
  };
}
