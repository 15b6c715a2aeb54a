/** The active filters as removable chips; empty when there are none. */
'use client';

import { useDashboard } from './context';
import { countryName } from './format';
import { withoutFilter, type DashboardFilter } from './query';
import styles from './dashboard.module.css';

const LABELS: Record<string, string> = {
  'event:page': 'Page',
  'event:name': 'Event',
  'event:goal': 'Goal',
  'event:hostname': 'Hostname',
  'visit:entry_page': 'Entry page',
  'visit:exit_page': 'Exit page',
  'visit:source': 'Source',
  'visit:channel': 'Channel',
  'visit:referrer': 'Referrer',
  'visit:utm_medium': 'UTM medium',
  'visit:utm_source': 'UTM source',
  'visit:utm_campaign': 'UTM campaign',
  'visit:utm_content': 'UTM content',
  'visit:utm_term': 'UTM term',
  'visit:country': 'Country',
  'visit:region': 'Region',
  'visit:city': 'City',
  'visit:device': 'Device',
  'visit:browser': 'Browser',
  'visit:os': 'OS',
  'visit:browser_version': 'Browser version',
  'visit:os_version': 'OS version',
};

export function describeFilter(f: DashboardFilter): string {
  const name = LABELS[f.dimension] ?? (f.dimension.startsWith('event:props:') ? `Property ${f.dimension.slice(12)}` : f.dimension);
  const value = f.dimension === 'visit:country' ? countryName(f.value) : f.value || '(none)';
  return `${name} ${f.op === '==' ? 'is' : 'is not'} ${value}`;
}

export function FilterBar() {
  const { query, setQuery } = useDashboard();
  if (query.filters.length === 0) return null;
  return (
    <div className={styles.filters} role="region" aria-label="Active filters">
      <ul>
        {query.filters.map((f) => (
          <li key={f.dimension} className={styles.chip} data-testid="filter-chip">
            <span>{describeFilter(f)}</span>
            <button type="button" aria-label={`Remove filter: ${describeFilter(f)}`} onClick={() => setQuery(withoutFilter(query, f.dimension))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {query.filters.length > 1 ? (
        <button type="button" className="link" onClick={() => setQuery({ ...query, filters: [] })}>
          Clear all
        </button>
      ) : null}
    </div>
  );
}
