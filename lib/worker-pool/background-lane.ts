/**
 * The background lane: code run through `inBackgroundLane(work)` (warm-up items) computes its
 * backtests in the worker pool at `low` priority instead of on the request thread. Carried by
 * AsyncLocalStorage, so it passes through the result cache (lookup, single-flight, store) to
 * computeBacktest (lib/backtest-service.ts) without the cache knowing about it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

// On globalThis: Next gives each route bundle its own copy of this module, and the cache server
// that calls computeBacktest is shared by all of them.
const SINGLETON = Symbol.for('split-sea.backgroundLane');
const lane = ((globalThis as Record<symbol, unknown>)[SINGLETON] ??= new AsyncLocalStorage<true>()) as AsyncLocalStorage<true>;

/** Runs `work` with every backtest it starts computed in the pool (priority `low`). */
export function inBackgroundLane<T>(work: () => Promise<T>): Promise<T> {
  return lane.run(true, work);
}

/** True inside inBackgroundLane. */
export function isInBackgroundLane(): boolean {
  return lane.getStore() === true;
}
