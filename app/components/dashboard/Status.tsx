/** Loading, error and empty states shared by the dashboard widgets. */
'use client';

import type { ReactNode } from 'react';
import type { StatsError } from './stats-client';
import styles from './dashboard.module.css';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className={styles.loading} role="status" aria-live="polite">
      <span className={styles.spinner} aria-hidden="true" />
      <span className="sr-only">{label}…</span>
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: StatsError; onRetry(): void }) {
  return (
    <div className={styles.error} role="alert">
      <p>{error.message}</p>
      <div className={styles.errorActions}>
        {error.status === 401 ? (
          <a className="button" href={`/login?next=${encodeURIComponent(typeof location === 'undefined' ? '/' : location.pathname + location.search)}`}>
            Sign in
          </a>
        ) : null}
        <button type="button" className="button secondary" onClick={onRetry}>
          Retry
        </button>
      </div>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className={styles.empty}>{children}</div>;
}
