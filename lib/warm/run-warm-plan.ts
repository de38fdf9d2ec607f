/**
 * Executes a warm-up plan with bounded concurrency and reports progress. One implementation for
 * the warm-cache endpoint and the cache-warmer script.
 */
import type { BacktestParams } from '../schemas';

/** Runs one plan item: computes and caches it, or finds it cached already. */
export type WarmExecutor = (params: BacktestParams) => Promise<{ cached: boolean }>;

/** Progress of a warm-up run. Times in ms, rate in backtests per second. */
export interface WarmProgress {
  done: number;
  total: number;
  /** Items computed and written now. */
  computed: number;
  /** Items already cached (skipped). */
  hits: number;
  failed: number;
  elapsedMs: number;
  /** Items per second since the start. */
  rate: number;
  /** Estimated ms to finish at the current rate; null before the first item is done. */
  etaMs: number | null;
}

/** Final progress plus the first failures (params and message). */
export interface WarmSummary extends WarmProgress {
  failures: { params: BacktestParams; error: string }[];
  /** True when the signal stopped the run before every item was done. */
  aborted: boolean;
}

export interface RunWarmPlanOptions {
  /** Items in flight at once (≥ 1). */
  concurrency: number;
  /** Called after every item. */
  onProgress?: (progress: WarmProgress) => void;
  /** Stops scheduling new items; items in flight finish. */
  signal?: AbortSignal;
  /** Awaited before each item, e.g. to let interactive requests go first. */
  beforeEach?: () => Promise<void>;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
}

const MAX_REPORTED_FAILURES = 20;

/**
 * Runs `plan` through `execute`, at most `concurrency` items at a time, in plan order.
 * Never throws for a failing item: failures are counted and the first few reported.
 */
export async function runWarmPlan(
  plan: readonly BacktestParams[],
  execute: WarmExecutor,
  options: RunWarmPlanOptions,
): Promise<WarmSummary> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const failures: WarmSummary['failures'] = [];
  const counts = { done: 0, computed: 0, hits: 0, failed: 0 };
  let next = 0;

  const progress = (): WarmProgress => {
    const elapsedMs = now() - started;
    const rate = elapsedMs > 0 ? (counts.done * 1000) / elapsedMs : 0;
    const remaining = plan.length - counts.done;
    return {
      ...counts,
      total: plan.length,
      elapsedMs,
      rate,
      etaMs: counts.done > 0 && rate > 0 ? (remaining / rate) * 1000 : remaining === 0 ? 0 : null,
    };
  };

  const worker = async () => {
    while (next < plan.length && !options.signal?.aborted) {
      const params = plan[next++];
      await options.beforeEach?.();
      try {
        const { cached } = await execute(params);
        if (cached) counts.hits++;
        else counts.computed++;
      } catch (error) {
        counts.failed++;
        if (failures.length < MAX_REPORTED_FAILURES) {
          failures.push({ params, error: error instanceof Error ? error.message : String(error) });
        }
      }
      counts.done++;
      options.onProgress?.(progress());
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, plan.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { ...progress(), failures, aborted: counts.done < plan.length };
}
