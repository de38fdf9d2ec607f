'use client';
/**
 * The live result: run summary with the source badge, pin and export buttons, the error of the
 * newest request shown in place (saying that what stays on screen is the result of the earlier
 * settings), metric cards with the model's assumptions, the split-sea chart with its zoom brush,
 * the equity curve (with a pinned result dashed) and the trades table. The last answer stays on
 * screen while a newer one loads (no flashing, dimmed when the wait is long); every answer is
 * drawn as it arrives, also while a slider is dragged. Everything drawn comes from a result,
 * never from the live sliders.
 */
import { memo, startTransition, useCallback, useMemo, useState } from 'react';
import { Card } from '@/components/ui/card';
import { AssumptionsPanel } from '@/components/metrics/assumptions-panel';
import { MetricCards } from '@/components/metrics/metric-cards';
import { EquityChart } from '@/components/split-sea-chart/equity-chart';
import { SplitSeaChart } from '@/components/split-sea-chart/split-sea-chart';
import { ChartHoverProvider } from '@/components/split-sea-chart/svg-chart';
import { ZoomBrush } from '@/components/split-sea-chart/zoom-brush';
import { TradesTable } from '@/components/trades/trades-table';
import { cacheKey } from '@/lib/cache/key';
import { resultSource, type FundingCoverage } from '@/lib/client/api-types';
import { download, exportBody, exportFileName, type ExportKind } from '@/lib/client/exports';
import { lastCoveredDay } from '@/lib/client/format';
import { useNextTaskValue } from '@/lib/client/use-paced-value';
import { pinResult, settingsLabel, type PinnedResult } from '@/lib/client/pinned-result';
import type { LiveBacktest } from '@/lib/client/use-live-backtest';
import { thresholdsOf, type TimeRange } from '@/lib/client/zone-split';
import { ResultBadge } from './result-badge';
import styles from './backtester.module.css';

/** Props: the live backtest state, a local validation error, and the funding history list (when the server gives one). */
export interface ResultsViewProps {
  live: LiveBacktest;
  invalidParams?: string;
  funding?: FundingCoverage[];
}

const EXPORTS: [ExportKind, string][] = [
  ['result', 'Result JSON'],
  ['trades', 'Trades CSV'],
  ['equity', 'Equity CSV'],
];

/** Summary, error, metrics, charts and trades of the shown result. */
export const ResultsView = memo(function ResultsView({ live, invalidParams, funding }: ResultsViewProps) {
  const { response, error, isLoading, roundTripMs } = live;
  const result = response?.result;
  const failed = !!error || !!invalidParams;
  const stale = isLoading || failed;
  // The trades table draws a new result one task after the charts, so the two are separate tasks.
  const tabled = useNextTaskValue(response);
  const thresholds = useMemo(() => response && thresholdsOf(response.result.params), [response]);
  const [pinned, setPinned] = useState<PinnedResult | null>(null);
  const [zoom, setZoom] = useState<TimeRange | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const onZoom = useCallback((next: TimeRange | null) => startTransition(() => setZoom(next)), []);
  const key = result ? cacheKey(result.params) : null;

  const save = (kind: ExportKind) => {
    if (!response) return;
    const { text, type } = exportBody(response, kind);
    download(exportFileName(response.result.params, kind), text, type);
  };

  return (
    <div className={styles.results} id="results" tabIndex={-1}>
      <div className={styles.summary}>
        {result ? (
          <p className={styles.run} data-testid="run-summary">
            <strong>
              {result.params.asset} · {result.params.timeframe} · {result.params.leverage}× · {result.params.strategy}{' '}
              {result.params.lowThreshold}/{result.params.highThreshold}
              {result.params.extremeLowThreshold !== undefined &&
                ` (extreme ${result.params.extremeLowThreshold}/${result.params.extremeHighThreshold})`}
            </strong>
            <span>
              {result.period.start.slice(0, 10)} → {lastCoveredDay(result.period.end)} UTC · {result.bars.toLocaleString('en-US')} bars
            </span>
          </p>
        ) : (
          <p className={styles.run}>{error ? 'No result yet' : 'Running the first backtest…'}</p>
        )}
        {response && roundTripMs !== undefined && (
          <ResultBadge
            source={resultSource(response)}
            roundTripMs={roundTripMs}
            executionTime={response.result.executionTime}
            cacheAge={response.cacheAge}
            updating={isLoading}
          />
        )}
      </div>
      {response && key && (
        <div className={styles.toolbar} role="group" aria-label="Result actions">
          {pinned?.key === key ? (
            <button type="button" className={styles.action} onClick={() => setPinned(null)}>
              Unpin
            </button>
          ) : (
            <button type="button" className={styles.action} onClick={() => setPinned(pinResult(response, key))} disabled={!response.detail}>
              Pin to compare
            </button>
          )}
          {pinned && pinned.key !== key && (
            <button type="button" className={styles.action} onClick={() => setPinned(null)}>
              Unpin {pinned.label.split(' · ')[0]}
            </button>
          )}
          <span className={styles.toolbarLabel}>Download</span>
          {EXPORTS.map(([kind, label]) => (
            <button key={kind} type="button" className={styles.action} onClick={() => save(kind)} title={exportFileName(response.result.params, kind)}>
              {label}
            </button>
          ))}
        </div>
      )}
      {invalidParams && (
        <p className={styles.error} role="alert">
          Invalid settings: {invalidParams}
          {result && <> — the result below is for the earlier settings ({settingsLabel(result.params)}).</>}
        </p>
      )}
      {error && !invalidParams && (
        <p className={styles.error} role="alert" data-testid="backtest-error">
          Backtest failed{error.status ? ` (HTTP ${error.status})` : ''}: {error.message}
          {result && <> — the result below is for the earlier settings ({settingsLabel(result.params)}), not the ones now chosen.</>}
        </p>
      )}
      <div className={failed ? styles.failedResult : undefined} data-testid="result-body" data-stale-result={failed}>
        {result && <MetricCards result={result} stale={stale} />}
        {result && <AssumptionsPanel result={result} funding={funding} />}
        <Card title="Split sea · FGI zones, price and position" className={stale ? styles.staleCard : ''}>
          {response?.detail && thresholds ? (
            <ChartHoverProvider>
              <div className={styles.charts}>
                {highlight !== null && (
                  // Rings the highlighted trade's markers without redrawing the chart.
                  <style>{`[data-testid="split-sea-chart"] [data-trade="${highlight}"] { stroke: var(--accent); stroke-width: 3px; filter: drop-shadow(0 0 3px var(--accent)); }`}</style>
                )}
                <SplitSeaChart detail={response.detail} timeframe={response.result.params.timeframe} thresholds={thresholds} zoom={zoom} />
                <ZoomBrush points={response.detail.points} timeframe={response.result.params.timeframe} zoom={zoom} onZoom={onZoom} />
                <EquityChart points={response.detail.points} timeframe={response.result.params.timeframe} pinned={pinned} zoom={zoom} />
              </div>
            </ChartHoverProvider>
          ) : (
            <div className={styles.chartPlaceholder}>{error ? 'No chart: the backtest failed.' : 'Loading chart…'}</div>
          )}
        </Card>
        {tabled?.detail && (
          <Card title={`Trades · ${tabled.detail.trades.length}`} className={stale ? styles.staleCard : ''}>
            <TradesTable trades={tabled.detail.trades} asset={tabled.result.params.asset} onHighlight={setHighlight} />
          </Card>
        )}
      </div>
    </div>
  );
});
