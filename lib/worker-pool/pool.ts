/**
 * A worker_threads pool (piscina) with three priority lanes and its own queue: at most `size`
 * tasks are handed to piscina at once (one per worker), the rest wait here, highest lane first,
 * first come first served within a lane. A task whose AbortSignal fires while it waits is dropped
 * from the queue (never started); one that already runs finishes in its worker (a task is small:
 * one heatmap row, one backtest) and its result is discarded. Workers run at a lower OS priority
 * (piscina `niceIncrement` 19, Linux and macOS), so the request thread gets a core first.
 */
import Piscina from 'piscina';
import { NoDataInRangeError } from '../errors';
import type { TaskInput, TaskKind, TaskOutput } from './tasks';
import type { TaskMessage, TaskReply } from './worker-entry';

/** `high`: a page request waits on it; `normal`: heatmaps, walk-forward; `low`: warm-up items. */
export type PoolPriority = 'high' | 'normal' | 'low';
const LANES: readonly PoolPriority[] = ['high', 'normal', 'low'];

/** Options of one pool task. */
export interface PoolRunOptions {
  /** Drops the task while it waits; rejects the caller with the signal's reason. */
  signal?: AbortSignal;
  /** Lane (default `normal`). */
  priority?: PoolPriority;
}

/** Options of a WorkerPool. */
export interface WorkerPoolOptions {
  /** Worker threads (≥ 1). */
  size: number;
  /** Resolves to the absolute path of the worker file (worker-bundle.ts), awaited once. */
  workerFile: () => Promise<string>;
  /** Added to the workers' nice value (default 19, the lowest priority; 0 keeps the process's). */
  niceIncrement?: number;
}

/** Counters of a pool, for tests, logs and the bench. */
export interface PoolStats {
  size: number;
  /** Tasks running in a worker now. */
  running: number;
  /** Tasks waiting, per lane. */
  queued: Record<PoolPriority, number>;
  /** Tasks finished since the pool started (including failed ones). */
  completed: number;
}

interface Pending {
  message: TaskMessage;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const abortReason = (signal: AbortSignal) => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

/** Rebuilds an error a task threw in a worker; errors with an HTTP meaning keep their class. */
function revive({ name, message }: { name: string; message: string }): Error {
  if (name === 'NoDataInRangeError') return new NoDataInRangeError(message);
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The pool. One per process outside tests: see getWorkerPool (index.ts). */
export class WorkerPool {
  readonly size: number;
  private readonly options: WorkerPoolOptions;
  private piscina: Promise<Piscina> | null = null;
  private readonly queues: Record<PoolPriority, Pending[]> = { high: [], normal: [], low: [] };
  private running = 0;
  private completed = 0;
  private closed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error(`worker pool size must be an integer ≥ 1, got ${options.size}`);
    this.size = options.size;
    this.options = options;
  }

  /**
   * Runs task `kind` of tasks.ts on `input` in a worker.
   * @throws (rejects) the task's error (NoDataInRangeError keeps its class), the signal's reason
   * when aborted, or an Error when the pool is closed or cannot start its workers.
   */
  run<K extends TaskKind>(kind: K, input: TaskInput<K>, { signal, priority = 'normal' }: PoolRunOptions = {}): Promise<TaskOutput<K>> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const pending: Pending = { message: { kind, input }, resolve: resolve as (v: unknown) => void, reject, signal };
      if (signal) {
        pending.onAbort = () => {
          const queue = this.queues[priority];
          const at = queue.indexOf(pending);
          if (at >= 0) queue.splice(at, 1);
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.queues[priority].push(pending);
      this.pump();
    });
  }

  /** Running and waiting tasks now. */
  stats(): PoolStats {
    return {
      size: this.size,
      running: this.running,
      queued: { high: this.queues.high.length, normal: this.queues.normal.length, low: this.queues.low.length },
      completed: this.completed,
    };
  }

  /** Rejects the waiting tasks and stops the workers once the running ones finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const lane of LANES) for (const pending of this.queues[lane].splice(0)) pending.reject(new Error('the worker pool is closed'));
    if (this.piscina) await (await this.piscina.catch(() => null))?.close();
  }

  private start(): Promise<Piscina> {
    this.piscina ??= this.options.workerFile().then(
      (filename) =>
        new Piscina({
          filename,
          minThreads: this.size,
          maxThreads: this.size,
          idleTimeout: Number.POSITIVE_INFINITY,
          niceIncrement: this.options.niceIncrement ?? 19,
        }),
    );
    // A failed start is not kept: the next task tries again.
    this.piscina.catch(() => (this.piscina = null));
    return this.piscina;
  }

  private next(): Pending | undefined {
    for (const lane of LANES) if (this.queues[lane].length > 0) return this.queues[lane].shift();
    return undefined;
  }

  private pump(): void {
    while (this.running < this.size) {
      const pending = this.next();
      if (!pending) return;
      this.running += 1;
      this.execute(pending).finally(() => {
        this.running -= 1;
        this.completed += 1;
        this.pump();
      });
    }
  }

  private async execute(pending: Pending): Promise<void> {
    const { signal, onAbort } = pending;
    try {
      const piscina = await this.start();
      const reply = (await piscina.run(pending.message)) as TaskReply;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(revive(reply.error));
    } catch (error) {
      pending.reject(error);
    } finally {
      // Settling after an abort is a no-op: the caller was rejected when the signal fired.
      if (signal && onAbort) signal.removeEventListener('abort', onAbort);
    }
  }
}
