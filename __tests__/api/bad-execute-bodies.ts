/**
 * Invalid bodies of POST /api/backtest/execute with the field each 400 `error` must name; shared
 * by the route-handler and the HTTP tests.
 */
import { ETH_4H_PARAMS } from '../helpers/params';

export const VALID_PARAMS = ETH_4H_PARAMS;

const withParams = (patch: Record<string, unknown>) => ({ params: { ...VALID_PARAMS, ...patch } });

/** [case, body, text the error must contain]. */
export const BAD_EXECUTE_BODIES: [string, unknown, string][] = [
  ['leverage 0', withParams({ leverage: 0 }), 'params.leverage'],
  ['leverage 13', withParams({ leverage: 13 }), 'params.leverage'],
  ['fractional leverage', withParams({ leverage: 2.5 }), 'params.leverage'],
  ['leverage as a string', withParams({ leverage: '3' }), 'params.leverage'],
  ['lowThreshold 0', withParams({ lowThreshold: 0 }), 'params.lowThreshold'],
  ['lowThreshold 100', withParams({ lowThreshold: 100, highThreshold: 100 }), 'params.lowThreshold'],
  ['highThreshold 101', withParams({ highThreshold: 101 }), 'params.highThreshold'],
  ['highThreshold 1', withParams({ lowThreshold: 1, highThreshold: 1 }), 'params.highThreshold'],
  ['low = high', withParams({ lowThreshold: 60, highThreshold: 60 }), 'params.highThreshold'],
  ['low > high', withParams({ lowThreshold: 70, highThreshold: 30 }), 'params.highThreshold'],
  ['unknown asset', withParams({ asset: 'DOGE' }), 'params.asset'],
  ['unknown timeframe', withParams({ timeframe: '1d' }), 'params.timeframe'],
  ['unknown strategy', withParams({ strategy: 'hodl' }), 'params.strategy'],
  ['missing strategy', { params: { ...VALID_PARAMS, strategy: undefined } }, 'params.strategy'],
  ['unknown priority', { params: VALID_PARAMS, priority: 'urgent' }, 'priority'],
  ['non-boolean forceRefresh', { params: VALID_PARAMS, forceRefresh: 'yes' }, 'forceRefresh'],
  ['non-boolean includeDetail', { params: VALID_PARAMS, includeDetail: 1 }, 'includeDetail'],
  ['impossible date', withParams({ dateRange: { start: '2024-02-30', end: '2024-03-01' } }), 'params.dateRange.start'],
  ['badly written date', withParams({ dateRange: { start: '2024-1-1', end: '2024-03-01' } }), 'params.dateRange.start'],
  ['start after end', withParams({ dateRange: { start: '2024-03-02', end: '2024-03-01' } }), 'params.dateRange'],
  ['dateRange not an object', withParams({ dateRange: '2024-01-01' }), 'params.dateRange'],
  ['extremeLow above low', withParams({ extremeLowThreshold: 30, extremeHighThreshold: 80 }), 'params.extremeLowThreshold'],
  ['extremeHigh below high', withParams({ extremeLowThreshold: 10, extremeHighThreshold: 70 }), 'params.extremeHighThreshold'],
  ['a lone extreme threshold', withParams({ extremeLowThreshold: 10 }), 'params.extremeHighThreshold'],
  ['extremes with momentum', withParams({ strategy: 'momentum', extremeLowThreshold: 10, extremeHighThreshold: 90 }), 'params.strategy'],
  ['extremeHigh 101', withParams({ extremeLowThreshold: 10, extremeHighThreshold: 101 }), 'params.extremeHighThreshold'],
  ['unknown params field', withParams({ stopLoss: 5 }), 'stopLoss'],
  ['unknown body field', { params: VALID_PARAMS, verbose: true }, 'verbose'],
  ['missing params', { forceRefresh: true }, 'params'],
  ['an array body', [VALID_PARAMS], 'body'],
];
