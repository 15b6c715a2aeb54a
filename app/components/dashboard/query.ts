/**
 * The dashboard's state as it lives in the URL (bookmarkable, restored on
 * reload): period, date or range, filters, comparison, interval and the
 * metric drawn in the main chart. Filters use the Stats API's own syntax
 * (`visit:source==Google;event:page==/blog/**`), so the URL reads the same
 * as an API call. Which metric may go with which filter or breakdown is
 * decided by the Stats API's own rules (db/stats/metrics.ts), not re-stated.
 */
import { parseFilters as parseApiFilters } from '@/db/stats/filters';
import { validateMetrics } from '@/db/stats/metrics';
import { propertyDef } from '@/db/stats/properties';
import { PERIODS, type Interval, type Metric, type Period } from '@/db/stats/types';

export type FilterOp = '==' | '!=';

/** One filter as the dashboard shows it; `value` is unescaped (a literal `|` is just `|`). */
export interface DashboardFilter {
  /** `visit:source`, `event:page`, `event:props:plan`, `event:goal`... */
  dimension: string;
  op: FilterOp;
  value: string;
}

export interface DashboardQuery {
  period: Period;
  /** For day/month: a day in that period (YYYY-MM-DD); for custom: "from,to". Absent: the current period. */
  date?: string;
  filters: DashboardFilter[];
  compare: boolean;
  /** Absent: the default for the period. */
  interval?: Interval;
  /** The metric drawn in the main chart. */
  metric: Metric;
}

const GRAPHABLE: readonly Metric[] = ['visitors', 'pageviews', 'visits', 'bounce_rate', 'visit_duration', 'events', 'conversion_rate'];
const INTERVALS: readonly Interval[] = ['hour', 'date', 'month'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PARAMS = ['period', 'date', 'filters', 'compare', 'interval', 'metric'];

export const DEFAULT_QUERY: DashboardQuery = { period: '30d', filters: [], compare: true, metric: 'visitors' };

const escapeValue = (v: string) => v.replace(/\|/g, '\\|');

export function formatFilters(filters: readonly DashboardFilter[]): string {
  return filters.map((f) => `${f.dimension}${f.op}${escapeValue(f.value)}`).join(';');
}

/** Filters from the URL; ones the Stats API would refuse (unknown property, bad value) are dropped. */
export function parseFilters(text: string | null | undefined): DashboardFilter[] {
  if (!text) return [];
  const filters: DashboardFilter[] = [];
  for (const part of text.split(';')) {
    const m = /^([a-z_]+:[^=!]+?)(==|!=)(.+)$/s.exec(part.trim());
    if (!m || filters.some((f) => f.dimension === m[1])) continue;
    try {
      parseApiFilters(part);
    } catch {
      continue;
    }
    filters.push({ dimension: m[1]!, op: m[2] as FilterOp, value: m[3]!.replace(/\\\|/g, '|') });
  }
  return filters;
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
    metric: pick(params.get('metric'), GRAPHABLE) ?? DEFAULT_QUERY.metric,
  };
}

/** Only non-default values go into the URL, so links stay short. Other parameters (the share token `auth`) are kept. */
export function queryToSearch(q: DashboardQuery, base?: URLSearchParams): string {
  const params = new URLSearchParams();
  base?.forEach((v, k) => {
    if (!PARAMS.includes(k)) params.set(k, v);
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
export function withFilter(q: DashboardQuery, filter: DashboardFilter): DashboardQuery {
  return { ...q, filters: [...q.filters.filter((f) => f.dimension !== filter.dimension), filter] };
}

export function withoutFilter(q: DashboardQuery, dimension: string): DashboardQuery {
  return { ...q, filters: q.filters.filter((f) => f.dimension !== dimension) };
}

/** The metrics the Stats API accepts with these filters (and breakdown property), in the given order. */
export function usableMetrics(metrics: readonly Metric[], filters: readonly DashboardFilter[], property?: string): Metric[] {
  const parsed = filters.length ? parseApiFilters(formatFilters(filters)) : [];
  return metrics.filter((m) => {
    try {
      validateMetrics([m], property, parsed);
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether a filter narrows the data to events (goals, custom events, props): visit metrics no longer apply. */
export function hasEventFilter(filters: readonly DashboardFilter[]): boolean {
  return filters.some((f) => propertyDef(f.dimension)?.eventOnly);
}

export function isGraphable(metric: Metric): boolean {
  return GRAPHABLE.includes(metric);
}

/** The metric drawn in the chart: the chosen one if the filters allow it, else visitors. */
export function graphMetric(q: DashboardQuery): Metric {
  return usableMetrics([q.metric], q.filters).length ? q.metric : 'visitors';
}

function customDays(date: string | undefined): number {
  const [from, to] = (date ?? '').split(',');
  return from && to ? (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 : 30;
}

/** The intervals the Stats API offers for a period, the default first (hours only for a single day). */
export function intervalsFor(q: Pick<DashboardQuery, 'period' | 'date'>): Interval[] {
  switch (q.period) {
    case 'day':
      return ['hour'];
    case '7d':
    case '30d':
    case 'month':
      return ['date'];
    case '6mo':
    case '12mo':
      return ['month', 'date'];
    case 'custom':
      return customDays(q.date) > 92 ? ['month', 'date'] : ['date', 'month'];
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
