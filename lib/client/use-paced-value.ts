/**
 * Pacing of the values the charts draw. A recharts chart redraws for new data in a synchronous
 * render (its store updates in effects, and store updates cannot be transitions), so the page
 * holds the charts while a slider is dragged (useHeldValue) and, on release, hands the new result
 * to one chart per task (useNextTaskValue) instead of redrawing them all in one long task.
 */
import { startTransition, useEffect, useState } from 'react';

/**
 * `value` while `hold` is false; while `hold` is true, the value it had on the last render
 * before. Compared by `Object.is`.
 */
export function useHeldValue<T>(value: T, hold: boolean): T {
  const [held, setHeld] = useState(value);
  // Updating state during render (React's "previous props" pattern): no extra commit, no effect.
  if (!hold && !Object.is(held, value)) setHeld(value);
  return hold ? held : value;
}

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
