/**
 * Types of the stats layer: the query object every report goes through
 * (metrics + one optional dimension + filters + date range + site time zone)
 * and the result shapes of the Stats API v1. Shared with the dashboard and
 * the live view: import them from '@/db/stats', never redeclare them.
 */

export const METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'events',
  'conversion_rate',
] as const;
export type Metric = (typeof METRICS)[number];

export const PERIODS = ['day', '7d', '30d', 'month', '6mo', '12mo', 'custom'] as const;
export type Period = (typeof PERIODS)[number];

export type Interval = 'hour' | 'date' | 'month';

/** A property of the Stats API: `event:page`, `visit:source`, `event:props:<key>`, … */
export type Property = string;

export type FilterOp = 'is' | 'is_not' | 'matches' | 'does_not_match';

/**
 * One parsed filter. `is`/`is_not` compare against any of `values`;
 * `matches`/`does_not_match` hold anchored regular expressions (from `*`/`**`
 * wildcards), any of which may match.
 */
export interface Filter {
  property: Property;
  op: FilterOp;
  values: string[];
}

/** Inclusive range of calendar dates (YYYY-MM-DD) in the site's time zone. */
export interface DateRange {
  from: string;
  to: string;
}

export interface StatsQuery {
  site: string;
  timezone: string;
  range: DateRange;
  metrics: Metric[];
  filters: Filter[];
  /** Breakdown property (breakdown only). */
  dimension?: Property;
  /** Bucket size (timeseries only). */
  interval?: Interval;
  /** Breakdown pagination, 1-based page. */
  limit?: number;
  page?: number;
}

export interface QueryOptions {
  /** Read pre-aggregated rollups when they can answer the query (default true). */
  rollups?: boolean;
  /** Clock, for tests. */
  now?: Date;
}

export type MetricValue = number | null;

export interface AggregateValue {
  value: MetricValue;
  comparison_value?: MetricValue;
  change?: MetricValue;
}

export type AggregateResult = { results: Partial<Record<Metric, AggregateValue>> };
export type TimeseriesRow = { date: string } & Partial<Record<Metric, MetricValue>>;
export type TimeseriesResult = { results: TimeseriesRow[] };
export type BreakdownRow = Record<string, string | MetricValue>;
export type BreakdownResult = { results: BreakdownRow[] };

/** Raised for a request the API must answer with 400 and this message. */
export class StatsInputError extends Error {
  readonly status = 400;
}
