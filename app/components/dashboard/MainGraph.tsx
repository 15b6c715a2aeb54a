/** The main chart: the selected metric over the period, at a chosen interval. */
'use client';

import { Chart } from '../chart/Chart';
import type { Interval, TimeseriesResponse } from './api-types';
import { useDashboard } from './context';
import { formatBucket, formatMetric, METRIC_LABELS } from './format';
import { baseParams, effectiveInterval, intervalsFor } from './query';
import { ErrorNotice, Loading } from './Status';
import { statsUrl } from './stats-client';
import { useStats } from './use-stats';
import styles from './dashboard.module.css';

const INTERVAL_LABELS: Record<Interval, string> = { hour: 'Hours', date: 'Days', week: 'Weeks', month: 'Months' };

export function MainGraph() {
  const { site, shareToken, query, setQuery } = useDashboard();
  const interval = effectiveInterval(query);
  const url = statsUrl('timeseries', { ...baseParams(query, site.domain), metrics: query.metric, interval }, shareToken);
  const { data, error, loading, reload } = useStats<TimeseriesResponse>(url);
  const choices = intervalsFor(query);

  return (
    <section className={styles.card} aria-labelledby="main-graph-title">
      <header className={styles.cardHeader}>
        <h2 id="main-graph-title">{METRIC_LABELS[query.metric]}</h2>
        {choices.length > 1 ? (
          <label className={styles.inlineField}>
            <span className="sr-only">Interval</span>
            <select value={interval} onChange={(e) => setQuery({ ...query, interval: e.target.value as Interval })}>
              {choices.map((i) => (
                <option key={i} value={i}>
                  {INTERVAL_LABELS[i]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>
      {error ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : !data ? (
        <div style={{ height: 260 }}>
          <Loading label="Loading chart" />
        </div>
      ) : (
        <div data-loading={loading} className={styles.fade}>
          <Chart
            data={data.results}
            xKey="date"
            series={[{ key: query.metric, label: METRIC_LABELS[query.metric] }]}
            label={`${METRIC_LABELS[query.metric]} per ${INTERVAL_LABELS[interval].toLowerCase().replace(/s$/, '')}`}
            formatX={(x) => formatBucket(x, interval)}
            formatTooltipX={(x) => formatBucket(x, interval, true)}
            formatY={(y) => formatMetric(query.metric, y)}
          />
        </div>
      )}
    </section>
  );
}
