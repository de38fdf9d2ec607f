/**
 * The process-wide warm-up job runner behind `/api/backtest/warm-cache`, on the shared cache
 * server. Kept on globalThis so every route bundle sees the same job.
 */
import { backtestCacheServer } from '../backtest-cache-server';
import { WarmJobRunner } from './warm-job';

const SINGLETON = Symbol.for('split-sea.warmJobRunner');

/** The one warm-up job runner of this server process. */
export const warmJobRunner: WarmJobRunner = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??=
  new WarmJobRunner(backtestCacheServer)) as WarmJobRunner;
