/**
 * The ordinary backtest a walk-forward step stands for: what `POST /api/backtest/execute`
 * runs to reproduce a step's test window. Client-safe, pure (the page uses it too).
 */
import type { BacktestParams, DateRange } from '../schemas';
import type { ThresholdPair, WalkForwardInput } from './types';

/** The backtest params of `pair` over `dateRange` with the input's fixed params (extremes only when set). */
export function pairParams(input: WalkForwardInput, pair: ThresholdPair, dateRange: DateRange): BacktestParams {
  const params: BacktestParams = {
    asset: input.asset,
    timeframe: input.timeframe,
    leverage: input.leverage,
    lowThreshold: pair.low,
    highThreshold: pair.high,
    strategy: input.strategy,
  };
  if (input.extremeLowThreshold !== undefined && input.extremeHighThreshold !== undefined) {
    params.extremeLowThreshold = input.extremeLowThreshold;
    params.extremeHighThreshold = input.extremeHighThreshold;
  }
  params.dateRange = dateRange;
  return params;
}
