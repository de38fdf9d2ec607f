'use client';
/**
 * Warm button and progress bar of the cache warm-up job (`/api/backtest/warm-cache`), polled on
 * the progressive schedule of lib/client/polling-schedule.ts while it runs.
 */
import { useEffect, useRef } from 'react';
import { formatDuration } from '@/lib/client/format';
import type { WarmStatus } from '@/lib/client/api-types';
import { useWarmJob } from '@/lib/client/use-warm-job';
import { ErrorMessage } from './error-message';
import styles from './cache-panel.module.css';

const STATUS_LABEL: Record<WarmStatus['status'], string> = {
  running: 'Warming',
  done: 'Done',
  error: 'Failed',
};

/** Props: the admin token and a callback run when a job finishes (to refresh the stats). */
export function WarmControl({ token, onFinished }: { token: string; onFinished: () => void }) {
  const { status, error, start, starting, startError } = useWarmJob();
  const running = status?.status === 'running';
  const previous = useRef<WarmStatus['status'] | undefined>(undefined);
  useEffect(() => {
    if (previous.current === 'running' && status && status.status !== 'running') onFinished();
    previous.current = status?.status;
  }, [status, onFinished]);

  return (
    <div className={styles.warm}>
      <button type="button" className={styles.primary} disabled={running || starting} onClick={() => start(token)}>
        {running ? 'Warming…' : starting ? 'Starting…' : 'Warm cache'}
      </button>
      {status && (
        <div className={styles.progress}>
          <div
            role="progressbar"
            aria-label="Cache warm-up progress"
            aria-valuemin={0}
            aria-valuemax={status.total}
            aria-valuenow={status.done}
            aria-valuetext={`${status.done} of ${status.total} combinations`}
            data-status={status.status}
            className={styles.bar}
          >
            <span style={{ width: `${status.total ? (status.done / status.total) * 100 : 0}%` }} />
          </div>
          <p className={styles.progressText} aria-live="polite">
            <strong>{STATUS_LABEL[status.status]}</strong> {status.done}/{status.total} · {status.computed} computed ·{' '}
            {status.hits} cached · {status.failed} failed
            {status.finishedAt !== undefined && ` · ${formatDuration(status.finishedAt - status.startedAt)}`}
          </p>
        </div>
      )}
      {startError && <ErrorMessage action="Warm-up" error={startError} />}
      {error && <ErrorMessage action="Warm-up status" error={error} />}
    </div>
  );
}
