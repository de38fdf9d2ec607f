/**
 * The process-wide walk-forward job service behind `/api/backtest/walk-forward`: the one place
 * where the production cache, series loader and step runner are wired. Kept on globalThis so
 * every route bundle sees the same jobs.
 */
import { loadSeries } from '../market-data';
import { MemoryWalkForwardCache } from './cache';
import { WalkForwardJobs } from './jobs';
import { inProcessStepRunner } from './run';

const SINGLETON = Symbol.for('split-sea.walkForwardJobs');

/** The walk-forward jobs of this server process. */
export const walkForwardJobs: WalkForwardJobs = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??=
  new WalkForwardJobs({
    // Wired to backtestCacheServer.runAndCacheDocument at merge (same tiers, counted by info and stats).
    cache: new MemoryWalkForwardCache(),
    loadSeries,
    // Wired to the piscina pool at merge: a StepRunner whose worker runs chooseStepPair.
    runStep: inProcessStepRunner,
  })) as WalkForwardJobs;
