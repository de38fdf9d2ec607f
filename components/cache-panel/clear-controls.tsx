'use client';
/**
 * Clear buttons per cache scope (`POST /api/backtest/cache/clear`), each asking for
 * confirmation in place before it sends; an optional asset limits the clear.
 */
import { useId, useState } from 'react';
import { ASSETS, type Asset, type ClearScope } from '@/lib/schemas';
import type { ApiError } from '@/lib/client/api';
import type { ClearResponse } from '@/lib/client/api-types';
import { clearCache } from '@/lib/client/cache-admin';
import { formatBytes } from '@/lib/client/format';
import { ErrorMessage } from './error-message';
import styles from './cache-panel.module.css';

const SCOPES: { scope: ClearScope; label: string; what: string }[] = [
  { scope: 'stale', label: 'Stale', what: 'stale entries (expired or from another engine or data version)' },
  { scope: 'temporary', label: 'Temporary', what: 'all temporary entries' },
  { scope: 'permanent', label: 'Permanent', what: 'all permanent entries' },
  { scope: 'all', label: 'All', what: 'every cache entry' },
];

type Outcome = { ok: ClearResponse; scope: ClearScope } | { failed: ApiError };

/** Props: the admin token and a callback run after a clear (to refresh the stats). */
export function ClearControls({ token, onCleared }: { token: string; onCleared: () => void }) {
  const assetId = useId();
  const [asset, setAsset] = useState<Asset | ''>('');
  const [pending, setPending] = useState<ClearScope | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const confirming = SCOPES.find((s) => s.scope === pending);

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const ok = await clearCache(pending, asset || undefined, token);
      setOutcome({ ok, scope: pending });
      onCleared();
    } catch (failure) {
      setOutcome({ failed: failure as ApiError });
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  return (
    <div className={styles.clear}>
      <div className={styles.clearRow}>
        <label htmlFor={assetId} className={styles.hint}>
          Clear entries of
        </label>
        <select id={assetId} value={asset} onChange={(e) => setAsset(e.target.value as Asset | '')}>
          <option value="">all assets</option>
          {ASSETS.map((a) => (
            <option key={a} value={a}>
              {a} only
            </option>
          ))}
        </select>
        {SCOPES.map(({ scope, label }) => (
          <button
            key={scope}
            type="button"
            className={styles.secondary}
            disabled={busy}
            aria-label={`Clear ${label.toLowerCase()} cache entries`}
            onClick={() => {
              setOutcome(null);
              setPending(scope);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {confirming && (
        <div className={styles.confirm} role="alertdialog" aria-label="Confirm clearing the cache">
          <span>
            Remove {confirming.what}
            {asset ? ` for ${asset}` : ''}?
          </span>
          <button type="button" className={styles.danger} onClick={confirm} disabled={busy} autoFocus>
            Confirm clear
          </button>
          <button type="button" className={styles.secondary} onClick={() => setPending(null)} disabled={busy}>
            Cancel
          </button>
        </div>
      )}
      {outcome && 'ok' in outcome && (
        <p className={styles.success} role="status">
          Cleared {outcome.scope}: removed {outcome.ok.removed} {outcome.ok.removed === 1 ? 'entry' : 'entries'}, freed{' '}
          {formatBytes(outcome.ok.freedBytes)}.
        </p>
      )}
      {outcome && 'failed' in outcome && <ErrorMessage action="Clear" error={outcome.failed} />}
    </div>
  );
}
