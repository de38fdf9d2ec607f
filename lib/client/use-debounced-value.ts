import { useEffect, useState } from 'react';

/**
 * `value` as it was `delayMs` ms after its last change: while it keeps changing (a slider being
 * dragged) the returned value stays put, then catches up once. Compare by `Object.is`, so pass
 * strings or other primitives (e.g. a JSON key).
 */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
