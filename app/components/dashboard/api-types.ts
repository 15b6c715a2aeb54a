/**
 * The Plausible-compatible Stats API as the dashboard uses it: parameter and
 * response shapes of /api/v1/stats/{aggregate,timeseries,breakdown,realtime/visitors}.
 * The one place the dashboard declares them.
 */
export type Metric =
  | 'visitors'
  | 'visits'
  | 'pageviews'
  | 'views_per_visit'
  | 'bounce_rate'
  | 'visit_duration'
  | 'events'
  | 'conversion_rate';

export type Period = 'day' | '7d' | '30d' | 'month' | '6mo' | '12mo' | 'custom';

export type Interval = 'hour' | 'date' | 'week' | 'month';

export interface AggregateValue {
  value: number;
  /** Percent change against the previous period (percentage points for bounce_rate); present with compare. */
  change?: number | null;
  comparison_value?: number | null;
}

export interface AggregateResponse {
  results: Partial<Record<Metric, AggregateValue>>;
}

export type TimeseriesPoint = { date: string } & Partial<Record<Metric, number | null>>;

export interface TimeseriesResponse {
  results: TimeseriesPoint[];
}

/** A breakdown row: the property value under its short name (`source`, `page`, `country`...) plus metrics. */
export type BreakdownRow = Record<string, string | number | null>;

export interface BreakdownResponse {
  results: BreakdownRow[];
}

/** Plausible answers a bare number; `{results: n}` is accepted too. */
export type RealtimeResponse = number | { results: number };

export interface ApiError {
  error: string;
  detail?: string;
}
