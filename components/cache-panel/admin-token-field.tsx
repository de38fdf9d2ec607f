'use client';
/** Field for the cache admin token (sent as `Authorization: Bearer` to clear and warm-cache). */
import { useId } from 'react';
import styles from './cache-panel.module.css';

/** Props: the token and its setter (the caller keeps it in sessionStorage). */
export function AdminTokenField({ token, onChange }: { token: string; onChange: (token: string) => void }) {
  const id = useId();
  return (
    // A form (never submitted) so the browser treats the password field as one.
    <form className={styles.tokenField} onSubmit={(e) => e.preventDefault()} autoComplete="off">
      <label htmlFor={id}>Admin token</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        placeholder="only if the server sets CACHE_ADMIN_TOKEN"
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value.trim())}
      />
      <span id={`${id}-hint`} className={styles.hint}>
        Kept in this tab only (sessionStorage).
      </span>
    </form>
  );
}
