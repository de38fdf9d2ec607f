/**
 * Walk-forward figure: ETH 4h over all data with FGI, 365/90 rolling, objective sharpeRatio,
 * 3× contrarian, cold (no result cache; the series is loaded before timing), in-process with
 * the default step runner. One run (the run itself is ~30 grids of 4,950 backtests).
 */
import { loadSeries } from '../lib/market-data';
import { walkForwardRequestSchema } from '../lib/schemas';
import { walkForwardInput } from '../lib/walk-forward/plan';
import { computeWalkForward } from '../lib/walk-forward/run';
import { summarize, type Summary } from './measure';

export interface WalkForwardFigures {
  walk_forward_eth_4h_s: number;
  walk_forward_eth_4h_steps: number;
  runs: Record<string, Summary>;
}

/** Measures one cold walk-forward run (`quick` runs the same: a shorter one would not be the figure). */
export async function benchWalkForward(): Promise<WalkForwardFigures> {
  const series = await loadSeries('ETH', '4h');
  const input = walkForwardInput(
    walkForwardRequestSchema.parse({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' }),
  );
  const started = performance.now();
  const result = await computeWalkForward(series, input);
  const seconds = (performance.now() - started) / 1000;
  return {
    walk_forward_eth_4h_s: seconds,
    walk_forward_eth_4h_steps: result.steps.length,
    runs: { walk_forward_eth_4h: summarize([seconds]) },
  };
}
