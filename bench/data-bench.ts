/**
 * Market-data figures: reading, parsing, merging and FGI-joining one series, funding included,
 * from the files in MARKET_DATA_DIR (the loaders without the per-process memo; the OS file cache
 * is warm after the first run, as on a server restart), and reading and merging one symbol's
 * funding files (CSV + LZ4 Feather) alone.
 */
import { contextFromEnv } from '../lib/market-data/context';
import { buildSeries, loadFgiSeries, loadFundingHistory } from '../lib/market-data/series';
import { timeRepeated, type Summary } from './measure';

export interface DataFigures {
  data_load_fgi_ms: number;
  data_load_funding_ms: number;
  data_load_4h_ms: number;
  data_load_1h_ms: number;
  data_load_15m_ms: number;
  runs: Record<string, Summary>;
}

/** Times loading the FGI, ETHUSDT's funding history and ETH's 4h, 1h and 15m series with their funding column (first load excluded). */
export async function benchData(quick: boolean): Promise<DataFigures> {
  const context = contextFromEnv();
  const options = { warmup: 1, runs: quick ? 3 : 10 };
  const fgi = await timeRepeated(() => loadFgiSeries(context), options);
  const funding = await timeRepeated(() => loadFundingHistory(context, 'ETHUSDT'), options);
  const fgiSeries = await loadFgiSeries(context);
  const series = async (timeframe: '4h' | '1h' | '15m') =>
    timeRepeated(() => buildSeries(context, 'ETH', timeframe, fgiSeries), options);
  const h4 = await series('4h');
  const h1 = await series('1h');
  const m15 = await series('15m');
  return {
    data_load_fgi_ms: fgi.median,
    data_load_funding_ms: funding.median,
    data_load_4h_ms: h4.median,
    data_load_1h_ms: h1.median,
    data_load_15m_ms: m15.median,
    runs: { data_load_fgi: fgi, data_load_funding: funding, data_load_4h: h4, data_load_1h: h1, data_load_15m: m15 },
  };
}
