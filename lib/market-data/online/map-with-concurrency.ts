/**
 * Bounded parallelism for downloads (keeps within the APIs' request-rate limits).
 */

/**
 * Maps `items` with `fn`, running at most `limit` calls at a time; results keep the input order.
 * Rejects with the first error; no new call starts after it (calls already running finish).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
