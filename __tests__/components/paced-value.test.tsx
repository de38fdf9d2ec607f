import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useNextTaskValue } from '@/lib/client/use-paced-value';

/** Lets pending timers (setTimeout 0) and the renders they start run. */
const nextTasks = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

describe('useNextTaskValue', () => {
  it('returns the first value at once and a change only after the task that showed it', async () => {
    const { result, rerender } = renderHook(({ value }) => useNextTaskValue(value), { initialProps: { value: 1 } });
    expect(result.current).toBe(1);
    rerender({ value: 2 });
    expect(result.current).toBe(1);
    await nextTasks();
    expect(result.current).toBe(2);
  });

  it('skips values replaced before their task ran', async () => {
    const seen: number[] = [];
    const { rerender } = renderHook(({ value }) => {
      const later = useNextTaskValue(value);
      seen.push(later);
      return later;
    }, { initialProps: { value: 1 } });
    rerender({ value: 2 });
    rerender({ value: 3 });
    await nextTasks();
    expect(seen.at(-1)).toBe(3);
    expect(seen).not.toContain(2);
  });
});
