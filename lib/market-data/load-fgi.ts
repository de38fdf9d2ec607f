/**
 * The daily FGI from wherever it is: the local market-data folder when it holds an FGI file, else
 * the download cache / alternative.me API.
 */
import { LOCAL_FGI_FILES, readLocalFgi } from './local-fgi';
import type { MarketDataContext } from './market-data-context';
import { missingDataError } from './missing-data-error';
import { loadDownloadedFgi } from './online/fgi-store';
import { downloadedSourceName } from './source-name';
import type { FgiSeries } from './types';

/**
 * The merged FGI (precedence in local-fgi.ts).
 * @throws MarketDataError for a malformed file, or when the FGI is neither local nor downloadable.
 */
export async function loadFgiSeries(context: MarketDataContext): Promise<FgiSeries> {
  const local = context.marketDataDir ? await readLocalFgi(context.marketDataDir) : null;
  if (local) return local;
  try {
    const { fgi, file } = await loadDownloadedFgi({
      downloadDir: context.downloadDir,
      fgiApiUrl: context.fgiApiUrl,
      now: context.now(),
    });
    return { ...fgi, sources: [downloadedSourceName(file)] };
  } catch (error) {
    throw missingDataError('Fear & Greed Index', LOCAL_FGI_FILES[0], context.marketDataDir, error);
  }
}
