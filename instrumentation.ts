/**
 * Next.js server start hook: with CACHE_STORE=redis this instance joins the shared warm-up queue
 * at once (lib/warm), so every running instance takes items of a job started on any of them.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.CACHE_STORE !== 'redis') return;
  await import('./lib/warm');
}
