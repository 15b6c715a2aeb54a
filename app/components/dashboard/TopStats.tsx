/**
 * Top stats for the period, each with its change against the previous
 * period: visitors, visits, pageviews, views per visit, bounce rate, visit
 * duration; with a goal, event or property filter, the conversion figures
 * instead (visit metrics do not apply to single events). Choosing a stat
 * draws it in the main chart.
 */
'use client';

import type { AggregateResult, Metric } from '@/db/stats';
import { useDashboard } from './context';
import { changeTone, formatChange, formatMetric, METRIC_LABELS } from './format';
import { baseParams, graphMetric, hasEventFilter, isGraphable, usableMetrics } from './query';
import { ErrorNotice } from './Status';
import { statsUrl } from './stats-client';
import { useStats } from './use-stats';
import styles from './dashboard.module.css';

const VISIT_STATS: Metric[] = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];
const EVENT_STATS: Metric[] = ['visitors', 'events', 'conversion_rate'];

export function TopStats() {
  const { site, shareToken, query, setQuery } = useDashboard();
  const metrics = usableMetrics(hasEventFilter(query.filters) ? EVENT_STATS : VISIT_STATS, query.filters);
  const url = statsUrl(
    'aggregate',
    { ...baseParams(query, site.domain), metrics: metrics.join(','), compare: query.compare ? 'previous_period' : undefined },
    shareToken,
  );
  const { data, error, loading, reload } = useStats<AggregateResult>(url);
  if (error) return <ErrorNotice error={error} onRetry={reload} />;
  const shown = graphMetric(query);

  return (
    <div className={styles.topStats} role="group" aria-label="Top stats; choose one to draw it in the chart" aria-busy={loading}>
      {metrics.map((metric) => {
        const stat = data?.results[metric];
        const change = query.compare && typeof stat?.change === 'number' ? stat.change : null;
        const body = (
          <>
            <span className={styles.statLabel}>{METRIC_LABELS[metric]}</span>
            <span className={styles.statValue} data-testid={`stat-${metric}`}>
              {data ? formatMetric(metric, stat?.value) : <span className={styles.skeleton} aria-label="loading" />}
            </span>
            {change !== null ? (
              <span className={styles.change} data-tone={changeTone(metric, change)} title="Change against the previous period">
                {formatChange(metric, change)}
              </span>
            ) : null}
          </>
        );
        return isGraphable(metric) ? (
          <button
            key={metric}
            type="button"
            aria-pressed={shown === metric}
            className={styles.stat}
            data-loading={loading && Boolean(data)}
            onClick={() => setQuery({ ...query, metric })}
          >
            {body}
          </button>
        ) : (
          <div key={metric} className={styles.stat} data-static="true">
            {body}
          </div>
        );
      })}
    </div>
  );
}
