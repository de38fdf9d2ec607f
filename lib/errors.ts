/**
 * Errors that carry an HTTP meaning. Route handlers map them with `errorResponse` (lib/http.ts);
 * anything else becomes a plain 500.
 */

/**
 * Heavy work refused because every slot is taken (the heatmap queue, walk-forward jobs). HTTP 429
 * with `Retry-After: retryAfterSeconds` (SPEC §6).
 */
export class BusyError extends Error {
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'BusyError';
  }
}

/** No bars (or no FGI) cover the requested window. HTTP 422; the message says what is available. */
export class NoDataInRangeError extends Error {
  readonly status = 422;
  constructor(message: string) {
    super(message);
    this.name = 'NoDataInRangeError';
  }
}

/**
 * Market data cannot be read: a missing source, an unreachable API or a malformed file. The
 * message names the file (and line) or what is missing and how to provide it. HTTP 503.
 */
export class MarketDataError extends Error {
  readonly status = 503;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MarketDataError';
  }
}

/**
 * The cache store refused an operator's change (e.g. clear on a read-only or failing store).
 * HTTP 503; the message says what was done and what failed. Lookups never throw it: they
 * degrade to computing without the cache.
 */
export class CacheStoreError extends Error {
  readonly status = 503;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheStoreError';
  }
}

/** An invalid request detected outside the zod schemas. HTTP 400 (or the given status). */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 = 400,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
