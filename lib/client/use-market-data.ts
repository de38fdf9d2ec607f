import useSWR from 'swr';
import type { CoverageEntry } from '../market-data/types';
import { getJson, type ApiError } from './api';
import type { MarketDataResponse } from './api-types';

/** Route of SPEC §6 that lists the loaded market data. */
export const MARKET_DATA_URL = '/api/market-data';

/**
 * Coverage of the market data (`GET /api/market-data`), fetched once per page (it changes only
 * when the server's data changes). `coverage` is undefined until loaded or after an error.
 */
export function useMarketCoverage(): { coverage?: CoverageEntry[]; error?: ApiError; isLoading: boolean } {
  const { data, error, isLoading } = useSWR<MarketDataResponse, ApiError>(MARKET_DATA_URL, getJson, {
    revalidateOnFocus: false,
  });
  return { coverage: data?.coverage, error, isLoading };
}
