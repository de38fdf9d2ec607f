/**
 * Pacing of a new result across tasks: the results view hands it to the trades table one task
 * after the charts (useNextTaskValue), so the two redraws never add up to one long task.
 */
import { startTransition, useEffect, useState } from 'react';

/**
 * `value` one task later: a change is returned from a render (a transition) that starts in a
 * task after the commit that showed it, so whatever draws it renders and runs its effects in a
 * task of its own. The first value is returned at once. Compared by `Object.is`.
 */
export function useNextTaskValue<T>(value: T): T {
  const [later, setLater] = useState(value);
  useEffect(() => {
    if (Object.is(later, value)) return;
    const timer = setTimeout(() => startTransition(() => setLater(value)), 0);
    return () => clearTimeout(timer);
  }, [value, later]);
  return later;
}
