/**
 * The dashboard's state as it lives in the URL (bookmarkable, restored on
 * reload): period, date or range, filters, comparison, interval and the
 * metric drawn in the main chart. Filters use the Stats API's own syntax
 * (`visit:source==Google;event:page==/blog/**`), so the URL reads the same
 * as an API call.
 */
import type { Interval, Metric, Period } from './api-types';

export type FilterOp = '==' | '!=';

export interface Filter {
  /** `visit:source`, `event:page`, `event:props:plan`, `event:goal`... */
  dimension: string;
  op: FilterOp;
  value: string;
}

export type GraphMetric = Extract<Metric, 'visitors' | 'pageviews' | 'visits' | 'bounce_rate' | 'visit_duration'>;

export interface DashboardQuery {
  period: Period;
  /** For day/month: a day in that period (YYYY-MM-DD); for custom: "from,to". Absent: the current period. */
  date?: string;
  filters: Filter[];
  compare: boolean;
  /** Absent: the default for the period. */
  interval?: Interval;
  metric: GraphMetric;
}

export const PERIODS: readonly Period[] = ['day', '7d', '30d', 'month', '6mo', '12mo', 'custom'];
export const GRAPH_METRICS: readonly GraphMetric[] = ['visitors', 'pageviews', 'visits', 'bounce_rate', 'visit_duration'];
const INTERVALS: readonly Interval[] = ['hour', 'date', 'week', 'month'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const DEFAULT_QUERY: DashboardQuery = { period: '30d', filters: [], compare: true, metric: 'visitors' };

export function parseFilters(text: string | null | undefined): Filter[] {
  if (!text) return [];
  const filters: Filter[] = [];
  for (const part of text.split(';')) {
    const m = /^([a-z_]+:[A-Za-z0-9_:.$-]+?)(==|!=)(.*)$/.exec(part.trim());
    if (m && m[3] !== '') filters.push({ dimension: m[1]!, op: m[2] as FilterOp, value: m[3]! });
  }
  return filters;
}

export function formatFilters(filters: readonly Filter[]): string {
  return filters.map((f) => `${f.dimension}${f.op}${f.value}`).join(';');
}

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

function validDate(period: Period, date: string | null): string | undefined {
  if (!date) return undefined;
  if (period === 'custom') {
    const [from, to] = date.split(',');
    return from && to && DAY.test(from) && DAY.test(to) && from <= to ? `${from},${to}` : undefined;
  }
  return DAY.test(date) ? date : undefined;
}

export function parseQuery(params: URLSearchParams): DashboardQuery {
  const period = pick(params.get('period'), PERIODS) ?? DEFAULT_QUERY.period;
  const date = validDate(period, params.get('date'));
  return {
    // A custom period without a valid range falls back to the default.
    period: period === 'custom' && !date ? DEFAULT_QUERY.period : period,
    date,
    filters: parseFilters(params.get('filters')),
    compare: params.get('compare') !== 'off',
    interval: pick(params.get('interval'), INTERVALS),
    metric: pick(params.get('metric'), GRAPH_METRICS) ?? DEFAULT_QUERY.metric,
  };
}

/** Only non-default values go into the URL, so links stay short. */
export function queryToSearch(q: DashboardQuery, base?: URLSearchParams): string {
  const params = new URLSearchParams();
  // Keep unrelated parameters (the share token `auth`).
  base?.forEach((v, k) => {
    if (!['period', 'date', 'filters', 'compare', 'interval', 'metric'].includes(k)) params.set(k, v);
  });
  if (q.period !== DEFAULT_QUERY.period) params.set('period', q.period);
  if (q.date) params.set('date', q.date);
  if (q.filters.length) params.set('filters', formatFilters(q.filters));
  if (!q.compare) params.set('compare', 'off');
  if (q.interval) params.set('interval', q.interval);
  if (q.metric !== DEFAULT_QUERY.metric) params.set('metric', q.metric);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Adds a filter, replacing one on the same dimension. */
export function withFilter(q: DashboardQuery, filter: Filter): DashboardQuery {
  return { ...q, filters: [...q.filters.filter((f) => f.dimension !== filter.dimension), filter] };
}

export function withoutFilter(q: DashboardQuery, dimension: string): DashboardQuery {
  return { ...q, filters: q.filters.filter((f) => f.dimension !== dimension) };
}

/** The intervals that make sense for a period, the default first. */
export function intervalsFor(q: Pick<DashboardQuery, 'period' | 'date'>): Interval[] {
  switch (q.period) {
    case 'day':
      return ['hour'];
    case '7d':
      return ['date', 'hour'];
    case '30d':
    case 'month':
      return ['date', 'week'];
    case '6mo':
    case '12mo':
      return ['month', 'week', 'date'];
    case 'custom': {
      const [from, to] = (q.date ?? '').split(',');
      const days = from && to ? (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 : 30;
      if (days <= 1) return ['hour'];
      if (days <= 7) return ['date', 'hour'];
      if (days <= 92) return ['date', 'week'];
      return ['month', 'week', 'date'];
    }
  }
}

export function effectiveInterval(q: DashboardQuery): Interval {
  const allowed = intervalsFor(q);
  return q.interval && allowed.includes(q.interval) ? q.interval : allowed[0]!;
}

/** The Stats API parameters shared by every report: site, period, date, filters. */
export function baseParams(q: DashboardQuery, siteId: string): Record<string, string> {
  const p: Record<string, string> = { site_id: siteId, period: q.period };
  if (q.date) p.date = q.date;
  if (q.filters.length) p.filters = formatFilters(q.filters);
  return p;
}
