/**
 * Progressive polling schedule of a running warm-up job (SPEC §8): every 1 s for the first 30 s,
 * then ever more slowly — 2 s, 5 s, 10 s, 30 s and finally 60 s — so a long job costs few requests.
 */

/** [elapsed time from which the step applies (ms), polling interval (ms)], in ascending order. */
export const WARM_POLL_STEPS: readonly (readonly [fromMs: number, intervalMs: number])[] = [
  [0, 1_000],
  [30_000, 2_000],
  [60_000, 5_000],
  [120_000, 10_000],
  [300_000, 30_000],
  [600_000, 60_000],
];

/**
 * Interval before the next status poll, ms, given the time since the job was first seen
 * running (ms): 1 s below 30 s, 2 s below 1 min, 5 s below 2 min, 10 s below 5 min,
 * 30 s below 10 min, 60 s after. Negative or non-finite elapsed times count as 0.
 */
export function warmPollInterval(elapsedMs: number): number {
  const elapsed = Number.isFinite(elapsedMs) && elapsedMs > 0 ? elapsedMs : 0;
  let interval = WARM_POLL_STEPS[0][1];
  for (const [fromMs, intervalMs] of WARM_POLL_STEPS) {
    if (elapsed >= fromMs) interval = intervalMs;
  }
  return interval;
}
