/** "N current visitors", refreshed every 30 s, linking to the live view. */
'use client';

import { useDashboard } from './context';
import { statsUrl } from './stats-client';
import { useStats } from './use-stats';
import styles from './dashboard.module.css';

export function Realtime() {
  const { site, shareToken } = useDashboard();
  const { data, error } = useStats<number>(statsUrl('realtime/visitors', { site_id: site.domain }, shareToken), 30_000);
  const count = data;
  const href = `/sites/${encodeURIComponent(site.domain)}/live${shareToken ? `?auth=${encodeURIComponent(shareToken)}` : ''}`;
  return (
    <a className={styles.realtime} href={href} data-testid="live-link">
      <span className={styles.pulse} aria-hidden="true" />
      {error || count === undefined ? 'Live view' : `${count} current visitor${count === 1 ? '' : 's'}`}
    </a>
  );
}
