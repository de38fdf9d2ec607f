/**
 * Rendering helpers shared by the page's component tests: a render inside a fresh swr cache, a
 * fake-timer flush, and the wait used around the page's debounces and chart rendering.
 */
import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { vi } from 'vitest';

/**
 * Renders `ui` with its own empty swr cache and no request deduplication, at `url` (the page
 * reads its settings from the query; jsdom keeps the URL between tests, so each render sets it).
 */
export function renderWithSwr(ui: ReactElement, url = '/') {
  window.history.replaceState(null, '', url);
  return render(<SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>{ui}</SWRConfig>);
}

/** Under fake timers: advances `ms` and lets the promises and React updates this starts settle. */
export const flush = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));

/**
 * Real-time wait for `findBy*`/`waitFor` on the whole page: 150–400 ms debounces plus chart
 * rendering on a shared machine, far beyond testing-library's default 1 s.
 */
export const PAGE_WAIT = { timeout: 5_000 };

/** Test timeout for page tests that chain several PAGE_WAIT waits, ms. */
export const PAGE_TEST_TIMEOUT = 30_000;
