import { describe, expect, it } from 'vitest';
import { warmPollInterval, WARM_POLL_STEPS } from '@/lib/client/polling-schedule';

describe('warm-up polling schedule', () => {
  it('polls every second for the first 30 s', () => {
    for (const t of [0, 1, 999, 15_000, 29_999]) expect(warmPollInterval(t)).toBe(1_000);
  });

  it('then backs off through 2 s, 5 s, 10 s and 30 s to 60 s', () => {
    expect(warmPollInterval(30_000)).toBe(2_000);
    expect(warmPollInterval(59_999)).toBe(2_000);
    expect(warmPollInterval(60_000)).toBe(5_000);
    expect(warmPollInterval(119_999)).toBe(5_000);
    expect(warmPollInterval(120_000)).toBe(10_000);
    expect(warmPollInterval(299_999)).toBe(10_000);
    expect(warmPollInterval(300_000)).toBe(30_000);
    expect(warmPollInterval(599_999)).toBe(30_000);
    expect(warmPollInterval(600_000)).toBe(60_000);
    expect(warmPollInterval(24 * 3_600_000)).toBe(60_000);
  });

  it('uses exactly the intervals of SPEC §8, in order', () => {
    expect(WARM_POLL_STEPS.map(([, interval]) => interval)).toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 60_000]);
  });

  it('never polls faster as time goes on', () => {
    let previous = 0;
    for (let t = 0; t <= 900_000; t += 500) {
      const interval = warmPollInterval(t);
      expect(interval).toBeGreaterThanOrEqual(previous);
      previous = interval;
    }
  });

  it('treats clock skew (negative or invalid elapsed time) as the start of the job', () => {
    expect(warmPollInterval(-5_000)).toBe(1_000);
    expect(warmPollInterval(Number.NaN)).toBe(1_000);
  });

  it('polls about 30 + 15 + 12 + 18 + 10 times in the first 10 minutes', () => {
    // Simulates the poll loop: the count shows the schedule keeps a long job cheap.
    let t = 0;
    let polls = 0;
    while (t < 600_000) {
      t += warmPollInterval(t);
      polls++;
    }
    expect(polls).toBe(30 + 15 + 12 + 18 + 10);
  });
});
