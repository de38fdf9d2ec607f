/**
 * Timing helpers for `npm run bench`: repeated measurement with warm-up runs excluded, and
 * order statistics. Times are in the unit the caller's clock returns (ms from performance.now).
 */

/** Median, p99, mean, min and max of a sample, plus its size. */
export interface Summary {
  runs: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of an ascending-sorted sample. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Summarises a sample of durations. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    runs: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/**
 * Times `fn` `runs` times after `warmup` untimed calls; each sample is the mean over a batch of
 * `batch` calls (for sub-microsecond work). Returns per-call durations in ms.
 */
export async function timeRepeated(
  fn: (i: number) => unknown | Promise<unknown>,
  { warmup, runs, batch = 1 }: { warmup: number; runs: number; batch?: number },
): Promise<Summary> {
  let i = 0;
  for (let w = 0; w < warmup; w++) await fn(i++);
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let b = 0; b < batch; b++) await fn(i++);
    samples.push((performance.now() - start) / batch);
  }
  return summarize(samples);
}

/** Like timeRepeated but synchronous, so no promise overhead enters sub-microsecond figures. */
export function timeRepeatedSync(
  fn: (i: number) => unknown,
  { warmup, runs, batch = 1 }: { warmup: number; runs: number; batch?: number },
): Summary {
  let i = 0;
  for (let w = 0; w < warmup; w++) fn(i++);
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let b = 0; b < batch; b++) fn(i++);
    samples.push((performance.now() - start) / batch);
  }
  return summarize(samples);
}

/**
 * Admin token of the servers the benchmark starts: a warm-up job with a chosen plan needs it in
 * production (SPEC §6), and the bench warms grids.
 */
export const BENCH_ADMIN_TOKEN = 'split-sea-bench';

/** Headers of a warm-cache POST with a JSON body from the benchmark. */
export const WARM_POST_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
