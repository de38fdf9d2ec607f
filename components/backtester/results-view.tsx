'use client';
/**
 * The live result: run summary with the source badge, the error of the newest request shown in
 * place (server message kept), metric cards, the split-sea chart and the equity curve. The last
 * answer stays on screen, dimmed, while a newer one loads or after an error. The chart's zones
 * follow the live sliders only while a newer request is loading; otherwise (settled, failed or
 * invalid settings) they are split at the thresholds of the result on screen.
 */
import { useMemo } from 'react';
import { Card } from '@/components/ui/card';
import { MetricCards } from '@/components/metrics/metric-cards';
import { EquityChart } from '@/components/split-sea-chart/equity-chart';
import { SplitSeaChart } from '@/components/split-sea-chart/split-sea-chart';
import { resultSource } from '@/lib/client/api-types';
import type { LiveBacktest } from '@/lib/client/use-live-backtest';
import { lastCoveredDay } from '@/lib/client/format';
import { thresholdsOf, type ZoneThresholds } from '@/lib/client/zone-split';
import { ResultBadge } from './result-badge';
import styles from './backtester.module.css';

/** Props: the live backtest state, the sliders' thresholds, and a local validation error. */
export interface ResultsViewProps {
  live: LiveBacktest;
  thresholds: ZoneThresholds;
  invalidParams?: string;
}

/** Summary, error, metrics and charts of the shown result. */
export function ResultsView({ live, thresholds, invalidParams }: ResultsViewProps) {
  const { response, error, isLoading, roundTripMs } = live;
  const result = response?.result;
  const stale = isLoading || !!error || !!invalidParams;
  const resultThresholds = useMemo(() => result && thresholdsOf(result.params), [result]);
  const zoneThresholds = isLoading || !resultThresholds ? thresholds : resultThresholds;
  return (
    <div className={styles.results}>
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
      {invalidParams && (
        <p className={styles.error} role="alert">
          Invalid settings: {invalidParams}
        </p>
      )}
      {error && !invalidParams && (
        <p className={styles.error} role="alert" data-testid="backtest-error">
          Backtest failed{error.status ? ` (HTTP ${error.status})` : ''}: {error.message}
        </p>
      )}
      {result && <MetricCards result={result} stale={stale} />}
      <Card title="Split sea · FGI zones, price and position" className={stale ? styles.staleCard : ''}>
        {response?.detail ? (
          <div className={styles.charts}>
            <SplitSeaChart detail={response.detail} timeframe={response.result.params.timeframe} thresholds={zoneThresholds} />
            <EquityChart points={response.detail.points} timeframe={response.result.params.timeframe} />
          </div>
        ) : (
          <div className={styles.chartPlaceholder}>{error ? 'No chart: the backtest failed.' : 'Loading chart…'}</div>
        )}
      </Card>
    </div>
  );
}
