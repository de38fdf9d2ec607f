/**
 * Next.js server start hook: with CACHE_STORE=redis this instance joins the shared warm-up queue
 * as soon as it listens, so every running instance takes items of a job started on any of them
 * (lib/warm/shared-warm-job.ts). It joins by asking its own `GET /api/backtest/warm-cache`: Next
 * bundles this file apart from the routes, and importing lib/ here would make a second copy of the
 * process-wide cache server and of the error classes the routes map to HTTP statuses.
 */
const RETRY_MS = 100;
const MAX_ATTEMPTS = 600;

export function register(): void {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.CACHE_STORE !== 'redis') return;
  const join = async (attempt: number) => {
    // Set by `next start` once it listens (the origin it prints), else the port it was given.
    const origin = process.env.__NEXT_PRIVATE_ORIGIN ?? (process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : null);
    if (origin) {
      try {
        const res = await fetch(`${origin}/api/backtest/warm-cache`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
    }
    if (attempt < MAX_ATTEMPTS) setTimeout(() => join(attempt + 1), RETRY_MS).unref();
    else console.warn('[BACKTEST FLOW] could not join the shared warm-up queue at start; the first warm-cache request joins it');
  };
  setTimeout(() => join(0), RETRY_MS).unref();
}
