import useSWR from 'swr';
import type { CoverageEntry, UnavailableSeries } from '../market-data/types';
import { getJson, type ApiError } from './api';
import type { MarketDataResponse } from './api-types';

/** Route of SPEC §6 that lists the loaded market data. */
export const MARKET_DATA_URL = '/api/market-data';

/**
 * Coverage of the market data (`GET /api/market-data`), fetched once per page (it changes only
 * when the server's data changes). `coverage` is undefined until loaded or after an error;
 * `unavailable` lists the series the server cannot read, with the reason.
 */
export function useMarketCoverage(): {
  coverage?: CoverageEntry[];
  unavailable?: UnavailableSeries[];
  error?: ApiError;
  isLoading: boolean;
} {
  const { data, error, isLoading } = useSWR<MarketDataResponse, ApiError>(MARKET_DATA_URL, getJson, {
    revalidateOnFocus: false,
  });
  return { coverage: data?.coverage, unavailable: data?.unavailable, error, isLoading };
}
