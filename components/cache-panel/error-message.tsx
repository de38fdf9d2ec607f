/** An API error shown in place, with a hint when the admin token is missing or wrong. */
import type { ApiError } from '@/lib/client/api';
import styles from './cache-panel.module.css';

/** `<action> failed (HTTP <status>): <server message>`, plus a token hint for 401/403. */
export function ErrorMessage({ action, error }: { action: string; error: ApiError }) {
  const hint =
    error.status === 401
      ? ' Enter the admin token above.'
      : error.status === 403
        ? ' The server needs CACHE_ADMIN_TOKEN set to allow this.'
        : '';
  return (
    <p className={styles.error} role="alert">
      {action} failed{error.status ? ` (HTTP ${error.status})` : ''}: {error.message.replace(/\.$/, '')}.{hint}
    </p>
  );
}
