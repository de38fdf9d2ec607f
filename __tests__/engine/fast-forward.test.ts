/**
 * The simulation's fast-forward (bars that keep the previous bar's FGI value skip the fill and
 * the signal) against the plain bar-by-bar loop. The reference is the same series with the FGI
 * jittered by ±1e-6 on alternate bars, so no two neighbouring bars share a value and nothing is
 * fast-forwarded, and the thresholds moved by 0.5 so every comparison with the integer FGI
 * keeps its outcome: the two records must be identical, bar by bar and trade by trade.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG, resolveWindow, simulate, type SimulationRecord } from '../../lib/engine';
import { loadSeries, type MarketSeries } from '../../lib/market-data';
import { ASSETS, TIMEFRAMES, type BacktestParams } from '../../lib/schemas';
import { syntheticSeries } from '../helpers/synthetic-series';
import { randomCase } from './random-params';

const all: MarketSeries[] = [];
const jittered = new Map<MarketSeries, MarketSeries>();

beforeAll(async () => {
  for (const asset of ASSETS) {
    for (const timeframe of TIMEFRAMES) {
      const series = await loadSeries(asset, timeframe);
      all.push(series);
      jittered.set(series, jitter(series));
    }
  }
});

/** The series with FGI ± 1e-6 on alternate bars (NaN stays NaN). */
function jitter(series: MarketSeries): MarketSeries {
  return { ...series, fgi: Float64Array.from(series.fgi, (v, i) => v + (i % 2 === 0 ? 1e-6 : -1e-6)) };
}

/** Thresholds 0.5 inside their integer values: the same signals on an integer FGI ± 1e-6. */
function halfStepParams(params: BacktestParams): BacktestParams {
  const moved = { ...params, lowThreshold: params.lowThreshold + 0.5, highThreshold: params.highThreshold - 0.5 };
  if (params.extremeLowThreshold !== undefined) moved.extremeLowThreshold = params.extremeLowThreshold + 0.5;
  if (params.extremeHighThreshold !== undefined) moved.extremeHighThreshold = params.extremeHighThreshold - 0.5;
  return moved;
}

const recordAll = { recordEquity: true, recordPositions: true, recordTrades: true };

function plain(record: SimulationRecord) {
  return { ...record, equity: Array.from(record.equity!), positions: Array.from(record.positions!) };
}

describe('fast-forward over bars with an unchanged FGI', () => {
  it('the real FGI is integer, so the jittered reference takes the same decisions', () => {
    for (const series of all) expect(series.fgi.every((v) => Number.isNaN(v) || Number.isInteger(v))).toBe(true);
  });

  it('gives the record of the bar-by-bar loop on random params over every series', () => {
    fc.assert(
      fc.property(randomCase(all), ({ series, params }) => {
        const window = resolveWindow(series, params.dateRange);
        const fast = simulate(series, window, params, DEFAULT_ENGINE_CONFIG, recordAll);
        const reference = simulate(jittered.get(series)!, window, halfStepParams(params), DEFAULT_ENGINE_CONFIG, recordAll);
        expect(plain(fast), JSON.stringify(params)).toEqual(plain(reference));
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('stops at a liquidation inside a run of one FGI value and re-enters on the next bar', () => {
    // FGI 10 throughout (long at 10×); the price falls 12 % on bar 5, so the long is liquidated
    // within a run that is being fast-forwarded, and re-opened at the next open.
    const n = 12;
    const close = Array.from({ length: n }, (_, i) => (i < 5 ? 100 : 88));
    const series = syntheticSeries({ open: [100, ...close.slice(0, -1)], close, fgi: new Array(n).fill(10) });
    const params: BacktestParams = {
      asset: 'ETH', timeframe: '4h', leverage: 10, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian',
    };
    const window = { from: 0, to: n };
    const fast = simulate(series, window, params, DEFAULT_ENGINE_CONFIG, recordAll);
    const reference = simulate(jitter(series), window, halfStepParams(params), DEFAULT_ENGINE_CONFIG, recordAll);
    expect(plain(fast)).toEqual(plain(reference));
    expect(fast.trades!.map((t) => t.exitReason)).toEqual(['liquidation', 'end']);
  });
});
