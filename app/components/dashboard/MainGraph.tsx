/** The main chart: the selected metric over the period, at a chosen interval. */
'use client';

import dynamic from 'next/dynamic';
import type { ChartProps } from '../chart/Chart';
import type { Interval, TimeseriesResult, TimeseriesRow } from '@/db/stats';
import { useDashboard } from './context';
import { formatBucket, formatMetric, METRIC_LABELS } from './format';
import { baseParams, effectiveInterval, graphMetric, intervalsFor } from './query';
import { ErrorNotice, Loading } from './Status';
import { statsUrl } from './stats-client';
import { useStats } from './use-stats';
import styles from './dashboard.module.css';

// recharts is loaded in the browser only: it draws nothing useful without
// layout measurements, and loading it in the server render costs seconds on a cold start.
const Chart = dynamic<ChartProps<TimeseriesRow>>(() => import('../chart/Chart').then((m) => m.Chart), {
  ssr: false,
  loading: () => <div style={{ height: 260 }} />,
});

const INTERVAL_LABELS: Record<Interval, string> = { hour: 'Hours', date: 'Days', month: 'Months' };

export function MainGraph() {
  const { site, shareToken, query, setQuery } = useDashboard();
  const interval = effectiveInterval(query);
  const metric = graphMetric(query);
  const url = statsUrl('timeseries', { ...baseParams(query, site.domain), metrics: metric, interval }, shareToken);
  const { data, error, loading, reload } = useStats<TimeseriesResult>(url);
  const choices = intervalsFor(query);

  return (
    <section className={styles.card} aria-labelledby="main-graph-title">
      <header className={styles.cardHeader}>
        <h2 id="main-graph-title">{METRIC_LABELS[metric]}</h2>
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
            series={[{ key: metric, label: METRIC_LABELS[metric] }]}
            label={`${METRIC_LABELS[metric]} per ${INTERVAL_LABELS[interval].toLowerCase().replace(/s$/, '')}`}
            formatX={(x) => formatBucket(x, interval)}
            formatTooltipX={(x) => formatBucket(x, interval, true)}
            formatY={(y) => formatMetric(metric, y)}
          />
        </div>
      )}
    </section>
  );
}
