/**
 * Counts the interactive requests (the execute route's, priority `normal` or `high`) in flight, so
 * that background work such as the cache warmer can wait until none is running.
 */

/** Interactive requests in flight and the waiters for the moment there are none. */
export class InteractiveGate {
  private inFlight = 0;
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

  /** Resolves when no interactive request is in flight (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private leave(): void {
    this.inFlight -= 1;
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
