/**
 * Background work of the result cache (hit bookkeeping writes, evictions of the temporary tier),
 * run one task at a time, in order, off the response path.
 */

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
