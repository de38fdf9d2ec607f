/**
 * zod shape of a cached WalkForwardResult: the cache validates every entry it reads with it, so
 * a truncated, hand-edited or foreign document is a miss. Every object's fields are listed in
 * the order the computed result holds them, because zod's output follows the shape's order: a
 * result read back must be the same JSON text as the one computed. Extra fields an engine adds
 * to its metrics later are kept (after the known ones). Client-safe.
 */
import { z } from 'zod';
import { dateRangeSchema, walkForwardRequestSchema } from '../schemas';
import type { WalkForwardResult } from './types';

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
const count = z.number().int().nonnegative();
const period = z.object({ start: z.string(), end: z.string() });
const pair = z.object({ low: count, high: count });

/** BacktestMetrics (SPEC §4) as runBacktest returns them, in its key order. */
const backtestMetricsSchema = z.looseObject({
  returns: finite,
  maxDrawdown: finite,
  sharpeRatio: finite,
  sortinoRatio: finite,
  calmarRatio: finite.nullable(),
  trades: count,
  winRate: finite,
  profitFactor: finite.nullable(),
  avgWin: finite,
  avgLoss: finite,
  fees: finite,
  funding: finite,
  fundingCoverage: finite,
  liquidated: z.boolean(),
  liquidations: count,
  exposure: finite,
  buyAndHoldReturn: finite,
  overrides: count,
  bars: count,
  finalEquity: finite,
  period,
});

const trainingScoreSchema = z.object({
  returns: finite,
  sharpeRatio: finite,
  maxDrawdown: finite,
  calmarRatio: finite.nullable(),
  trades: count,
  bars: count,
});

const choiceShape = {
  pair: pair.nullable(),
  objectiveValue: finite.nullable(),
  training: trainingScoreSchema.nullable(),
  eligiblePairs: count,
  bars: count,
};

const stepSchema = z.object({
  index: count,
  train: dateRangeSchema,
  test: dateRangeSchema,
  ...choiceShape,
  outcome: z.enum(['traded', 'flat']),
  flatReason: z.enum(['no-eligible-pair', 'no-test-data']).optional(),
  testMetrics: backtestMetricsSchema.nullable(),
  testBars: count,
  startEquity: finite,
  endEquity: finite,
});

/** The input a result was computed for: the request schema's output without forceRefresh. */
const inputSchema = walkForwardRequestSchema.transform(({ forceRefresh: _forceRefresh, ...input }) => input);

/** A WalkForwardResult; parse() returns it typed. */
export const walkForwardResultSchema: z.ZodType<WalkForwardResult> = z.object({
  key: z.string().startsWith('WF-'),
  input: inputSchema,
  range: dateRangeSchema,
  outOfSample: dateRangeSchema,
  steps: z.array(stepSchema).min(1),
  metrics: backtestMetricsSchema,
  hindsight: z.object({ ...choiceShape, pair, metrics: backtestMetricsSchema }).nullable(),
  hindsightGap: finite.nullable(),
  meanTestAnnualisedReturn: finite.nullable(),
  meanTrainingAnnualisedReturn: finite.nullable(),
  efficiency: finite.nullable(),
  chart: z.object({
    time: z.array(finite),
    walkForward: z.array(finite),
    buyAndHold: z.array(finite),
    hindsight: z.array(finite.nullable()),
  }),
  executionTime: finite,
  timestamp: count,
  dataVersion: z.string().min(1),
}) as unknown as z.ZodType<WalkForwardResult>;
