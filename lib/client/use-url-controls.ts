/**
 * The page's controls kept in the URL (lib/client/url-state.ts). Read once after mount (the
 * server render has no query) and again on every popstate (back/forward). Written with
 * `history.replaceState` while a slider is dragged (at most every DRAG_URL_INTERVAL_MS, the last
 * step trailing); when the drag ends the entry before the drag is restored and the final
 * settings are pushed (`pushState`), so each drag is one history step.
 * A choice (toggle, select, date, heatmap click) pushes at once. A change the page makes by
 * itself (e.g. a year preset that does not exist for the new timeframe) replaces the entry.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_CONTROLS, updateControls, type Controls } from './controls';
import { controlsFromQuery, controlsToQuery } from './url-state';

/** How a change was made: while dragging a slider, or a finished choice. */
export type ChangeKind = 'drag' | 'choice';

/** What useUrlControls returns. */
export interface UrlControls {
  /** The normalised controls (see `normalize`). */
  controls: Controls;
  /** False until the URL has been read (send no request before). */
  ready: boolean;
  /** One line per query value that was invalid and replaced by its default. */
  notices: string[];
  dismissNotices: () => void;
  /** Applies a patch to the controls. */
  update: (patch: Partial<Controls>, kind?: ChangeKind) => void;
  /** Ends a slider drag: one history entry for the whole drag. */
  endDrag: () => void;
}

/**
 * Least time between two URL writes while a slider is dragged, ms: each write is a browser
 * history update and a render of Next's router, too much for every step of a fast drag.
 */
export const DRAG_URL_INTERVAL_MS = 250;

const urlOf = (query: string) => `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`;
const currentQuery = () => window.location.search.replace(/^\?/, '');

/**
 * Controls state tied to the URL. `normalize` keeps the stored controls valid for the data on
 * hand (the page passes reconcileDateChoice with the presets); it must be stable (useCallback).
 */
export function useUrlControls(normalize: (c: Controls) => Controls): UrlControls {
  const [stored, setStored] = useState<Controls>(DEFAULT_CONTROLS);
  const [ready, setReady] = useState(false);
  const [notices, setNotices] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const pending = useRef<ChangeKind | null>(null);
  /** Query of the history entry the current drag started from (null when not dragging). */
  const dragBase = useRef<string | null>(null);

  useEffect(() => {
    const read = () => {
      const parsed = controlsFromQuery(window.location.search);
      pending.current = null;
      dragBase.current = null;
      cancelDragWrite();
      setDragging(false);
      setStored(parsed.controls);
      setNotices(parsed.notices);
      setReady(true);
    };
    read();
    window.addEventListener('popstate', read);
    return () => window.removeEventListener('popstate', read);
  }, []);

  const controls = useMemo(() => normalize(stored), [normalize, stored]);
  const latest = useRef(controls);
  latest.current = controls;

  /** When the URL was last written during a drag (performance.now), and the pending trailing write. */
  const lastDragWrite = useRef(-Infinity);
  const dragWrite = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelDragWrite = () => {
    if (dragWrite.current !== null) clearTimeout(dragWrite.current);
    dragWrite.current = null;
  };
  useEffect(() => cancelDragWrite, []);

  useEffect(() => {
    if (!ready) return;
    const kind = pending.current;
    pending.current = null;
    const write = (push: boolean) => {
      const query = controlsToQuery(latest.current);
      if (query === currentQuery()) return;
      if (push) window.history.pushState(null, '', urlOf(query));
      else window.history.replaceState(null, '', urlOf(query));
    };
    if (kind !== 'drag') return write(kind === 'choice');
    // While dragging: at most one write per DRAG_URL_INTERVAL_MS, the last one trailing.
    if (dragWrite.current !== null) return;
    const wait = lastDragWrite.current + DRAG_URL_INTERVAL_MS - performance.now();
    const replace = () => {
      dragWrite.current = null;
      lastDragWrite.current = performance.now();
      write(false);
    };
    if (wait <= 0) replace();
    else dragWrite.current = setTimeout(replace, wait);
  }, [controls, ready]);

  const update = useCallback(
    (patch: Partial<Controls>, kind: ChangeKind = 'choice') => {
      if (kind === 'drag' && dragBase.current === null) {
        dragBase.current = currentQuery();
        setDragging(true);
      }
      pending.current = kind;
      setStored((current) => updateControls(normalize(current), patch));
    },
    [normalize],
  );

  const endDrag = useCallback(() => {
    const base = dragBase.current;
    dragBase.current = null;
    if (base === null) return;
    cancelDragWrite();
    setDragging(false);
    const final = controlsToQuery(latest.current);
    if (final === base) return;
    window.history.replaceState(null, '', urlOf(base));
    window.history.pushState(null, '', urlOf(final));
  }, []);

  useEffect(() => {
    if (!dragging) return;
    // A release the slider itself did not see (pointer let go outside the page, window left) still ends the drag.
    window.addEventListener('pointerup', endDrag);
    window.addEventListener('pointercancel', endDrag);
    window.addEventListener('blur', endDrag);
    return () => {
      window.removeEventListener('pointerup', endDrag);
      window.removeEventListener('pointercancel', endDrag);
      window.removeEventListener('blur', endDrag);
    };
  }, [dragging, endDrag]);

  const dismissNotices = useCallback(() => setNotices([]), []);
  return { controls, ready, notices, dismissNotices, update, endDrag };
}
