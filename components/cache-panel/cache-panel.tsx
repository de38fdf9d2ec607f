'use client';
/**
 * The cache panel (SPEC §8): entries per tier, size, hit rate and mean hit/miss times polled
 * with swr; the warm-up button with its progress; clear buttons per scope; the admin token.
 */
import { memo, useCallback } from 'react';
import { Card } from '@/components/ui/card';
import { formatBytes, formatDuration, formatPercent } from '@/lib/client/format';
import { useAdminToken } from '@/lib/client/use-admin-token';
import { useCacheInfo, useCacheStats } from '@/lib/client/use-cache-stats';
import { AdminTokenField } from './admin-token-field';
import { ClearControls } from './clear-controls';
import { ErrorMessage } from './error-message';
import { WarmControl } from './warm-control';
import styles from './cache-panel.module.css';

/** The cache card (memoised: it has no props, so the page's slider renders skip it). */
export const CachePanel = memo(function CachePanel() {
  const { data: stats, error, mutate: mutateStats } = useCacheStats();
  const { data: info, mutate: mutateInfo } = useCacheInfo();
  const [token, setToken] = useAdminToken();
  const refresh = useCallback(() => {
    void mutateStats();
    void mutateInfo();
  }, [mutateStats, mutateInfo]);
  const count = (n: number) => n.toLocaleString('en-US');
  const rows: [string, string, string][] = stats
    ? [
        ['entries', 'Entries', count(stats.totalEntries)],
        ['permanent', 'Permanent', count(stats.permanentEntries)],
        ['temporary', 'Temporary', count(stats.temporaryEntries)],
        ['stale', 'Stale', info ? count(info.staleEntries) : '…'],
        ['size', 'Size', formatBytes(stats.cacheSize)],
        ['hit-rate', 'Hit rate', formatPercent(stats.hitRate, { digits: 1 })],
        ['hit-time', 'Mean hit', formatDuration(stats.avgCacheResponseTime)],
        ['miss-time', 'Mean miss', formatDuration(stats.avgExecutionTime)],
      ]
    : [];
  return (
    <Card title="Result cache">
      {error && <ErrorMessage action="Cache statistics" error={error} />}
      {stats ? (
        <dl className={styles.stats} aria-label="Cache statistics" title={`${count(stats.hits)} hits, ${count(stats.misses)} misses since the server started`}>
          {rows.map(([key, label, value]) => (
            <div key={key} data-stat={key}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        !error && <p className={styles.hint}>Loading cache statistics…</p>
      )}
      <AdminTokenField token={token} onChange={setToken} />
      <WarmControl token={token} onFinished={refresh} />
      <ClearControls token={token} onCleared={refresh} />
    </Card>
  );
});
