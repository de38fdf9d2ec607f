/**
 * Badge saying where the shown result came from (permanent cache, temporary cache, or computed
 * for this request) and how long the answer took in the browser (round trip, ms). Not a live
 * region: it changes on every settled slider step, so it is read when reached, not announced.
 */
import type { ResultSource } from '@/lib/client/api-types';
import { formatDuration } from '@/lib/client/format';
import styles from './result-badge.module.css';

/** Props: the source, the round trip (ms), the server's compute time (ms) and the entry's age (ms). */
export interface ResultBadgeProps {
  source: ResultSource;
  roundTripMs: number;
  executionTime: number;
  cacheAge?: number;
  updating: boolean;
  /** `data-testid` of the badge (the phone's sticky summary repeats it under another id). */
  testId?: string;
}

const LABEL: Record<ResultSource, string> = {
  permanent: 'Permanent cache',
  temporary: 'Temporary cache',
  computed: 'Computed',
};

/** The badge; `data-source` carries the tier for tests and styling. */
export function ResultBadge({ source, roundTripMs, executionTime, cacheAge, updating, testId = 'result-badge' }: ResultBadgeProps) {
  const detail =
    source === 'computed'
      ? `computed on the server in ${formatDuration(executionTime)}`
      : `cached ${cacheAge === undefined ? '' : `${formatDuration(cacheAge)} ago, `}originally computed in ${formatDuration(executionTime)}`;
  return (
    <span
      className={`${styles.badge} ${styles[source]}`}
      data-testid={testId}
      data-source={source}
      data-updating={updating}
      title={`Round trip ${formatDuration(roundTripMs)}; ${detail}`}
    >
      <span className={styles.dot} aria-hidden="true" />
      <span className={styles.source}>{LABEL[source]}</span>
      <span className={styles.time}>{formatDuration(roundTripMs)}</span>
      <span className="visually-hidden"> round trip; {detail}</span>
      {updating && <span className="visually-hidden">updating</span>}
    </span>
  );
}
