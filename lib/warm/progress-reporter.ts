/**
 * Shows warm-up progress: a cli-progress bar on a terminal, otherwise one plain line every few
 * seconds (for logs and cron), and the closing summary.
 */
import cliProgress from 'cli-progress';
import type { WarmProgress } from './run-warm-plan';

/** Receives progress updates and closes with a summary line. */
export interface ProgressReporter {
  update(progress: WarmProgress): void;
  finish(progress: WarmProgress): void;
}

const PLAIN_LINE_INTERVAL_MS = 3_000;

/** A bar when `stream` is a TTY, else plain lines at most every 3 s. */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stdout,
  now: () => number = Date.now,
): ProgressReporter {
  return stream.isTTY ? barReporter(stream) : plainReporter(stream, now);
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        'Warming [{bar}] {percentage}% | {value}/{total} | computed {computed} cached {hits} failed {failed} | {rate}/s | ETA {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const payload = (p: WarmProgress) => ({ computed: p.computed, hits: p.hits, failed: p.failed, rate: p.rate.toFixed(1) });
  return {
    update(p) {
      if (!started) {
        bar.start(p.total, 0, payload(p));
        started = true;
      }
      bar.update(p.done, payload(p));
    },
    finish(p) {
      if (started) {
        bar.update(p.done, payload(p));
        bar.stop();
      }
      stream.write(`${summaryLine(p)}\n`);
    },
  };
}

function plainReporter(stream: NodeJS.WriteStream, now: () => number): ProgressReporter {
  let lastLine = -Infinity;
  return {
    update(p) {
      if (now() - lastLine < PLAIN_LINE_INTERVAL_MS) return;
      lastLine = now();
      const eta = p.etaMs === null ? '?' : `${Math.ceil(p.etaMs / 1000)}s`;
      stream.write(
        `[warm] ${p.done}/${p.total} done, ${p.computed} computed, ${p.hits} cached, ${p.failed} failed, ${p.rate.toFixed(1)}/s, ETA ${eta}\n`,
      );
    },
    finish(p) {
      stream.write(`${summaryLine(p)}\n`);
    },
  };
}

/** `Warm-up finished: 90 combinations, 88 computed, 2 already cached, 0 failed in 1.42 s` */
export function summaryLine(p: WarmProgress): string {
  return `Warm-up finished: ${p.total} combinations, ${p.computed} computed, ${p.hits} already cached, ${p.failed} failed in ${(p.elapsedMs / 1000).toFixed(2)} s`;
}
