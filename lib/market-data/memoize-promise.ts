/**
 * Sharing of one in-flight or finished load among all callers.
 */

/**
 * The promise stored under `key` in `memo`, or a new one from `load` that is stored at once (so
 * concurrent callers share it). A rejected promise is removed, so the next call retries.
 */
export function memoizePromise<T>(memo: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const existing = memo.get(key);
  if (existing) return existing;
  const promise = load();
  memo.set(key, promise);
  promise.catch(() => {
    if (memo.get(key) === promise) memo.delete(key);
  });
  return promise;
}
