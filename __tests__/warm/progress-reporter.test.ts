import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '@/lib/warm/progress-reporter';
import type { WarmProgress } from '@/lib/warm/run-warm-plan';

/** A stream that records what is written; `isTTY` as given. */
function capture(isTTY: boolean) {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  Object.assign(stream, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

const progress = (done: number, overrides: Partial<WarmProgress> = {}): WarmProgress => ({
  done, total: 90, computed: done, hits: 0, failed: 0, elapsedMs: done * 10, rate: 100, etaMs: (90 - done) * 10, ...overrides,
});

describe('createProgressReporter', () => {
  it('off a terminal, writes one plain line at most every 3 s, then the summary', () => {
    const out = capture(false);
    let now = 0;
    const reporter = createProgressReporter(out.stream, () => now);
    for (let done = 1; done <= 90; done++) {
      now = done * 100; // one item per 0.1 s: 9 s in all
      reporter.update(progress(done));
    }
    reporter.finish(progress(90, { computed: 88, hits: 2, elapsedMs: 1420 }));
    const lines = out.text().trim().split('\n');
    // at 0.1 s, then every 3 s: 0.1, 3.1, 6.1 → 3 progress lines, then the summary
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('[warm] 1/90 done, 1 computed, 0 cached, 0 failed, 100.0/s, ETA 1s');
    expect(lines[3]).toBe('Warm-up finished: 90 combinations, 88 computed, 2 already cached, 0 failed in 1.42 s');
  });

  it('on a terminal, draws a progress bar and ends with the summary', () => {
    const out = capture(true);
    const reporter = createProgressReporter(out.stream);
    reporter.update(progress(45));
    reporter.finish(progress(90));
    // cli-progress redraws at most 10 times a second, so the frame may still show the start.
    expect(out.text()).toMatch(/Warming \[[░█]{40}\] \d+% \| \d+\/90 \| computed 45 cached 0 failed 0 \| 100\.0\/s/);
    expect(out.text()).toContain('Warm-up finished: 90 combinations');
  });
});
