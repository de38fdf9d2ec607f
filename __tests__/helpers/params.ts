import type { BacktestParams } from '@/lib/schemas';

/** The settings most tests start from: ETH 4h, 3×, contrarian 25/75, trailing 90 days. */
export const ETH_4H_PARAMS: BacktestParams = Object.freeze({
  asset: 'ETH',
  timeframe: '4h',
  leverage: 3,
  lowThreshold: 25,
  highThreshold: 75,
  strategy: 'contrarian',
});
