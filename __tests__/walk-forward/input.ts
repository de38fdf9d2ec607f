/** A walk-forward input for the synthetic regime series (ETH 4h, 3× contrarian, objective returns). */
import type { WalkForwardInput } from '@/lib/walk-forward/types';

export function syntheticInput(overrides: Partial<WalkForwardInput> = {}): WalkForwardInput {
  return {
    asset: 'ETH',
    timeframe: '4h',
    leverage: 3,
    strategy: 'contrarian',
    trainDays: 2,
    testDays: 2,
    objective: 'returns',
    minTrades: 1,
    anchored: false,
    ...overrides,
  };
}
