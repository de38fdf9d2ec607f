'use client';
/**
 * The split-sea page (SPEC §8): one Controls state drives the live backtest, the heatmap and the
 * chart; the cache panel sits beside the heatmap.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useSWRConfig } from 'swr';
import { CachePanel } from '@/components/cache-panel/cache-panel';
import { HeatmapPanel } from '@/components/heatmap/heatmap-panel';
import {
  DEFAULT_CONTROLS,
  extremesActive,
  heatmapBaseOf,
  reconcileDateChoice,
  toBacktestParams,
  updateControls,
  type Controls,
} from '@/lib/client/controls';
import { coveredDays, datePresets } from '@/lib/client/date-presets';
import { setThresholdRange } from '@/lib/client/threshold-range';
import { CACHE_STATS_URL } from '@/lib/client/use-cache-stats';
import { useLiveBacktest } from '@/lib/client/use-live-backtest';
import { useMarketCoverage } from '@/lib/client/use-market-data';
import { spotSymbol } from '@/lib/market-data/intervals';
import type { ZoneThresholds } from '@/lib/client/zone-split';
import { ControlsPanel } from './controls-panel';
import { ResultsView } from './results-view';
import styles from './backtester.module.css';

/** The whole interactive page below the server shell. */
export function Backtester() {
  const [stored, setStored] = useState(DEFAULT_CONTROLS);
  const { coverage, unavailable, error: coverageError } = useMarketCoverage();
  const unreadable = unavailable?.find((u) => u.symbol === spotSymbol(stored.asset) && u.interval === stored.timeframe);
  const covered = useMemo(
    () => (coverage ? coveredDays(coverage, stored.asset, stored.timeframe) : null),
    [coverage, stored.asset, stored.timeframe],
  );
  const presets = useMemo(() => datePresets(covered), [covered]);
  // A year preset follows the asset and timeframe (clipped to their data), or falls back to 90 days.
  const controls = useMemo(() => reconcileDateChoice(stored, presets), [stored, presets]);
  const update = useCallback(
    (patch: Partial<Controls>) => setStored((current) => updateControls(reconcileDateChoice(current, presets), patch)),
    [presets],
  );

  const built = useMemo(() => toBacktestParams(controls), [controls]);
  const params = 'params' in built ? built.params : null;
  const live = useLiveBacktest(params);

  const { mutate } = useSWRConfig();
  useEffect(() => {
    // Each answer changes the cache's hit counts; refresh the panel now rather than at the next poll.
    if (live.response) void mutate(CACHE_STATS_URL);
  }, [live.response, mutate]);

  const thresholds = useMemo<ZoneThresholds>(
    () =>
      extremesActive(controls)
        ? { low: controls.low, high: controls.high, extremeLow: controls.extremeLow, extremeHigh: controls.extremeHigh }
        : { low: controls.low, high: controls.high },
    [controls],
  );
  // The sliders stay responsive while dragging; the chart re-splits its water at lower priority.
  const chartThresholds = useDeferredValue(thresholds);
  // Keyed by its JSON (a string), so dragging the low/high thresholds keeps the same object.
  const heatmapKey = params && JSON.stringify(heatmapBaseOf(params));
  const heatmapBase = useMemo(
    () => (heatmapKey === null ? null : (JSON.parse(heatmapKey) as ReturnType<typeof heatmapBaseOf>)),
    [heatmapKey],
  );
  const selectCell = useCallback((low: number, high: number) => update(setThresholdRange(low, high)), [update]);

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" />
          <h1 className={styles.title}>Split Sea</h1>
          <span className={styles.tagline}>Fear &amp; Greed strategy backtester · BTC, ETH, SOL perpetuals</span>
        </div>
      </header>
      <main className={styles.layout}>
        <aside className={styles.sidebar} aria-label="Backtest settings">
          <ControlsPanel
            controls={controls}
            onChange={update}
            presets={presets}
            covered={covered}
            coverageError={coverageError?.message ?? (unreadable && `${unreadable.symbol} ${unreadable.interval}: ${unreadable.error}`)}
          />
        </aside>
        <div className={styles.content}>
          <ResultsView live={live} thresholds={chartThresholds} invalidParams={'error' in built ? built.error : undefined} />
          <div className={styles.lower}>
            <HeatmapPanel base={heatmapBase} selected={controls} onSelect={selectCell} />
            <CachePanel />
          </div>
        </div>
      </main>
    </div>
  );
}
