/**
 * The reports of the Stats API v1 — aggregate, timeseries, breakdown and
 * realtime visitors — on top of the query builder. Each report splits its
 * metrics into event and visit metrics, runs one query per family (plus the
 * conversion-rate denominator), and assembles Plausible's JSON shapes.
 * Used by the HTTP routes, and by the dashboard and live view in-process.
 */
import type { Db } from '../client';
import { goalsForStats } from '../goals';
import {
  buildEventQuery,
  buildRealtimeQuery,
  buildVisitQuery,
  rowKey,
  type BuildOptions,
  type BuiltQuery,
  type EventMetric,
  type GoalDef,
  type Grouping,
  type Scope,
  type VisitMetric,
} from './builder';
import { wildcardToRegex } from './filters';
import { change, conversionRate, SESSION_METRICS, validateMetrics } from './metrics';
import { buckets, previousPeriod, utcBounds } from './period';
import { propertyDef, PROPS_PREFIX, type PropertyDef } from './properties';
import { buildOptions } from './rollups';
import { reportScope, runBuilt } from './settled';
import {
  StatsInputError,
  type AggregateResult,
  type AggregateValue,
  type BreakdownResult,
  type BreakdownRow,
  type DateRange,
  type Filter,
  type Metric,
  type QueryOptions,
  type StatsQuery,
  type TimeseriesResult,
  type TimeseriesRow,
} from './types';

export interface ReportOptions extends QueryOptions {
  /** Called with every query a report runs (tests, benchmark). */
  trace?: (query: BuiltQuery) => void;
  /** The site's goals; loaded from the `goals` table when a query needs them and they are not given. */
  goals?: GoalDef[];
  /**
   * The visitors of the whole range with the query's filters other than goals
   * and props (the denominator of a goal or props breakdown's conversion
   * rate), when the caller already has it (the dashboard's top stats).
   */
  wholeVisitors?: number;
}

const GOALS_DOC = 'Find out how to configure goals here: https://plausible.io/docs/stats-api#filtering-by-goals';

/** The site's goals when the query names goals; rejects a goal filter on a goal the site does not have. */
async function goalsFor(db: Db, q: StatsQuery, opts: ReportOptions): Promise<GoalDef[]> {
  const goalFilters = q.filters.filter((f) => f.property === 'event:goal');
  if (q.dimension !== 'event:goal' && goalFilters.length === 0) return [];
  const goals = opts.goals ?? (await goalsForStats(db, q.site));
  const names = new Set(goals.map((g) => g.name));
  for (const f of goalFilters) {
    for (const v of f.values) {
      if (v.includes('*') || names.has(v)) continue;
      const what = v.startsWith('Visit ') ? `The pageview goal for the pathname \`${v.slice(6)}\`` : `The goal \`${v}\``;
      throw new StatsInputError(`${what} is not configured for this site. ${GOALS_DOC}`);
    }
  }
  return goals;
}

export interface AggregateOptions extends ReportOptions {
  compare?: 'previous_period';
}

type Row = Record<string, string | number | undefined> & { d_value?: string; d_parent?: string; bucket?: string };

const DEFAULT_LIMIT = 100;

async function run(db: Db, q: BuiltQuery, opts: ReportOptions): Promise<Row[]> {
  opts.trace?.(q);
  return runBuilt<Row>(db, q);
}

interface Plan {
  event: EventMetric[];
  visit: VisitMetric[];
  conversionRate: boolean;
}

function plan(metrics: Metric[], def: PropertyDef | null): Plan {
  const event = new Set<EventMetric>();
  const visit = new Set<VisitMetric>();
  let cr = false;
  for (const m of metrics) {
    if (m === 'conversion_rate') {
      cr = true;
      event.add('visitors');
    } else if (SESSION_METRICS.has(m)) visit.add(m as VisitMetric);
    else if (def?.scope === 'session') visit.add(m as VisitMetric);
    else event.add(m as EventMetric);
  }
  return { event: [...event], visit: [...visit], conversionRate: cr };
}

/** Filters for the conversion-rate denominator: all visitors, whatever goal or prop. */
const withoutGoals = (filters: Filter[]) => filters.filter((f) => f.property !== 'event:goal' && !f.property.startsWith(PROPS_PREFIX));

function scopeOf(q: StatsQuery, range: DateRange, filters = q.filters): Scope {
  const { fromMs, toMs } = utcBounds(range, q.timezone);
  return { site: q.site, timezone: q.timezone, fromMs, toMs, filters };
}

const num = (v: string | number | undefined) => (v === undefined ? 0 : Number(v));

/** A metric from a row of the builder's output. */
function metricValue(row: Row | undefined, m: Metric): number {
  if (!row) return 0;
  const v = num(row[`m_${m}`]);
  return m === 'views_per_visit' ? v / 100 : v;
}

// ---------------------------------------------------------------------------

export const aggregate = reportScope(async function aggregate(db: Db, q: StatsQuery, opts: AggregateOptions = {}): Promise<AggregateResult> {
  const metrics = validateMetrics(q.metrics, undefined, q.filters);
  const p = plan(metrics, null);
  const [bo] = await Promise.all([buildOptions(db, opts.rollups ?? true, opts.now), goalsFor(db, q, opts)]);
  const [current, previous] = await Promise.all([
    aggregateValues(db, q, q.range, metrics, p, bo, opts),
    opts.compare === 'previous_period' ? aggregateValues(db, q, previousPeriod(q.range), metrics, p, bo, opts) : null,
  ]);
  const results: Partial<Record<Metric, AggregateValue>> = {};
  for (const m of metrics) {
    results[m] = previous
      ? { value: current[m], comparison_value: previous[m], change: change(m, previous[m], current[m]) }
      : { value: current[m] };
  }
  return { results };
});

async function aggregateValues(
  db: Db,
  q: StatsQuery,
  range: DateRange,
  metrics: Metric[],
  p: Plan,
  bo: BuildOptions,
  opts: ReportOptions,
): Promise<Record<Metric, number>> {
  const scope = scopeOf(q, range);
  const total: Grouping = { kind: 'total' };
  const [e, v, t] = await Promise.all([
    p.event.length ? run(db, buildEventQuery(scope, total, p.event, bo), opts) : [],
    p.visit.length ? run(db, buildVisitQuery(scope, total, p.visit, bo), opts) : [],
    p.conversionRate ? run(db, buildEventQuery(scopeOf(q, range, withoutGoals(q.filters)), total, ['visitors'], bo), opts) : [],
  ]);
  const out = {} as Record<Metric, number>;
  for (const m of metrics) {
    if (m === 'conversion_rate') out[m] = conversionRate(metricValue(e[0], 'visitors'), metricValue(t[0], 'visitors'));
    else out[m] = metricValue(p.visit.includes(m as VisitMetric) ? v[0] : e[0], m);
  }
  return out;
}

// ---------------------------------------------------------------------------

export const timeseries = reportScope(async function timeseries(db: Db, q: StatsQuery, opts: ReportOptions = {}): Promise<TimeseriesResult> {
  const metrics = validateMetrics(q.metrics, undefined, q.filters);
  const p = plan(metrics, null);
  const [bo] = await Promise.all([buildOptions(db, opts.rollups ?? true, opts.now), goalsFor(db, q, opts)]);
  const interval = q.interval ?? 'date';
  const list = buckets(q.range, interval, q.timezone);
  const g: Grouping = { kind: 'bucket', interval, buckets: list };
  const scope = scopeOf(q, q.range);
  const [e, v, t] = await Promise.all([
    p.event.length ? run(db, buildEventQuery(scope, g, p.event, bo), opts) : [],
    p.visit.length ? run(db, buildVisitQuery(scope, g, p.visit, bo), opts) : [],
    p.conversionRate ? run(db, buildEventQuery(scopeOf(q, q.range, withoutGoals(q.filters)), g, ['visitors'], bo), opts) : [],
  ]);
  const byBucket = (rows: Row[]) => new Map(rows.map((r) => [String(r.bucket), r]));
  const [eb, vb, tb] = [byBucket(e), byBucket(v), byBucket(t)];
  const results: TimeseriesRow[] = list.map((b) => {
    const row: TimeseriesRow = { date: b.label };
    for (const m of metrics) {
      if (m === 'conversion_rate') row[m] = conversionRate(metricValue(eb.get(b.label), 'visitors'), metricValue(tb.get(b.label), 'visitors'));
      else row[m] = metricValue((p.visit.includes(m as VisitMetric) ? vb : eb).get(b.label), m);
    }
    return row;
  });
  return { results };
});

// ---------------------------------------------------------------------------

export const breakdown = reportScope(async function breakdown(db: Db, q: StatsQuery, opts: ReportOptions = {}): Promise<BreakdownResult> {
  if (!q.dimension) {
    throw new StatsInputError('The `property` parameter is required. Please provide at least one property to show a breakdown by.');
  }
  const def = propertyDef(q.dimension);
  if (!def) {
    throw new StatsInputError(
      `Invalid property '${q.dimension}'. Please provide a valid property for the breakdown endpoint: https://plausible.io/docs/stats-api#properties`,
    );
  }
  const metrics = validateMetrics(q.metrics, q.dimension, q.filters);
  const p = plan(metrics, def);
  const [bo, allGoals] = await Promise.all([buildOptions(db, opts.rollups ?? true, opts.now), goalsFor(db, q, opts)]);
  // A goal breakdown lists the configured goals the goal filters let through.
  const goals = def.scope === 'goal' ? allGoals.filter((g) => q.filters.every((f) => f.property !== 'event:goal' || goalPasses(g.name, f))) : undefined;
  if (goals && goals.length === 0) return { results: [] };
  const limit = q.limit ?? DEFAULT_LIMIT;
  const offset = ((q.page ?? 1) - 1) * limit;
  const scope = scopeOf(q, q.range);
  const totalsScope = scopeOf(q, q.range, withoutGoals(q.filters));
  const globalRate = def.scope === 'goal' || def.scope === 'props';
  const dim = (extra: Partial<Extract<Grouping, { kind: 'dim' }>> = {}): Grouping => ({ kind: 'dim', property: def.property, goals, ...extra });
  const first = metrics[0]!;

  let eventRows: Row[] | null = null;
  let visitRows: Row[] | null = null;
  let keys: string[];
  let rateOf: (key: string) => number = () => 0;

  if (first === 'conversion_rate' && !globalRate) {
    // The rate's denominator differs per row, so sort and page here.
    const all = await run(db, buildEventQuery(scope, dim(), p.event, bo), opts);
    const totals = await groupTotals(db, totalsScope, dim, all.map(rowKey), bo, opts);
    rateOf = (k) => conversionRate(metricValue(all.find((r) => rowKey(r) === k), 'visitors'), totals.get(k) ?? 0);
    const rated = all.map((r) => ({ r, rate: rateOf(rowKey(r)) }));
    rated.sort((a, b) => b.rate - a.rate || cmp(a.r.d_parent, b.r.d_parent) || cmp(a.r.d_value, b.r.d_value));
    eventRows = rated.slice(offset, offset + limit).map((x) => x.r);
    keys = eventRows.map(rowKey);
  } else {
    const visitFirst = p.visit.includes(first as VisitMetric);
    const orderBy = first === 'conversion_rate' ? 'm_visitors' : `m_${first}`;
    const page = dim({ orderBy, limit, offset });
    if (visitFirst) visitRows = await run(db, buildVisitQuery(scope, page, p.visit, bo), opts);
    else eventRows = await run(db, buildEventQuery(scope, page, p.event, bo), opts);
    keys = (visitRows ?? eventRows ?? []).map(rowKey);
  }

  if (keys.length) {
    const restricted = dim({ keys });
    const [e, v, rates] = await Promise.all([
      !eventRows && p.event.length ? run(db, buildEventQuery(scope, restricted, p.event, bo), opts) : eventRows,
      !visitRows && p.visit.length ? run(db, buildVisitQuery(scope, restricted, p.visit, bo), opts) : visitRows,
      p.conversionRate && !(first === 'conversion_rate' && !globalRate)
        ? globalRate
          ? (opts.wholeVisitors !== undefined
              ? Promise.resolve(opts.wholeVisitors)
              : run(db, buildEventQuery(totalsScope, { kind: 'total' }, ['visitors'], bo), opts).then((rows) => metricValue(rows[0], 'visitors'))
            ).then((whole) => (k: string, part: number) => conversionRate(part, whole))
          : groupTotals(db, totalsScope, dim, keys, bo, opts).then((t) => (k: string, part: number) => conversionRate(part, t.get(k) ?? 0))
        : null,
    ]);
    eventRows = e;
    visitRows = v;
    if (rates) rateOf = (k) => rates(k, metricValue(eventRows?.find((r) => rowKey(r) === k), 'visitors'));
  }

  const eIndex = new Map((eventRows ?? []).map((r) => [rowKey(r), r]));
  const vIndex = new Map((visitRows ?? []).map((r) => [rowKey(r), r]));
  const results: BreakdownRow[] = keys.map((k) => {
    const source = eIndex.get(k) ?? vIndex.get(k)!;
    const row: BreakdownRow = {};
    if (source.d_parent !== undefined && def.parent) row[def.parent.key] = source.d_parent;
    row[def.key] = source.d_value ?? '';
    for (const m of metrics) {
      if (m === 'conversion_rate') row[m] = rateOf(k);
      else row[m] = metricValue((p.visit.includes(m as VisitMetric) ? vIndex : eIndex).get(k), m);
    }
    return row;
  });
  return { results };
});

function goalPasses(name: string, f: Filter): boolean {
  const hit = f.values.some((v) => v === name || (v.includes('*') && new RegExp(wildcardToRegex(v)).test(name)));
  return f.op === 'is_not' ? !hit : hit;
}

async function groupTotals(
  db: Db,
  scope: Scope,
  dim: (extra?: Partial<Extract<Grouping, { kind: 'dim' }>>) => Grouping,
  keys: string[],
  bo: BuildOptions,
  opts: ReportOptions,
): Promise<Map<string, number>> {
  if (!keys.length) return new Map();
  const rows = await run(db, buildEventQuery(scope, dim({ keys }), ['visitors'], bo), opts);
  return new Map(rows.map((r) => [rowKey(r), metricValue(r, 'visitors')]));
}

/** Byte order, as ClickHouse sorts strings (the same as code units for ASCII). */
function cmp(a: string | undefined, b: string | undefined): number {
  const x = Buffer.from(a ?? '');
  const y = Buffer.from(b ?? '');
  return Buffer.compare(x, y);
}

// ---------------------------------------------------------------------------

/** Unique visitors in the last 5 minutes. */
export async function realtimeVisitors(db: Db, site: string, opts: ReportOptions = {}): Promise<number> {
  const rows = await run(db, buildRealtimeQuery(site, (opts.now ?? new Date()).getTime()), opts);
  return metricValue(rows[0], 'visitors');
}
