/**
 * Top stats: visitors, visits, pageviews, views per visit, bounce rate and
 * visit duration for the period, each with its change against the previous
 * period. Choosing a stat draws it in the main chart.
 */
'use client';

import type { AggregateResponse, Metric } from './api-types';
import { useDashboard } from './context';
import { changeTone, formatChange, formatMetric, METRIC_LABELS } from './format';
import { baseParams, GRAPH_METRICS, type GraphMetric } from './query';
import { ErrorNotice } from './Status';
import { statsUrl } from './stats-client';
import { useStats } from './use-stats';
import styles from './dashboard.module.css';

const METRICS: Metric[] = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];

export function TopStats() {
  const { site, shareToken, query, setQuery } = useDashboard();
  const url = statsUrl(
    'aggregate',
    { ...baseParams(query, site.domain), metrics: METRICS.join(','), compare: query.compare ? 'previous_period' : undefined },
    shareToken,
  );
  const { data, error, loading, reload } = useStats<AggregateResponse>(url);
  if (error) return <ErrorNotice error={error} onRetry={reload} />;

  return (
    <div className={styles.topStats} role="group" aria-label="Top stats; choose one to draw it in the chart" aria-busy={loading}>
      {METRICS.map((metric) => {
        const stat = data?.results[metric];
        const graphable = GRAPH_METRICS.includes(metric as GraphMetric);
        const selected = query.metric === metric;
        const change = query.compare && typeof stat?.change === 'number' ? stat.change : null;
        const body = (
          <>
            <span className={styles.statLabel}>{METRIC_LABELS[metric]}</span>
            <span className={styles.statValue} data-testid={`stat-${metric}`}>
              {data ? formatMetric(metric, stat?.value) : <span className={styles.skeleton} aria-label="loading" />}
            </span>
            {change !== null ? (
              <span className={styles.change} data-tone={changeTone(metric, change)} title="Change against the previous period">
                {formatChange(change)}
              </span>
            ) : null}
          </>
        );
        return graphable ? (
          <button
            key={metric}
            type="button"
            aria-pressed={selected}
            className={styles.stat}
            data-loading={loading && Boolean(data)}
            onClick={() => setQuery({ ...query, metric: metric as GraphMetric })}
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
