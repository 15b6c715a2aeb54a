/**
 * The whole dashboard in one call and a handful of queries: top stats with
 * their comparison (one query per metric family, both periods at once), the
 * main chart, every breakdown card of the event family in one query and
 * entry/exit pages in another (`dims` groupings), and the goals card.
 * The same numbers as the separate Stats API reports, for ~6 queries
 * instead of ~30. Served as GET /api/v1/stats/dashboard (a Sightline
 * extension of the v1 API).
 */
import type { Db } from '../client';
import {
  buildEventQuery,
  buildVisitLiveTogether,
  buildVisitQuery,
  type BuildOptions,
  type BuiltQuery,
  type EventMetric,
  type Grouping,
  type Scope,
  type VisitMetric,
} from './builder';
import { cardMetrics, EVENT_CARDS, VISIT_CARDS } from './dashboard-cards';
import { change, conversionRate } from './metrics';
import { buckets, previousPeriod, utcBounds } from './period';
import { propertyDef, PROPS_PREFIX } from './properties';
import { breakdown, type ReportOptions } from './reports';
import { buildOptions } from './rollups';
import { reportScope, runBuilt, runBuiltTogether } from './settled';
import type { AggregateValue, BreakdownRow, DateRange, Filter, Interval, Metric, TimeseriesRow } from './types';

export interface DashboardQuery {
  site: string;
  timezone: string;
  range: DateRange;
  filters: Filter[];
  interval: Interval;
  compare?: boolean;
  /** Rows per card (default 10). */
  limit?: number;
}

export interface DashboardResult {
  top_stats: Partial<Record<Metric, AggregateValue>>;
  timeseries: TimeseriesRow[];
  /** By property (`event:page`, `visit:source`, …), rows as the breakdown endpoint returns them. */
  breakdowns: Record<string, BreakdownRow[]>;
}


type Row = Record<string, string | number | undefined>;
const num = (v: string | number | undefined) => (v === undefined ? 0 : Number(v));

export const dashboard = reportScope(async function dashboard(db: Db, q: DashboardQuery, opts: ReportOptions = {}): Promise<DashboardResult> {
  const rollups = opts.rollups ?? true;
  const eventOnly = q.filters.some((f) => propertyDef(f.property)?.eventOnly);
  const goalFilter = q.filters.some((f) => f.property === 'event:goal');
  const pageFilter = q.filters.some((f) => f.property === 'event:page');
  const bo: BuildOptions = await buildOptions(db, rollups, opts.now);
  const run = (b: ReturnType<typeof buildEventQuery>) => {
    opts.trace?.(b);
    return runBuilt<Row>(db, b);
  };

  // Top stats: Plausible's set; with a goal or other event-only filter, conversions instead of visit metrics.
  const eventTop: EventMetric[] = eventOnly ? ['visitors', 'events'] : ['visitors', 'pageviews'];
  const visitTop: VisitMetric[] = eventOnly ? [] : ['visits', 'bounce_rate', 'visit_duration', ...(pageFilter ? [] : (['views_per_visit'] as VisitMetric[]))];
  const topMetrics: Metric[] = [...eventTop, ...visitTop, ...(goalFilter ? (['conversion_rate'] as Metric[]) : [])];
  const prev = previousPeriod(q.range);
  const periods = [
    ...(q.compare ? [{ label: 'prev', ...utcBounds(prev, q.timezone) }] : []),
    { label: 'cur', ...utcBounds(q.range, q.timezone) },
  ].map((b) => ({ label: b.label, startMs: b.fromMs, endMs: b.toMs }));
  const topScope: Scope = { site: q.site, timezone: q.timezone, fromMs: periods[0]!.startMs, toMs: periods[periods.length - 1]!.endMs, filters: q.filters };
  const byPeriod: Grouping = { kind: 'bucket', interval: 'ranges', buckets: periods };
  const withoutGoals = q.filters.filter((f) => f.property !== 'event:goal' && !f.property.startsWith(PROPS_PREFIX));

  const scope: Scope = { site: q.site, timezone: q.timezone, ...utcBounds(q.range, q.timezone), filters: q.filters };
  const chartBuckets = buckets(q.range, q.interval, q.timezone);
  const limit = q.limit ?? 10;

  // The two visit queries read their live part (the newest visits) in one query when they can.
  const visitCards: Grouping = { kind: 'dims', properties: VISIT_CARDS, orderBy: 'm_visitors', limit };
  const vTopQ = visitTop.length ? buildVisitQuery(topScope, byPeriod, visitTop, bo) : null;
  const vCardsQ = eventOnly ? null : buildVisitQuery(scope, visitCards, ['visitors', 'visits'], bo);
  let together: Promise<Row[][]> | null = null;
  const shared = vTopQ && vCardsQ && buildVisitLiveTogether({ scope: topScope, g: byPeriod }, { scope, g: visitCards }, bo);
  if (shared && vTopQ && vCardsQ) {
    opts.trace?.(vTopQ);
    opts.trace?.(vCardsQ);
    together = runBuiltTogether<Row>(db, [vTopQ, vCardsQ], shared);
  }
  const visits = (q: BuiltQuery | null, i: number): Promise<Row[]> => (together ? together.then((r) => r[i]!) : q ? run(q) : Promise.resolve([]));

  const eTopP = run(buildEventQuery(topScope, byPeriod, eventTop, bo));
  const totalsP = goalFilter ? run(buildEventQuery({ ...topScope, filters: withoutGoals }, byPeriod, ['visitors'], bo)) : Promise.resolve([]);
  // The goals card's conversion rate divides by the period's visitors without goal or props
  // filters: the top stats (or their goal-less totals) already have that number.
  const wholeFrom = goalFilter ? totalsP : withoutGoals.length === q.filters.length ? eTopP : null;
  const wholeVisitors = wholeFrom ? wholeFrom.then((rows) => num(rows.find((r) => r.bucket === 'cur')?.m_visitors)) : Promise.resolve(undefined);
  const [eTop, vTop, totals, chart, eCards, vCards, goals] = await Promise.all([
    eTopP,
    visits(vTopQ, 0),
    totalsP,
    run(buildEventQuery(scope, { kind: 'bucket', interval: q.interval, buckets: chartBuckets }, ['visitors'], bo)),
    run(buildEventQuery(scope, { kind: 'dims', properties: EVENT_CARDS, orderBy: 'm_visitors', limit }, ['visitors', 'pageviews', 'events'], bo)),
    visits(vCardsQ, 1),
    wholeVisitors.then((whole) =>
      breakdown(db, { site: q.site, timezone: q.timezone, range: q.range, filters: q.filters, dimension: 'event:goal', metrics: ['visitors', 'events', 'conversion_rate'], limit }, { ...opts, rollups, wholeVisitors: whole }),
    ),
  ]);

  const at = (rows: Row[], label: string) => rows.find((r) => r.bucket === label);
  const value = (label: string, m: Metric): number => {
    if (m === 'conversion_rate') return conversionRate(num(at(eTop, label)?.m_visitors), num(at(totals, label)?.m_visitors));
    const row = visitTop.includes(m as VisitMetric) ? at(vTop, label) : at(eTop, label);
    const v = num(row?.[`m_${m}`]);
    return m === 'views_per_visit' ? v / 100 : v;
  };
  const top_stats: Partial<Record<Metric, AggregateValue>> = {};
  for (const m of topMetrics) {
    const cur = value('cur', m);
    top_stats[m] = q.compare ? { value: cur, comparison_value: value('prev', m), change: change(m, value('prev', m), cur) } : { value: cur };
  }

  const chartRows = new Map(chart.map((r) => [String(r.bucket), r]));
  const timeseries = chartBuckets.map((b) => ({ date: b.label, visitors: num(chartRows.get(b.label)?.m_visitors) }));

  const breakdowns: Record<string, BreakdownRow[]> = {};
  const cards = (properties: string[], rows: Row[]) => {
    for (const property of properties) breakdowns[property] = [];
    for (const r of rows) {
      const property = properties[num(r.d_dim)]!;
      const out: BreakdownRow = { [propertyDef(property)!.key]: String(r.d_value) };
      for (const m of cardMetrics(property)!) out[m] = num(r[`m_${m}`]);
      breakdowns[property]!.push(out);
    }
  };
  cards(EVENT_CARDS, eCards);
  // With an event-only filter the visit cards are not read: absent, not empty.
  if (vCardsQ) cards(VISIT_CARDS, vCards);
  breakdowns['event:goal'] = goals.results;
  return { top_stats, timeseries, breakdowns };
});
