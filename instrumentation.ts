/**
 * Next.js server start hook, run once the instance listens:
 * - it loads the market data (every series, through its own `GET /api/market-data`), so the
 *   first backtest a trader asks for is not the one that pays for reading and joining the files
 *   (a first hit took 1.4 s in the server and 2–5 s in the page before);
 * - with CACHE_STORE=redis it joins the shared warm-up queue (its own `GET
 *   /api/backtest/warm-cache`), so every running instance takes items of a job started on any of
 *   them (lib/warm/shared-warm-job.ts).
 * It asks its own routes because Next bundles this file apart from them: importing lib/ here
 * would make a second copy of the process-wide series, cache server and error classes.
 */
const RETRY_MS = 100;
const MAX_ATTEMPTS = 600;

/**
 * GETs `route` on this instance once it listens, retrying every 100 ms for 60 s while it does not
 * (and, with `untilOk`, while it answers non-2xx); `onFail` when it gives up.
 */
function askSelf(route: string, untilOk: boolean, onFail: () => void): void {
  const ask = async (attempt: number) => {
    // Set by `next start` once it listens (the origin it prints), else the port it was given.
    const origin = process.env.__NEXT_PRIVATE_ORIGIN ?? (process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : null);
    if (origin) {
      try {
        const res = await fetch(`${origin}${route}`);
        await res.arrayBuffer();
        if (res.ok || !untilOk) return;
      } catch {
        // not listening yet
      }
    }
    if (attempt < MAX_ATTEMPTS) setTimeout(() => ask(attempt + 1), RETRY_MS).unref();
    else onFail();
  };
  setTimeout(() => ask(0), RETRY_MS).unref();
}

export function register(): void {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  askSelf('/api/market-data', false, () => console.warn('[MARKET DATA] the server did not answer at start; the first request loads the market data'));
  if (process.env.CACHE_STORE === 'redis') {
    askSelf('/api/backtest/warm-cache', true, () =>
      console.warn('[BACKTEST FLOW] could not join the shared warm-up queue at start; the first warm-cache request joins it'),
    );
  }
}
