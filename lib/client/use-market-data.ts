import useSWR from 'swr';
import type { CoverageEntry, UnavailableSeries } from '../market-data/types';
import { getJson, type ApiError } from './api';
import type { FundingCoverage, MarketDataResponse } from './api-types';

/** Route of SPEC §6 that lists the loaded market data. */
export const MARKET_DATA_URL = '/api/market-data';

/**
 * Coverage of the market data (`GET /api/market-data`), fetched once per page (it changes only
 * when the server's data changes). `coverage` is undefined until loaded or after an error;
 * `unavailable` lists the series the server cannot read, with the reason; `funding` the funding
 * history per perpetual when the server lists it.
 */
export function useMarketCoverage(): {
  coverage?: CoverageEntry[];
  unavailable?: UnavailableSeries[];
  /** Funding history per perpetual; undefined when the server does not list it. */
  funding?: FundingCoverage[];
  error?: ApiError;
  isLoading: boolean;
} {
  const { data, error, isLoading } = useSWR<MarketDataResponse, ApiError>(MARKET_DATA_URL, getJson, {
    revalidateOnFocus: false,
  });
  return { coverage: data?.coverage, unavailable: data?.unavailable, funding: Array.isArray(data?.funding) ? data.funding : undefined, error, isLoading };
}
