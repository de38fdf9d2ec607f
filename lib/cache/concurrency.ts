/**
 * Promise coordination of the result cache within one process: single-flight per key
 * (`SingleFlight`) and across processes sharing a store (`CrossInstanceSingleFlight`), per-entry
 * serialisation (`EntryLocks`), the serial background queue (`MaintenanceQueue`), the count of
 * interactive requests in flight (`InteractiveGate`) and a bounded worker pool (`mapBounded`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CacheHit, CacheTier } from './entry';
import { formatMs, type ReportIoError } from './log';
import type { ComputeCoordinator, ComputeLock } from './store';

/** Work in flight per key: callers for a key with pending work get the same promise. */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /**
   * The promise in flight for `key` (after calling `onJoin`), or a new one from `work`, shared
   * until it settles.
   */
  run(key: string, work: () => Promise<T>, onJoin: () => void): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) {
      onJoin();
      return running;
    }
    const flight = work();
    this.inFlight.set(key, flight);
    const release = () => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    };
    flight.then(release, release);
    return flight;
  }
}

/** What the cross-instance coordination works with. */
export interface CrossInstanceDeps {
  /** The store's lock service; absent on a store only this process uses (then nothing is coordinated). */
  coordinator: ComputeCoordinator | undefined;
  /** Lifetime of a compute lock and longest wait for another instance, ms. */
  lockTtlMs: number;
  /** Interval between lookups while another instance computes, ms. */
  lockPollMs: number;
  info: (line: string) => void;
  reportIoError: ReportIoError;
}

/** One computation per key across every process sharing the store. */
export class CrossInstanceSingleFlight {
  constructor(private readonly deps: CrossInstanceDeps) {}

  /**
   * Takes the compute lock of `key`, or waits for the instance holding it to store the entry,
   * looking (`lookup`: the fresh entry, or null) every `lockPollMs`. A holder that dies leaves a lock that expires after `lockTtlMs`,
   * which is then taken here; after waiting that long in any case, computes without the lock.
   * Returns the lock to release after computing (null: compute without one, e.g. no coordinator
   * or the store is unreachable), or the fresh entry another instance stored meanwhile.
   */
  async claim<R>(
    key: string,
    lookup: () => Promise<CacheHit<R> | null>,
  ): Promise<{ lock: ComputeLock | null } | { hit: CacheHit<R> }> {
    const { coordinator, lockTtlMs, lockPollMs, info } = this.deps;
    if (!coordinator) return { lock: null };
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      let lock: ComputeLock | null;
      try {
        lock = await coordinator.tryLock(key, lockTtlMs);
      } catch (error) {
        this.deps.reportIoError('lock', error);
        return { lock: null };
      }
      // Looked up after every attempt: another instance may have stored the entry since our miss.
      const hit = await lookup();
      if (hit) {
        await this.release(lock);
        return { hit };
      }
      if (lock) return { lock };
      const waited = performance.now() - started;
      if (attempt === 0) info(`[BACKTEST FLOW] Waiting for ${key}: another instance is computing it`);
      if (waited >= lockTtlMs) {
        info(`[BACKTEST FLOW] Gave up waiting for ${key} after ${formatMs(waited)}; computing it here`);
        return { lock: null };
      }
      await sleep(lockPollMs);
    }
  }

  /** Releases a lock from `claim` (null: nothing to release); a failure is only logged. */
  async release(lock: ComputeLock | null): Promise<void> {
    await lock?.release().catch((error) => this.deps.reportIoError('lock release', error));
  }
}

/** The queue of work on each stored entry that has some pending. */
export class EntryLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after every task queued earlier for the same entry has settled; its result or error passes through. */
  async run<T>(tier: CacheTier, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${tier}/${key}`;
    const previous = this.tails.get(id) ?? Promise.resolve();
    const result = previous.then(work);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(id, done);
    try {
      return await result;
    } finally {
      if (this.tails.get(id) === done) this.tails.delete(id);
    }
  }
}

/** A serial queue of background tasks; tasks catch and log their own failures. */
export class MaintenanceQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly pending = new Set<Promise<void>>();

  /**
   * Runs `task` after every task enqueued before it. A task that fails anyway (tasks are meant to
   * catch their own errors) neither stops later tasks nor surfaces as an unhandled rejection.
   */
  enqueue(task: () => Promise<void>): void {
    const run = this.tail.then(task).catch((error: unknown) => console.error('[CACHE ERROR] Cache maintenance task failed:', error));
    this.tail = run;
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  /** Resolves when no task is pending, including tasks enqueued while waiting. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/** Quiet time a background item waits for after the last interactive request, ms. */
export const QUIET_MS = 20;
/** Longest a background item waits for a quiet time, ms: under constant interactive traffic warming still progresses. */
export const MAX_YIELD_MS = 50;

/**
 * Interactive requests in flight, and background work waiting for them to leave the request
 * thread alone: the warm-up runners wait before each item (see whenQuiet).
 */
export class InteractiveGate {
  private inFlight = 0;
  /** performance.now() when the last interactive request settled. */
  private lastSettled = -Infinity;
  private idleWaiters: (() => void)[] = [];

  /** Runs `work` counted as one interactive request until it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  /**
   * Resolves once no interactive request has been in flight for `quietMs`, and after `maxWaitMs`
   * at the latest. A page's requests come in bursts (a slider drag sends one per 150 ms
   * debounce), so background items run in the gaps; a stream of back-to-back requests slows a
   * warm-up job to about one item per `maxWaitMs` per lane (20 items/s per lane) instead of
   * stopping it.
   */
  async whenQuiet(quietMs = QUIET_MS, maxWaitMs = MAX_YIELD_MS): Promise<void> {
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      const now = performance.now();
      if (now >= deadline) return;
      if (this.inFlight > 0) {
        await Promise.race([this.whenIdle(), sleep(deadline - now)]);
        continue;
      }
      const quietFor = now - this.lastSettled;
      if (quietFor >= quietMs) return;
      await sleep(Math.min(quietMs - quietFor, deadline - now));
    }
  }

  /** Resolves when no interactive request is in flight (at once when none is). */
  private whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private leave(): void {
    this.inFlight -= 1;
    if (this.inFlight > 0) return;
    this.lastSettled = performance.now();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Runs `work` over `items` with at most `limit` calls in flight at once; results in item order.
 * A rejection rejects the whole call (after the calls in flight settle is not waited for).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
