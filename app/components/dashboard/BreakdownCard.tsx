/**
 * A breakdown report card: tabs (one Stats API `property` each), the top
 * rows with a bar for their share, and "show more". Choosing a row filters
 * the whole dashboard by that value. Widgets only describe their tabs.
 */
'use client';

import { useId, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import type { BreakdownResult, BreakdownRow, Metric } from '@/db/stats';
import { CARD_ROWS, CARD_SHOWN } from '@/db/stats/dashboard-cards';
import { useDashboard } from './context';
import { formatMetric } from './format';
import { baseParams, usableMetrics, withFilter } from './query';
import { Empty, ErrorNotice, Loading } from './Status';
import { statsUrl } from './stats-client';
import { useStats } from './use-stats';
import styles from './dashboard.module.css';

export interface BreakdownTab {
  id: string;
  label: string;
  /** Stats API property, e.g. `visit:source`. */
  property: string;
  /** Column heading for the values. */
  column: string;
  /** Metrics shown as columns; the first sizes the bars. Default: visitors. */
  metrics?: Metric[];
  /** Rows to hide (e.g. built-in events). */
  hide?: (value: string) => boolean;
  /** How a row's value is shown (the row has the parent property of versions, e.g. `browser`). */
  renderValue?: (value: string, row: BreakdownRow) => ReactNode;
  /** Shown instead of the list: a tab that loads what it needs only once chosen (the property picker). */
  panel?: ReactNode;
  /** Shown when the report has no rows. */
  empty?: ReactNode;
  /** False: rows are not clickable. */
  filterable?: boolean;
}

const METRIC_COLUMNS: Partial<Record<Metric, string>> = {
  visitors: 'Visitors',
  events: 'Events',
  pageviews: 'Views',
  conversion_rate: 'CR',
  visits: 'Visits',
  bounce_rate: 'Bounce',
  visit_duration: 'Duration',
};

const COLLAPSED = CARD_SHOWN;
const EXPANDED = 100;

/** The row key the API uses for a property: its last segment (`visit:source` -> `source`). */
export function propertyKey(property: string): string {
  return property.split(':').pop() ?? property;
}

export function BreakdownCard({ title, tabs }: { title: string; tabs: BreakdownTab[] }) {
  const [activeId, setActiveId] = useState(tabs[0]!.id);
  const active = tabs.find((t) => t.id === activeId) ?? tabs[0]!;
  const baseId = useId();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  const onKey = (e: KeyboardEvent, index: number) => {
    const move = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!move) return;
    e.preventDefault();
    const next = (index + move + tabs.length) % tabs.length;
    setActiveId(tabs[next]!.id);
    tabRefs.current[next]?.focus();
  };

  return (
    <section className={styles.card} aria-label={title}>
      <header className={styles.cardHeader}>
        <h2>{title}</h2>
        {tabs.length > 1 ? (
          <div role="tablist" aria-label={`${title} reports`} className={styles.tabs}>
            {tabs.map((t, i) => (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`${baseId}-tab-${t.id}`}
                aria-selected={t.id === active.id}
                aria-controls={`${baseId}-panel`}
                tabIndex={t.id === active.id ? 0 : -1}
                className={styles.tab}
                onClick={() => setActiveId(t.id)}
                onKeyDown={(e) => onKey(e, i)}
              >
                {t.label}
              </button>
            ))}
          </div>
        ) : null}
      </header>
      <div id={`${baseId}-panel`} role={tabs.length > 1 ? 'tabpanel' : undefined} aria-labelledby={tabs.length > 1 ? `${baseId}-tab-${active.id}` : undefined}>
        {active.panel ?? <BreakdownList key={`${active.id}|${active.property}`} tab={active} />}
      </div>
    </section>
  );
}

export function BreakdownList({ tab }: { tab: BreakdownTab }) {
  const { site, shareToken, query, setQuery } = useDashboard();
  const [expanded, setExpanded] = useState(false);
  const allowed = usableMetrics(tab.metrics ?? ['visitors'], query.filters, tab.property || undefined);
  const metrics: Metric[] = allowed.length ? allowed : ['visitors'];
  const key = propertyKey(tab.property);
  const url = statsUrl(
    'breakdown',
    { ...baseParams(query, site.domain), property: tab.property, metrics: metrics.join(','), limit: String(expanded ? EXPANDED + 2 : CARD_ROWS) },
    shareToken,
  );
  const { data, error, loading, reload } = useStats<BreakdownResult>(tab.property ? url : null);

  if (!tab.property) return <Empty>{tab.empty ?? 'Nothing to show.'}</Empty>;
  if (error) return <ErrorNotice error={error} onRetry={reload} />;
  if (!data) return <Loading label={`Loading ${tab.label.toLowerCase()}`} />;

  const rows = data.results.filter((r) => !tab.hide?.(String(r[key] ?? '')));
  const shown = rows.slice(0, expanded ? EXPANDED : COLLAPSED);
  if (shown.length === 0) return <Empty>{tab.empty ?? 'No data for this period.'}</Empty>;

  const first = metrics[0]!;
  const max = Math.max(1, ...shown.map((r) => Number(r[first] ?? 0)));
  const activeFilter = query.filters.find((f) => f.dimension === tab.property && f.op === '==')?.value;
  const filterable = tab.filterable !== false;

  return (
    <div className={styles.fade} data-loading={loading} style={{ '--cols': metrics.length } as CSSProperties}>
      <div className={styles.listHeader} aria-hidden="true">
        <span>{tab.column}</span>
        {metrics.map((m) => (
          <span key={m}>{METRIC_COLUMNS[m] ?? m}</span>
        ))}
      </div>
      <ul className={styles.list} data-testid={`breakdown-${tab.id}`}>
        {shown.map((row) => (
          <Row
            key={String(row[key])}
            row={row}
            valueKey={key}
            metrics={metrics}
            max={max}
            selected={activeFilter === String(row[key])}
            render={tab.renderValue}
            onSelect={filterable ? (value) => setQuery(withFilter(query, { dimension: tab.property, op: '==', value })) : undefined}
          />
        ))}
      </ul>
      {rows.length > COLLAPSED ? (
        <button type="button" className={`link ${styles.more}`} onClick={() => setExpanded((e) => !e)} aria-expanded={expanded}>
          {expanded ? 'Show fewer' : 'Show more'}
        </button>
      ) : null}
    </div>
  );
}

function Row(props: {
  row: BreakdownRow;
  valueKey: string;
  metrics: Metric[];
  max: number;
  selected: boolean;
  render?: (value: string, row: BreakdownRow) => ReactNode;
  onSelect?: (value: string) => void;
}) {
  const { row, valueKey, metrics, max, selected, render, onSelect } = props;
  const value = String(row[valueKey] ?? '');
  const width = `${Math.max(1, (Number(row[metrics[0]!] ?? 0) / max) * 100)}%`;
  const label = render ? render(value, row) : value || '(none)';
  const cells = metrics.map((m) => (
    <span key={m} className={styles.num}>
      {formatMetric(m, typeof row[m] === 'number' ? (row[m] as number) : Number(row[m] ?? NaN))}
    </span>
  ));
  const content = (
    <>
      <span className={styles.bar} style={{ width }} aria-hidden="true" />
      <span className={styles.rowLabel}>
        {label}
      </span>
      {cells}
    </>
  );
  return (
    <li>
      {onSelect ? (
        <button
          type="button"
          className={styles.row}
          aria-pressed={selected}
          title={`Filter by ${value || '(none)'}`}
          onClick={() => onSelect(value)}
        >
          {content}
        </button>
      ) : (
        <div className={styles.row}>{content}</div>
      )}
    </li>
  );
}
