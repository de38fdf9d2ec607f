/**
 * How the result cache writes durations and failures into its log lines, e.g.
 * `[CACHE HIT] … in 0.4ms` and `[CACHE ERROR] Cache write failed: EROFS; …`.
 */

/** A duration in ms with one decimal and the unit, e.g. `12.3ms`. */
export function formatMs(value: number): string {
  return `${value.toFixed(1)}ms`;
}

/** A failure as one short word or phrase: the errno or Redis error code when there is one, else the message. */
export function errorText(error: unknown): string {
  return error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
}
