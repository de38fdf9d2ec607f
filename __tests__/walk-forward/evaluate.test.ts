import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG, runBacktest } from '@/lib/engine';
import type { MarketSeries } from '@/lib/market-data/types';
import { chooseStepPair } from '@/lib/walk-forward/choose';
import { evaluateWalkForward } from '@/lib/walk-forward/evaluate';
import { pairParams } from '@/lib/walk-forward/pair-params';
import { planWalkForward } from '@/lib/walk-forward/plan';
import { runWalkForward } from '@/lib/walk-forward/run';
import type { ThresholdPair, WalkForwardInput } from '@/lib/walk-forward/types';
import { syntheticSeries } from '../helpers/synthetic-series';
import { syntheticInput } from './input';
import { BARS_PER_DAY, day, regimeSeries } from './regimes';

const CAPITAL = DEFAULT_ENGINE_CONFIG.capital;
const DAYS = ['contrarian', 'contrarian', 'rising', 'rising', 'falling', 'falling', 'contrarian', 'contrarian'] as const;
const series = regimeSeries(DAYS);

/** The ordinary backtest of a pair on UTC days [from, to] of `s`, with every bar's equity. */
function backtest(s: MarketSeries, input: WalkForwardInput, pair: ThresholdPair, from: number, to: number) {
  const params = pairParams(input, pair, { start: day(from), end: day(to) });
  const { metrics, detail } = runBacktest(s, params, { config: { ...DEFAULT_ENGINE_CONFIG, maxDetailPoints: 1e9 }, detail: true });
  return { metrics, equity: detail!.points.map((p) => p.equity) };
}

describe('walk-forward evaluation', () => {
  it('chooses per rolling training window and runs each choice on its test window', async () => {
    const input = syntheticInput();
    const result = await runWalkForward(series, input);
    expect(result.steps.map((s) => s.pair)).toEqual([
      { low: 20, high: 21 }, // trained on contrarian days
      { low: 80, high: 81 }, // trained on rising days
      { low: 1, high: 2 }, // trained on falling days
    ]);
    result.steps.forEach((step, k) => {
      const own = backtest(series, input, step.pair!, 2 + 2 * k, 3 + 2 * k);
      expect(step.testMetrics).toEqual(own.metrics);
      expect(step.outcome).toBe('traded');
      expect(step.testBars).toBe(2 * BARS_PER_DAY);
    });
  });

  it('anchored windows choose on everything since the start', async () => {
    // Days 0–3: (long, short) earns ≈ +3 % a bar on the contrarian days and ≈ 0 on the rising
    // ones; (long, long) ≈ 0 then +1.5 % a bar: (20, 21) wins. Days 0–5 add falling days, where
    // (long, short) is ≈ 0 again and (short, short) loses the rising days: (20, 21) again.
    const result = await runWalkForward(series, syntheticInput({ anchored: true }));
    expect(result.steps.map((s) => s.pair)).toEqual([
      { low: 20, high: 21 },
      { low: 20, high: 21 },
      { low: 20, high: 21 },
    ]);
    expect(result.steps.map((s) => s.training!.bars)).toEqual([12, 24, 36]);
  });

  it('chains the test equity: each window scaled by the earlier windows’ final equity / capital', async () => {
    const input = syntheticInput();
    const result = await runWalkForward(series, input);
    const runs = result.steps.map((s, k) => backtest(series, input, s.pair!, 2 + 2 * k, 3 + 2 * k));
    const finals = runs.map((r) => r.equity.at(-1)!);
    // S_0 = 1, S_1 = f_0 / C, S_2 = f_0 f_1 / C²; the chained curve is S_k × window k's equity.
    const scales = [1, finals[0] / CAPITAL, (finals[0] * finals[1]) / CAPITAL ** 2];
    const expected = runs.flatMap((r, k) => r.equity.map((e) => e * scales[k]));
    expect(result.chart.walkForward).toHaveLength(36);
    result.chart.walkForward.forEach((e, i) => expect(e).toBeCloseTo(expected[i], 8));
    result.steps.forEach((s, k) => expect(s.startEquity).toBeCloseTo(scales[k] * CAPITAL, 8));
    expect(result.steps[2].endEquity).toBeCloseTo((finals[0] * finals[1] * finals[2]) / CAPITAL ** 2, 8);
    const compounded = runs.reduce((g, r) => g * (1 + r.metrics.returns / 100), 1);
    expect(result.metrics.returns).toBeCloseTo((compounded - 1) * 100, 9);
    expect(result.metrics.trades).toBe(runs.reduce((n, r) => n + r.metrics.trades, 0));
    expect(result.metrics.bars).toBe(36);
    // Drawdown of the chained curve, by hand: running peak from capital.
    let peak = CAPITAL;
    let worst = 0;
    for (const e of expected) {
      peak = Math.max(peak, e);
      worst = Math.max(worst, (peak - e) / peak);
    }
    expect(result.metrics.maxDrawdown).toBeCloseTo(worst * 100, 9);
    // Buy-and-hold over the same span: last close / open of day 2's first bar.
    const first = 2 * BARS_PER_DAY;
    expect(result.metrics.buyAndHoldReturn).toBeCloseTo((series.close[47] / series.open[first] - 1) * 100, 9);
    expect(result.chart.buyAndHold[0]).toBeCloseTo((CAPITAL * series.close[first]) / series.open[first], 9);
    expect(result.metrics.period).toEqual({ start: '2024-01-03T00:00:00.000Z', end: '2024-01-09T00:00:00.000Z' });
  });

  it('benchmarks against the best whole-range pair run over the out-of-sample span', async () => {
    const input = syntheticInput();
    const result = await runWalkForward(series, input);
    // Over all 8 days (4 contrarian, 2 rising, 2 falling) (long, short) wins: (20, 21).
    expect(result.hindsight!.pair).toEqual({ low: 20, high: 21 });
    expect(result.hindsight!.training!.bars).toBe(48);
    const own = backtest(series, input, { low: 20, high: 21 }, 2, 7);
    expect(result.hindsight!.metrics).toEqual(own.metrics);
    expect(result.chart.hindsight).toEqual(own.equity);
    expect(result.hindsightGap).toBeCloseTo(own.metrics.returns - result.metrics.returns, 9);
  });

  it('walk-forward efficiency = mean annualised test return / mean annualised training return', async () => {
    const result = await runWalkForward(series, syntheticInput());
    const B = 2190; // 4h bars per year
    const annual = (r: number, n: number) => ((1 + r / 100) ** (B / n) - 1) * 100;
    const test = result.steps.map((s) => annual(s.testMetrics!.returns, s.testMetrics!.bars));
    const train = result.steps.map((s) => annual(s.training!.returns, s.training!.bars));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(result.meanTestAnnualisedReturn).toBeCloseTo(mean(test), 6);
    expect(result.meanTrainingAnnualisedReturn).toBeCloseTo(mean(train), 6);
    expect(result.efficiency).toBeCloseTo(mean(test) / mean(train), 9);
  });

  it('keeps a step without an eligible pair flat: equity unchanged, no trades', async () => {
    const result = await runWalkForward(series, syntheticInput({ minTrades: 100 }));
    for (const step of result.steps) {
      expect(step).toMatchObject({ pair: null, outcome: 'flat', flatReason: 'no-eligible-pair', testMetrics: null, startEquity: CAPITAL, endEquity: CAPITAL });
    }
    expect(result.chart.walkForward.every((e) => e === CAPITAL)).toBe(true);
    expect(result.metrics).toMatchObject({ returns: 0, maxDrawdown: 0, sharpeRatio: 0, trades: 0, bars: 36 });
    expect(result.hindsight).toBeNull();
    expect(result.efficiency).toBeNull();
  });

  it('runs the last, shorter test window over its remaining days', async () => {
    const input = syntheticInput({ testDays: 4 });
    const result = await runWalkForward(series, input);
    expect(result.steps.map((s) => s.testBars)).toEqual([24, 12]);
    const last = result.steps[1];
    expect(last.testMetrics).toEqual(backtest(series, input, last.pair!, 6, 7).metrics);
    expect(result.metrics.bars).toBe(36);
  });

  it('never lets data after a test window change that window’s choice or result (no look-ahead)', async () => {
    const input = syntheticInput();
    const before = await runWalkForward(series, input);
    // Rewrite everything after day 5 (step 1's test end): other prices, other FGI values.
    const cut = 6 * BARS_PER_DAY;
    const open = Array.from(series.open);
    const close = Array.from(series.close);
    const fgi = Array.from(series.fgi);
    for (let i = cut; i < open.length; i++) {
      open[i] = close[i - 1];
      close[i] = open[i] * (i % 2 ? 1.07 : 0.9);
      fgi[i] = (i * 37) % 101;
    }
    const after = await runWalkForward(syntheticSeries({ open, close, fgi }), input);
    for (const k of [0, 1]) {
      const { pair, objectiveValue, training, eligiblePairs, testMetrics, startEquity, endEquity } = after.steps[k];
      expect({ pair, objectiveValue, training, eligiblePairs, testMetrics, startEquity, endEquity }).toEqual({
        pair: before.steps[k].pair,
        objectiveValue: before.steps[k].objectiveValue,
        training: before.steps[k].training,
        eligiblePairs: before.steps[k].eligiblePairs,
        testMetrics: before.steps[k].testMetrics,
        startEquity: before.steps[k].startEquity,
        endEquity: before.steps[k].endEquity,
      });
    }
    expect(after.steps[2].testMetrics).not.toEqual(before.steps[2].testMetrics);
  });

  it('evaluates the choices it is given, so a pool may compute them anywhere', () => {
    const input = syntheticInput();
    const plan = planWalkForward(series, input);
    const choices = plan.steps.map((s) => structuredClone(chooseStepPair(series, input, { train: s.train })));
    const hindsight = chooseStepPair(series, input, { train: plan.range });
    const result = evaluateWalkForward(series, input, plan, choices, hindsight);
    expect(result.steps.map((s) => s.pair)).toEqual(choices.map((c) => c.pair));
    expect(() => evaluateWalkForward(series, input, plan, choices.slice(1), hindsight)).toThrow(/2 choices for 3/);
  });
});
