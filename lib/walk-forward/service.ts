/**
 * The process-wide walk-forward job service behind `/api/backtest/walk-forward`: the one place
 * where the production cache (the backtest cache's tiers, counted by info and stats), the series
 * loader and the step runner (the worker pool, one threshold search per task) are wired. Kept on
 * globalThis so every route bundle sees the same jobs.
 */
import { backtestCacheServer } from '../backtest-cache-server';
import { loadSeries } from '../market-data';
import { poolSizeFromEnv, runInPool, sharedSeries } from '../worker-pool';
import { WalkForwardJobs } from './jobs';
import type { StepRunner } from './run';

const SINGLETON = Symbol.for('split-sea.walkForwardJobs');

/** Runs one threshold search in the worker pool (normal lane: interactive backtests stay on the request thread). */
const poolStepRunner: StepRunner = (series, input, task) =>
  runInPool('walkForwardStep', { series: sharedSeries(series), input, task }, { priority: 'normal' });

/** The walk-forward jobs of this server process. */
export const walkForwardJobs: WalkForwardJobs = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??=
  new WalkForwardJobs({
    cache: backtestCacheServer,
    loadSeries,
    runStep: poolStepRunner,
    concurrency: poolSizeFromEnv(),
  })) as WalkForwardJobs;
