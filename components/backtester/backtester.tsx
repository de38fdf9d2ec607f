'use client';
/**
 * The split-sea page (SPEC §8): one Controls state, kept in the URL, drives the live backtest,
 * the heatmap and the chart; the cache panel sits beside the heatmap. The sliders are the only
 * urgent updates: the views below take memoised, result-derived props (and the heatmap a
 * deferred selection), so a drag step re-renders the controls and little else. While a slider
 * is held, answers update the summary and metrics but the charts and the trades keep the result
 * they showed when the drag began, and draw the newest one once, on release.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useSWRConfig } from 'swr';
import { CachePanel } from '@/components/cache-panel/cache-panel';
import { HeatmapPanel } from '@/components/heatmap/heatmap-panel';
import type { ThresholdPoint } from '@/components/heatmap/threshold-heatmap';
import { WalkForwardPanel } from '@/components/walk-forward/walk-forward-panel';
import { CUSTOM_PRESET_ID, extremesActive, heatmapBaseOf, reconcileDateChoice, toBacktestParams, type Controls } from '@/lib/client/controls';
import { coveredDays, datePresets } from '@/lib/client/date-presets';
import { rangeNotice } from '@/lib/client/result-notes';
import { setThresholdRange } from '@/lib/client/threshold-range';
import { CACHE_STATS_URL } from '@/lib/client/use-cache-stats';
import { useLiveBacktest } from '@/lib/client/use-live-backtest';
import { useMarketCoverage } from '@/lib/client/use-market-data';
import { useUrlControls } from '@/lib/client/use-url-controls';
import { spotSymbol } from '@/lib/market-data/intervals';
import type { BacktestParams } from '@/lib/schemas';
import { ControlsPanel } from './controls-panel';
import { ResultsView } from './results-view';
import { StickySummary } from './sticky-summary';
import styles from './backtester.module.css';

/** The whole interactive page below the server shell. */
export function Backtester() {
  const { coverage, unavailable, funding, error: coverageError } = useMarketCoverage();
  // Presets depend on the asset/timeframe being shown; normalise lazily against the coverage.
  const normalize = useCallback(
    (c: Controls) => reconcileDateChoice(c, datePresets(coverage ? coveredDays(coverage, c.asset, c.timeframe) : null)),
    [coverage],
  );
  const { controls, ready, notices, dismissNotices, update, endDrag } = useUrlControls(normalize);
  const unreadable = unavailable?.find((u) => u.symbol === spotSymbol(controls.asset) && u.interval === controls.timeframe);
  const covered = useMemo(
    () => (coverage ? coveredDays(coverage, controls.asset, controls.timeframe) : null),
    [coverage, controls.asset, controls.timeframe],
  );
  const presets = useMemo(() => datePresets(covered), [covered]);

  const built = useMemo(() => toBacktestParams(controls), [controls]);
  const params = ready && 'params' in built ? built.params : null;
  const live = useLiveBacktest(params);

  const { mutate } = useSWRConfig();
  useEffect(() => {
    // Each answer changes the cache's hit counts; refresh the panel now rather than at the next poll.
    if (live.response) void mutate(CACHE_STATS_URL);
  }, [live.response, mutate]);

  // Keyed by its JSON (a string), so dragging the low/high thresholds keeps the same object.
  const heatmapKey = params && JSON.stringify(heatmapBaseOf(params));
  const heatmapBase = useMemo(
    () => (heatmapKey === null ? null : (JSON.parse(heatmapKey) as ReturnType<typeof heatmapBaseOf>)),
    [heatmapKey],
  );
  const selectCell = useCallback((low: number, high: number) => update(setThresholdRange(low, high), 'choice'), [update]);
  // The heatmap's selection mark follows the sliders at lower priority than the sliders themselves.
  const selected = useDeferredValue(useMemo(() => ({ low: controls.low, high: controls.high }), [controls.low, controls.high]));
  // A new result redraws the charts and the table: render it as a deferred (interruptible)
  // update, so a slider step is never stuck behind it.
  const shownLive = useDeferredValue(live);
  const result = live.response?.result;
  const notice = useMemo(() => (result ? rangeNotice(result, coverage) : null), [result, coverage]);
  const invalidParams = 'error' in built ? built.error : undefined;

  // Walk-forward: the chosen pairs drawn over the heatmap; a clicked step loads its test window and pair.
  const [walkForwardPath, setWalkForwardPath] = useState<ThresholdPoint[]>();
  const selectStep = useCallback(
    (p: BacktestParams) =>
      update(
        {
          asset: p.asset,
          timeframe: p.timeframe,
          leverage: p.leverage,
          strategy: p.strategy,
          low: p.lowThreshold,
          high: p.highThreshold,
          extremeEnabled: p.extremeLowThreshold !== undefined,
          ...(p.extremeLowThreshold !== undefined && p.extremeHighThreshold !== undefined
            ? { extremeLow: p.extremeLowThreshold, extremeHigh: p.extremeHighThreshold }
            : {}),
          datePreset: CUSTOM_PRESET_ID,
          dateRange: p.dateRange,
        },
        'choice',
      ),
    [update],
  );
  const extremesOn = extremesActive(controls);
  const walkForwardExtremes = useMemo(
    () => (extremesOn ? { low: controls.extremeLow, high: controls.extremeHigh } : undefined),
    [extremesOn, controls.extremeLow, controls.extremeHigh],
  );

  return (
    <div className={styles.page}>
      <a href="#results" className={styles.skipLink}>
        Skip to results
      </a>
      <header className={styles.header}>
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" />
          <h1 className={styles.title}>Split Sea</h1>
          <span className={styles.tagline}>Fear &amp; Greed strategy backtester · BTC, ETH, SOL perpetuals</span>
        </div>
      </header>
      <main className={styles.layout}>
        <StickySummary live={live} />
        {notices.length > 0 && (
          <div className={styles.urlNotice} role="alert" data-testid="url-notice">
            <p>The link held settings this page cannot use; they were replaced by defaults:</p>
            <ul>
              {notices.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
            <button type="button" className={styles.action} onClick={dismissNotices}>
              Dismiss
            </button>
          </div>
        )}
        <aside className={styles.sidebar} aria-label="Backtest settings">
          <ControlsPanel
            controls={controls}
            onChange={update}
            onDragEnd={endDrag}
            presets={presets}
            covered={covered}
            rangeNotice={notice}
            coverageError={coverageError?.message ?? (unreadable && `${unreadable.symbol} ${unreadable.interval}: ${unreadable.error}`)}
          />
        </aside>
        <div className={styles.content}>
          <ResultsView live={shownLive} invalidParams={invalidParams} funding={funding} />
          <div className={styles.lower}>
            <div className={styles.heatmapRow}>
              <HeatmapPanel base={heatmapBase} selected={selected} onSelect={selectCell} overlayPath={walkForwardPath} />
              <WalkForwardPanel
                asset={controls.asset}
                timeframe={controls.timeframe}
                leverage={controls.leverage}
                strategy={controls.strategy}
                extremes={walkForwardExtremes}
                onSelectStep={selectStep}
                onPathChange={setWalkForwardPath}
              />
            </div>
            <CachePanel />
          </div>
        </div>
      </main>
    </div>
  );
}
