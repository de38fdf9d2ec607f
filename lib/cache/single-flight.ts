/**
 * Single-flight for cache misses: concurrent misses of one key share one computation within this
 * process (`SingleFlight`) and, on a store several processes share, across all of them
 * (`CrossInstanceSingleFlight`: the store's compute lock per key, or waiting for the instance
 * holding it to store the entry).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CacheHit } from './entry';
import { formatMs } from './log-format';
import type { ComputeCoordinator, ComputeLock } from './store';
import type { ReportIoError } from './throttled-log';

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
  /** The fresh entry of `key` for the current data version, or null. */
  lookup: (key: string, dataVersion: string) => Promise<CacheHit | null>;
  info: (line: string) => void;
  reportIoError: ReportIoError;
}

/** One computation per key across every process sharing the store. */
export class CrossInstanceSingleFlight {
  constructor(private readonly deps: CrossInstanceDeps) {}

  /**
   * Takes the compute lock of `key`, or waits for the instance holding it to store the entry,
   * looking every `lockPollMs`. A holder that dies leaves a lock that expires after `lockTtlMs`,
   * which is then taken here; after waiting that long in any case, computes without the lock.
   * Returns the lock to release after computing (null: compute without one, e.g. no coordinator
   * or the store is unreachable), or the fresh entry another instance stored meanwhile.
   */
  async claim(key: string, dataVersion: string): Promise<{ lock: ComputeLock | null } | { hit: CacheHit }> {
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
      const hit = await this.deps.lookup(key, dataVersion);
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
