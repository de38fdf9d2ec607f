/**
 * How the result cache writes its log lines: durations and failures in one short form
 * (`[CACHE HIT] … in 0.4ms`, `[CACHE ERROR] Cache write failed: EROFS; …`), and cache I/O failures
 * logged at most once a minute per kind of operation, so a full disk or an unreachable store does
 * not flood the log while every request goes on without the cache.
 */

/** A duration in ms with one decimal and the unit, e.g. `12.3ms`. */
export function formatMs(value: number): string {
  return `${value.toFixed(1)}ms`;
}

/** A failure as one short word or phrase: the errno or Redis error code when there is one, else the message. */
export function errorText(error: unknown): string {
  return error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
}

/** Failures of one kind are logged at most once per this interval, ms. */
const INTERVAL_MS = 60 * 1000;

/** Reports a failed cache operation of one kind (`read`, `write`, `list`, `lock`, …). */
export type ReportIoError = (kind: string, error: unknown) => void;

/** Writes `[CACHE ERROR] Cache {kind} failed: …` lines, counting the ones it holds back. */
export class ThrottledIoErrorLog {
  private readonly lastReport = new Map<string, { at: number; suppressed: number }>();

  /** `now`: clock in Unix ms; `warn`: where the lines go. */
  constructor(private readonly deps: { now: () => number; warn: (line: string) => void }) {}

  /** Logs the failure unless one of the same kind was logged less than a minute ago (then counts it). */
  readonly report: ReportIoError = (kind, error) => {
    const now = this.deps.now();
    const last = this.lastReport.get(kind);
    if (last && now - last.at < INTERVAL_MS) {
      last.suppressed += 1;
      return;
    }
    const more = last?.suppressed ? ` (${last.suppressed} more since the last report)` : '';
    this.lastReport.set(kind, { at: now, suppressed: 0 });
    this.deps.warn(`[CACHE ERROR] Cache ${kind} failed: ${errorText(error)}; continuing without the cache${more}`);
  };
}
