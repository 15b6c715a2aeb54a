/**
 * The one query builder: (metrics, grouping, filters, time range, time zone)
 * → SQL + bound parameters. Two families of metrics, each read from the
 * cheapest source that can answer:
 *
 *  - event metrics (visitors, pageviews, events) from `events`, or from the
 *    `stats_hourly/daily/weekly/monthly` rollups when the query has no
 *    filters other than on the grouped dimension — closed days from the
 *    `stats_closed_*` counts, the rest from the sketches;
 *  - visit metrics (visits, bounce_rate, visit_duration, views_per_visit,
 *    and visitors/pageviews of entry/exit pages) from `sessions` merged by
 *    session_id, or from the visit rollups (`visit_stats_closed_*` for closed
 *    days, `visit_stats_*` after them) for visits that started before their
 *    last refresh, merged with `sessions` for the visits after it.
 *
 * Output columns: `bucket` (timeseries), `d_value` and `d_parent`
 * (breakdown), and `m_<metric>` (64-bit integers come back as strings).
 * Aliases never equal a column name: ClickHouse would resolve the alias in
 * WHERE instead of the column.
 */
import { filtersOn, wildcardToRegex } from './filters';
import { chTime, type Bucket } from './period';
import { propertyDef, type PropertyDef } from './properties';
import { compare, goalCondition, labelled, literal, propsCondition, requireDef, splitGoals, SqlParams } from './sql';
import { LEVELS, throughToday, tileSplit, type Level, type Runs, type SplitTiling } from './tiles';
import type { Filter, Interval } from './types';

/** The visitors sketch: one function everywhere, so rollups and raw tables agree. */
export const UNIQ = 'uniqCombined(12)';
const UNIQ_MERGE = UNIQ.replace('(', 'Merge(');

/**
 * What the visitors sketches count: a visitor within one UTC day (for visits,
 * the day the visit started). Visitor ids are salted per day, so visitors over
 * a range are the sum of each day's visitors, as in Plausible; keyed this way
 * every merge counts that sum, and closed days can be stored as plain counts
 * (db/migrations/0030_daily_visitors.sql).
 */
const EVENT_VISITOR_KEY = 'sipHash64(visitor_id, toDate(timestamp))';
const VISIT_VISITOR_KEY = 'sipHash64(s_visitor, toDate(s_start))';

export type EventMetric = 'visitors' | 'pageviews' | 'events';
export type VisitMetric = 'visits' | 'bounce_rate' | 'visit_duration' | 'views_per_visit' | 'visitors' | 'pageviews';

export interface Scope {
  site: string;
  timezone: string;
  /** [fromMs, toMs) in UTC. */
  fromMs: number;
  toMs: number;
  filters: Filter[];
}

export type Grouping =
  | { kind: 'total' }
  /** `ranges`: arbitrary consecutive buckets (the period and the one before it, for comparisons). */
  | { kind: 'bucket'; interval: Interval | 'ranges'; buckets: Bucket[] }
  | {
      kind: 'dim';
      property: string;
      /** Only these rows (keys from `rowKey`). */
      keys?: string[];
      /** For `event:goal`: the site's configured goals (otherwise every custom event name is one). */
      goals?: GoalDef[];
      /** Sort by this output column desc, then by the dimension asc; then paginate. */
      orderBy?: string;
      limit?: number;
      offset?: number;
    }
  /**
   * Several breakdowns in one query (the dashboard's cards): rows carry
   * `d_dim`, the index of their property, and each property keeps its top
   * `limit` rows by `orderBy`. Plain properties only (no versions, goals or props).
   */
  | { kind: 'dims'; properties: string[]; orderBy: string; limit: number };

export interface GoalDef {
  name: string;
  kind: 'event' | 'page';
  event_name: string;
  page_path: string;
}

export interface BuiltQuery {
  sql: string;
  params: Record<string, unknown>;
  /** Which tables answered, for tests and the benchmark. */
  source: 'raw' | 'rollup' | 'rollup+raw';
  /**
   * The same query in two parts, for settled.ts: `sql` sums the settled part
   * (days and visits that can no longer change) per group, whose result is
   * kept; `live` sums the rest per group (null: nothing after the settled
   * part); `finish` is what the outer query does with the two.
   */
  settled?: { sql: string; live: string | null; finish: Finish };
  /** The same query under other rollup marks: settled.ts reads its settled part before the marks it serves move. */
  rebuild?: (opts: BuildOptions) => BuiltQuery;
}

/** The outer query of a two-part query, done in JS (settled.ts): sum per group, finals, filter, order, limit. */
export interface Finish {
  /** Grouping columns (`bucket`, `d_dim`, `d_value`, `d_parent`). */
  groups: string[];
  /** The summed `f_` columns. */
  finals: string[];
  /** Output metrics, each `m_<name>` from `FINALS_JS[name]`. */
  metrics: string[];
  /** Only rows whose `d_value` is one of these. */
  keys?: string[];
  /** Order by `m_<by>` desc, then `d_parent` and `d_value` asc; `limitBy`: per `d_dim`; else `limit`/`offset`. */
  order?: { by: string; parent: boolean; limitBy?: number; limit?: number; offset?: number };
}

/**
 * The outer metrics over summed `f_` columns, as the SQL finals compute them
 * (round half up). Counts stay far below 2^53, so doubles are exact.
 */
const div = (a: number, b: number) => (b === 0 ? 0 : Math.floor(a / b));
export const FINALS_JS: Record<string, (f: (column: string) => number) => number> = {
  visitors: (f) => f('f_visitors'),
  pageviews: (f) => f('f_pageviews'),
  events: (f) => f('f_events'),
  visits: (f) => f('f_visits'),
  bounce_rate: (f) => div(200 * f('f_bounces') + f('f_bounce_base'), 2 * f('f_bounce_base')),
  visit_duration: (f) => div(2 * f('f_duration') + 1000 * f('f_visits'), 2000 * f('f_visits')),
  views_per_visit: (f) => div(200 * f('f_pageviews') + f('f_visits'), 2 * f('f_visits')),
};

/** What `orderLimit` and a goals HAVING do, for `Finish`. */
function finishOf(g: Grouping, metrics: string[], hasParent: boolean, keys?: string[]): Omit<Finish, 'groups' | 'finals'> {
  const out: Omit<Finish, 'groups' | 'finals'> = { metrics, keys };
  if (g.kind === 'dims') out.order = { by: g.orderBy.slice(2), parent: false, limitBy: g.limit };
  else if (g.kind === 'dim' && g.orderBy) out.order = { by: g.orderBy.slice(2), parent: hasParent, limit: g.limit, offset: g.offset ?? 0 };
  return out;
}

export interface BuildOptions {
  rollups: boolean;
  /**
   * Per level of the visit rollup (visit_stats_hourly/daily/monthly): every
   * visit that started before this instant (epoch ms) is in it. 0: nothing.
   */
  visitMarks?: Record<Level, number>;
  /**
   * Epoch ms of the UTC midnight before which every day is in the closed-day
   * tables, for events (stats_closed_*) and for visits (visit_stats_closed_*). 0: none.
   */
  closed?: { events: number; visits: number };
  /** The current time (epoch ms): nothing is stored after it. */
  nowMs?: number;
}

/** Separates parent and value in a row key (browser + version). */
export const KEY_SEPARATOR = '\u001f';

export function rowKey(row: { d_value?: string; d_parent?: string }): string {
  const value = row.d_value ?? '';
  return row.d_parent === undefined ? value : `${row.d_parent}${KEY_SEPARATOR}${value}`;
}

// ---------------------------------------------------------------------------
// Shared pieces

function dimDef(g: Grouping): PropertyDef | null {
  return g.kind === 'dim' ? requireDef(g.property) : null;
}

function bucketExpr(p: SqlParams, g: Extract<Grouping, { kind: 'bucket' }>, ts: string, tz: string): string {
  const interval = g.interval;
  if (interval === 'ranges') {
    const sorted = [...g.buckets].sort((a, b) => a.startMs - b.startMs);
    const branches = sorted.slice(1).map((b, i) => `${ts} < ${p.bind(chTime(b.startMs), "DateTime64(3, 'UTC')")}, ${p.bind(sorted[i]!.label, 'String')}`);
    const last = p.bind(sorted[sorted.length - 1]!.label, 'String');
    return branches.length ? `multiIf(${branches.join(', ')}, ${last})` : last;
  }
  const z = p.bind(tz, 'String');
  if (interval === 'hour') return `formatDateTime(toStartOfHour(${ts}, ${z}), '%Y-%m-%d %H:00:00')`;
  if (interval === 'date') return `toString(toDate(${ts}, ${z}))`;
  return `toString(toStartOfMonth(${ts}, ${z}))`;
}

function keyExpr(def: PropertyDef, value: string, parent?: string): string {
  return parent ? `concat(${parent}, '\\x1F', ${value})` : value;
}

function orderLimit(p: SqlParams, g: Grouping, hasParent: boolean): string {
  if (g.kind === 'dims') return `ORDER BY d_dim, ${g.orderBy} DESC, d_value ASC LIMIT ${p.bind(g.limit, 'UInt32')} BY d_dim`;
  if (g.kind !== 'dim' || !g.orderBy) return '';
  const order = `ORDER BY ${g.orderBy} DESC${hasParent ? ', d_parent ASC' : ''}, d_value ASC`;
  const limit = g.limit !== undefined ? ` LIMIT ${p.bind(g.limit, 'UInt32')} OFFSET ${p.bind(g.offset ?? 0, 'UInt32')}` : '';
  return order + limit;
}

const and = (parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' AND ');

function groupColumns(g: Grouping, def: PropertyDef | null, hasParent: boolean): string {
  if (g.kind === 'bucket') return 'bucket';
  if (g.kind === 'dims') return 'd_dim, d_value';
  return def ? (hasParent ? 'd_value, d_parent' : 'd_value') : '';
}

/** The properties of a `dims` grouping; each must be a plain event or visit property. */
function dimsDefs(g: Extract<Grouping, { kind: 'dims' }>): PropertyDef[] {
  return g.properties.map((property) => {
    const def = requireDef(property);
    if (def.parent || def.scope === 'goal' || def.scope === 'props') throw new Error(`${property} cannot be batched`);
    return def;
  });
}

/** Labels of empty values per rollup dimension, for `dims` over rollup rows. */
function rollupDimsValue(p: SqlParams, defs: PropertyDef[]): { value: string; exclude: string } {
  const labelledDims = new Map<string, string[]>();
  const excluded: string[] = [];
  for (const d of defs) {
    if (d.empty && 'label' in d.empty) labelledDims.set(d.empty.label, [...(labelledDims.get(d.empty.label) ?? []), d.rollupDim!]);
    if (d.empty && 'exclude' in d.empty) excluded.push(d.rollupDim!);
  }
  const cases = [...labelledDims].map(([l, dims]) => `dim IN ${p.bind(dims, 'Array(String)')}, ${literal(l)}`);
  return {
    value: cases.length ? `if(value != '', value, multiIf(${cases.join(', ')}, ''))` : 'value',
    exclude: excluded.length ? `NOT (value = '' AND dim IN ${p.bind(excluded, 'Array(String)')})` : '',
  };
}

/** Conditions on `events` columns for every filter (visit filters on entry/exit page become a sessions subquery). */
function eventFilterConditions(p: SqlParams, scope: Scope, filters: Filter[], from: string, to: string): string[] {
  const out: string[] = [];
  const sessionFilters: string[] = [];
  for (const f of filters) {
    const def = requireDef(f.property);
    if (def.scope === 'goal') out.push(goalCondition(p, f));
    else if (def.scope === 'props') out.push(propsCondition(p, def.key, f));
    else if (def.scope === 'session') sessionFilters.push(compare(p, def.key === 'entry_page' ? 'argMinMerge(entry_page)' : 'argMaxMerge(exit_page)', f, def));
    else out.push(compare(p, def.column!, f, def));
  }
  if (sessionFilters.length) {
    out.push(
      `session_id IN (SELECT session_id FROM sessions
        WHERE site_id = ${p.bind(scope.site, 'String')} AND session_date >= toDate(${from}) - 1 AND session_date <= toDate(${to}) + 1
        GROUP BY session_id HAVING ${sessionFilters.join(' AND ')})`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------
// Event metrics

const EVENT_RAW: Record<EventMetric, string> = {
  visitors: `${UNIQ}(${EVENT_VISITOR_KEY}) AS m_visitors`,
  pageviews: `countIf(name = 'pageview') AS m_pageviews`,
  events: `count() AS m_events`,
};

/** Over the rows of closed days and the merged sketches of open ones (`f_` columns): all sums. */
const EVENT_ROLLUP: Record<EventMetric, string> = {
  visitors: `sum(f_visitors) AS m_visitors`,
  pageviews: `sum(f_pageviews) AS m_pageviews`,
  events: `sum(f_events) AS m_events`,
};

const EVENT_FINALS = ['f_visitors', 'f_pageviews', 'f_events'];

export function buildEventQuery(scope: Scope, g: Grouping, metrics: EventMetric[], opts: BuildOptions): BuiltQuery {
  if (opts.rollups) {
    const rolled = eventRollupQuery(scope, g, metrics, opts.closed?.events ?? 0, closedAnswers(scope, g), opts.nowMs);
    if (rolled?.settled) rolled.rebuild = (o) => buildEventQuery(scope, g, metrics, o);
    if (rolled) return rolled;
  }
  return eventRawQuery(scope, g, metrics);
}

function eventRawQuery(scope: Scope, g: Grouping, metrics: EventMetric[]): BuiltQuery {
  const p = new SqlParams();
  const from = p.bind(chTime(scope.fromMs), "DateTime64(3, 'UTC')");
  const to = p.bind(chTime(scope.toMs), "DateTime64(3, 'UTC')");
  const select: string[] = [];
  const where = [`site_id = ${p.bind(scope.site, 'String')}`, `timestamp >= ${from}`, `timestamp < ${to}`, `name != 'engagement'`];
  const def = dimDef(g);
  let hasParent = false;
  if (g.kind === 'bucket') select.push(`${bucketExpr(p, g, 'timestamp', scope.timezone)} AS bucket`);
  let having = '';
  let groupingSets = '';
  if (g.kind === 'dims') {
    // Every dimension grouped in one pass with GROUPING SETS: an ARRAY JOIN of one row per
    // dimension and event took twice as long (a filtered view's cards come from here).
    const defs = dimsDefs(g);
    const values = defs.map((d) => `toString(${eventDimExprs(p, d).value})`);
    const which = values.length === 1 ? '0' : `multiIf(${values.map((v, i) => (i < values.length - 1 ? `grouping(${v}) = 0, ${i}` : String(i))).join(', ')})`;
    const value = values.length === 1 ? values[0]! : `multiIf(${values.map((v, i) => (i < values.length - 1 ? `d_dim = ${i}, ${v}` : v)).join(', ')})`;
    select.push(`toUInt8(${which}) AS d_dim`, `${value} AS d_value`);
    groupingSets = `GROUP BY GROUPING SETS (${values.map((v) => `(${v})`).join(', ')})`;
    const excluded = defs.flatMap((d, i) => (d.empty && 'exclude' in d.empty ? [i] : []));
    if (excluded.length) having = `HAVING NOT (d_value = '' AND d_dim IN ${p.bind(excluded, 'Array(UInt8)')})`;
  } else if (g.kind === 'dim' && def?.scope === 'goal' && g.goals) {
    // One row per (event, goal it completes): an event can complete several page goals.
    const conds = g.goals.map((goal) => goalMatch(p, goal));
    select.push(`arrayJoin(arrayFilter(x -> x != '', [${g.goals.map((goal, i) => `if(${conds[i]}, ${p.bind(goal.name, 'String')}, '')`).join(', ')}])) AS d_value`);
    where.push(conds.length ? `(${conds.join(' OR ')})` : '0');
    if (g.keys) having = `HAVING d_value IN ${p.bind(g.keys, 'Array(String)')}`;
  } else if (g.kind === 'dim' && def) {
    const { value, parent } = eventDimExprs(p, def);
    select.push(`${value} AS d_value`);
    if (parent) {
      select.push(`${parent} AS d_parent`);
      hasParent = true;
    }
    if (def.scope === 'goal') where.push(`name != 'pageview'`);
    if (def.empty && 'exclude' in def.empty) where.push(`${def.column} != ''`);
    if (g.keys) where.push(`${keyExpr(def, value, parent)} IN ${p.bind(g.keys, 'Array(String)')}`);
  }
  where.push(...eventFilterConditions(p, scope, scope.filters, from, to));
  const groupBy = g.kind === 'total' ? '' : groupingSets || `GROUP BY ${groupColumns(g, def, hasParent)}`;
  const sql = `SELECT ${[...select, ...metrics.map((m) => EVENT_RAW[m])].join(', ')}
FROM events
WHERE ${and(where)}
${groupBy}
${having}
${orderLimit(p, g, hasParent)}`;
  return { sql, params: p.values, source: 'raw' };
}

/** Whether an event completes a configured goal. */
function goalMatch(p: SqlParams, goal: GoalDef): string {
  if (goal.kind === 'event') return `name = ${p.bind(goal.event_name, 'String')}`;
  const path = goal.page_path.includes('*')
    ? `match(pathname, ${p.bind(wildcardToRegex(goal.page_path), 'String')})`
    : `pathname = ${p.bind(goal.page_path, 'String')}`;
  return `(name = 'pageview' AND ${path})`;
}

function eventDimExprs(p: SqlParams, def: PropertyDef): { value: string; parent?: string } {
  if (def.scope === 'props') {
    const k = p.bind(def.key, 'String');
    return { value: `if(mapContains(props, ${k}), props[${k}], '(none)')` };
  }
  if (def.scope === 'session') throw new Error(`${def.property} is a visit dimension`);
  const value = labelled(def, def.column!);
  const parent = def.parent ? labelled(requireDef(`visit:${def.parent.key}`), def.parent.column) : undefined;
  return { value, parent };
}

/** Goal filters read event names ('name' rows) or, for pageview goals only, 'pageview_page' rows; not both. */
function goalFilterDim(f: Filter): string | null {
  const { names, pages } = splitGoals(f.values);
  if (pages.length === 0) return 'name';
  return names.length === 0 ? 'pageview_page' : null;
}

/** Which rollup column a filter on `f.property` reads, for rows of dimension `dim`; null if none. */
function rollupColumn(f: Filter, dim: string): 'value' | 'sub' | null {
  const def = propertyDef(f.property);
  if (!def || def.scope === 'props' || def.scope === 'session') return null;
  if (def.scope === 'goal') return goalFilterDim(f) === dim ? 'value' : null;
  if (def.rollupDim === dim) return def.parent ? 'sub' : 'value';
  const dimDefinition = propertyDef(`visit:${dim}`);
  if (dimDefinition?.parent && f.property === `visit:${dimDefinition.parent.key}`) return 'value';
  return null;
}

const GOALS_DIM = '#goals';
const DIMS = '#dims';

/** A goal filter of only event goals (or only pageview goals) as a filter on rollup values: names (or paths). */
function goalValuesFilter(f: Filter): Filter {
  const { names, pages } = splitGoals(f.values);
  const values = names.length ? names : pages;
  const negated = f.op === 'is_not';
  if (!values.some((n) => n.includes('*'))) return { property: 'event:name', op: negated ? 'is_not' : 'is', values };
  return { property: 'event:name', op: negated ? 'does_not_match' : 'matches', values: values.map(wildcardToRegex) };
}

/** For 'name' and 'pageview_page' rollup rows: the configured goals a row completes. */
function rollupGoalMatch(p: SqlParams, goal: GoalDef): string {
  if (goal.kind === 'event') return `(dim = 'name' AND value = ${p.bind(goal.event_name, 'String')})`;
  const path = goal.page_path.includes('*')
    ? `match(value, ${p.bind(wildcardToRegex(goal.page_path), 'String')})`
    : `value = ${p.bind(goal.page_path, 'String')}`;
  return `(dim = 'pageview_page' AND ${path})`;
}

/** The rollup dimension a query reads, or null when the rollups cannot answer it. */
function eventRollupDim(scope: Scope, g: Grouping): string | null {
  if (g.kind === 'dims') return scope.filters.length === 0 && dimsDefs(g).every((d) => d.scope !== 'session' && d.rollupDim) ? DIMS : null;
  const def = dimDef(g);
  if (def && (def.scope === 'props' || def.scope === 'session' || !def.rollupDim)) return null;
  // Configured goals: 'name' rows for event goals, 'pageview_page' rows for pageview goals. The goal
  // filters already narrowed the goal list; any other filter needs the raw events.
  if (g.kind === 'dim' && g.goals) return scope.filters.every((f) => f.property === 'event:goal') ? GOALS_DIM : null;
  let dim = def?.rollupDim ?? '';
  if (!def && scope.filters.length) {
    const first = scope.filters[0]!;
    const firstDim = first.property === 'event:goal' ? goalFilterDim(first) : propertyDef(first.property)?.rollupDim;
    if (!firstDim) return null;
    dim = firstDim;
  }
  return scope.filters.every((f) => rollupColumn(f, dim) !== null) ? dim : null;
}

/**
 * `closedTo`: days before it are settled; `counts`: whether their closed-day
 * counts answer (closedAnswers), or their sketches must be merged.
 */
function eventRollupQuery(scope: Scope, g: Grouping, metrics: EventMetric[], closedTo: number, counts: boolean, nowMs?: number): BuiltQuery | null {
  const dim = eventRollupDim(scope, g);
  if (dim === null) return null;
  const tiles = tileGrouping(scope, g, scope.toMs, closedTo, ['hour', 'day', 'week', 'month'], {}, nowMs);
  if (!tiles) return null;
  const p = new SqlParams();
  const def = dimDef(g);
  const inner: string[] = [];
  let hasParent = false;
  let value = '';
  let parent: string | undefined;
  const conds: string[] = [];
  let having = '';
  const site = p.bind(scope.site, 'String');
  let dimsCols = '';
  if (dim === DIMS && g.kind === 'dims') {
    const defs = dimsDefs(g);
    const names = p.bind(defs.map((d) => d.rollupDim!), 'Array(String)');
    const v = rollupDimsValue(p, defs);
    dimsCols = `toUInt8(indexOf(${names}, dim) - 1) AS d_dim, ${v.value} AS d_value`;
    conds.push(`dim IN ${names}`);
    if (v.exclude) conds.push(v.exclude);
  } else if (dim === GOALS_DIM && g.kind === 'dim' && g.goals) {
    const matches = g.goals.map((goal) => rollupGoalMatch(p, goal));
    value = `arrayJoin(arrayFilter(x -> x != '', [${g.goals.map((goal, i) => `if(${matches[i]}, ${p.bind(goal.name, 'String')}, '')`).join(', ')}]))`;
    conds.push(`dim IN ('name', 'pageview_page')`, matches.length ? `(${matches.join(' OR ')})` : '0');
    if (g.keys) having = `HAVING d_value IN ${p.bind(g.keys, 'Array(String)')}`;
  } else {
    conds.push(`dim = ${p.bind(dim, 'String')}`);
    if (def) {
      if (def.parent) {
        value = labelled(def, 'sub');
        parent = labelled(requireDef(`visit:${def.parent.key}`), 'value');
        hasParent = true;
      } else value = labelled(def, 'value');
    }
    for (const f of scope.filters) {
      const fdef = requireDef(f.property);
      const column = rollupColumn(f, dim)!;
      conds.push(fdef.scope === 'goal' ? compare(p, 'value', goalValuesFilter(f)) : compare(p, column, f, fdef));
    }
    if (def?.scope === 'goal') conds.push(`value != 'pageview'`);
    if (def?.empty && 'exclude' in def.empty) conds.push(def.parent ? `sub != ''` : `value != ''`);
    if (g.kind === 'dim' && g.keys && def) conds.push(`${keyExpr(def, value, parent)} IN ${p.bind(g.keys, 'Array(String)')}`);
  }

  const groupCols = groupColumns(g, def, hasParent);
  const branch = (level: Level, runs: Runs, t: LevelTable, values: string[]) => {
    const cols: string[] = [];
    if (g.kind === 'bucket') cols.push(`${bucketExpr(p, g, t.ts, scope.timezone)} AS bucket`);
    if (dimsCols) cols.push(dimsCols);
    if (def) {
      cols.push(`${value} AS d_value`);
      if (parent) cols.push(`${parent} AS d_parent`);
    }
    return `SELECT ${[...cols, ...values].join(', ')} FROM ${t.table}
  WHERE ${and([`site_id = ${site}`, runsCondition(p, level, runs), ...conds])}`;
  };
  // Closed days: plain counts (their edge hours, or all when counts cannot answer: sketches). Open days: sketches.
  const closed: Part = { counts: [], sketches: [] };
  const open: string[] = [];
  const sketchCols = ['visitors', 'pageviews', 'events'];
  for (const level of LEVELS) {
    const runs = tiles.closed[level];
    if (runs.length) {
      if (level === 'hour' || !counts) closed.sketches.push(branch(level, runs, EVENT_TABLES[level], sketchCols));
      else closed.counts.push(branch(level, runs, CLOSED_EVENT_TABLES[level], EVENT_FINALS.map((c) => `toUInt64(${c.slice(2)}) AS ${c}`)));
    }
    if (tiles.open[level].length) open.push(branch(level, tiles.open[level], EVENT_TABLES[level], sketchCols));
  }
  const sums = [`${UNIQ_MERGE}(visitors) AS f_visitors`, 'toUInt64(sum(pageviews)) AS f_pageviews', 'toUInt64(sum(events)) AS f_events'];
  const order = orderLimit(p, g, hasParent);
  const outer = (parts: string[]) => `SELECT ${[groupCols, ...metrics.map((m) => EVENT_ROLLUP[m])].filter(Boolean).join(', ')}
FROM (
${(parts.length ? parts : [emptyEventRollup(p, g, def, !!parent)]).join('\nUNION ALL\n')}
)
${groupCols ? `GROUP BY ${groupCols}` : ''}
${having}
${order}`;
  const finish = finishOf(g, metrics, hasParent, dim === GOALS_DIM && g.kind === 'dim' ? g.keys : undefined);
  return { ...countedParts(closed, open, groupCols, sums, EVENT_FINALS, outer, finish), params: p.values, source: 'rollup' };
}

/** Branches of one part: closed-day counts (`f_` columns) and sketches (merged once into `f_` columns). */
interface Part {
  counts: string[];
  sketches: string[];
}

/**
 * The outer query over the rows it sums (`f_` columns), which cover
 * different days: closed days' counts as they are, and every sketch merged
 * once per group (`sums`). With a settled part, also the two parts alone,
 * each summed per group, for settled.ts to keep the first: the settled
 * part's counts and its sketches merged once, and the open sketches merged
 * once.
 */
function countedParts(
  settled: Part,
  open: string[],
  groupCols: string,
  sums: string[],
  finals: string[],
  outer: (parts: string[]) => string,
  finish: Omit<Finish, 'groups' | 'finals'>,
): Pick<BuiltQuery, 'sql' | 'settled'> {
  const merged = (branches: string[]) =>
    branches.length
      ? [
          `SELECT ${[groupCols, ...sums].filter(Boolean).join(', ')}
FROM (
${branches.join('\nUNION ALL\n')}
)
${groupCols ? `GROUP BY ${groupCols}` : ''}`,
        ]
      : [];
  // The one query merges all sketches at once: one aggregation fewer than the two parts.
  const sql = outer([...settled.counts, ...merged([...settled.sketches, ...open])]);
  const settledParts = [...settled.counts, ...merged(settled.sketches)];
  const openParts = merged(open);
  if (!settledParts.length) return { sql };
  const groups = groupCols ? groupCols.split(', ') : [];
  const settledSql = `SELECT ${[...groups, ...finals.map((f) => `toUInt64(sum(${f})) AS ${f}`)].join(', ')}
FROM (
${settledParts.join('\nUNION ALL\n')}
)
${groupCols ? `GROUP BY ${groupCols}` : ''}`;
  return { sql, settled: { sql: settledSql, live: openParts[0] ?? null, finish: { groups, finals, ...finish } } };
}

/**
 * Whether the closed-day tables can answer: they hold one visitor count per
 * value and day, and counts add up across days but not across values (a
 * visitor on two pages that day is one visitor). So each output row must read
 * one value: breakdowns by the value itself, goals that are one event name or
 * one exact path, totals over the whole site or one exact value.
 */
function closedAnswers(scope: Scope, g: Grouping): boolean {
  if (g.kind === 'dims') return true;
  if (g.kind === 'dim') return !g.goals || g.goals.every((goal) => goal.kind === 'event' || !goal.page_path.includes('*'));
  return scope.filters.every((f) => f.op === 'is' && f.values.length === 1 && !f.values[0]!.includes('*'));
}

/** A branch with no rows, so an empty period still yields a well-typed query. */
function emptyEventRollup(p: SqlParams, g: Grouping, def: PropertyDef | null, hasParent: boolean): string {
  const cols: string[] = [];
  if (g.kind === 'bucket') cols.push(`'' AS bucket`);
  if (g.kind === 'dims') cols.push('toUInt8(0) AS d_dim', 'value AS d_value');
  if (def) {
    cols.push(`value AS d_value`);
    if (hasParent) cols.push(`value AS d_parent`);
  }
  cols.push(...EVENT_FINALS.map((c) => `toUInt64(0) AS ${c}`));
  return `SELECT ${cols.join(', ')} FROM stats_closed_monthly WHERE site_id = ${p.bind('', 'String')} AND 0`;
}

/**
 * Tiles for the part of the grouping's buckets before `endMs`: closed-day
 * tiles before `closedTo`, sketch tiles (each level within its limit) for the rest.
 */
function tileGrouping(
  scope: Scope,
  g: Grouping,
  endMs: number,
  closedTo: number,
  levels: Level[],
  limits: Partial<Record<Level, number>> = {},
  nowMs?: number,
): SplitTiling | null {
  const to = Math.min(scope.toMs, endMs);
  let list: Bucket[] =
    g.kind === 'bucket'
      ? g.buckets.filter((b) => b.startMs < to).map((b) => ({ ...b, endMs: Math.min(b.endMs, to) }))
      : scope.fromMs < to
        ? [{ label: '', startMs: scope.fromMs, endMs: to }]
        : [];
  if (nowMs !== undefined) list = throughToday(list, nowMs);
  return tileSplit(list, closedTo, levels, limits);
}


interface LevelTable {
  table: string;
  /** The time key column, and the same as a DateTime for time zone functions. */
  col: string;
  ts: string;
  type: string;
}

const EVENT_TABLES: Record<Level, LevelTable> = {
  hour: { table: 'stats_hourly', col: 'hour', ts: 'hour', type: "DateTime('UTC')" },
  day: { table: 'stats_daily', col: 'day', ts: "toDateTime(day, 'UTC')", type: 'Date' },
  week: { table: 'stats_weekly', col: 'week', ts: "toDateTime(week, 'UTC')", type: 'Date' },
  month: { table: 'stats_monthly', col: 'month', ts: "toDateTime(month, 'UTC')", type: 'Date' },
};

const VISIT_TABLES: Record<Level, LevelTable> = {
  hour: { ...EVENT_TABLES.hour, table: 'visit_stats_hourly' },
  day: { ...EVENT_TABLES.day, table: 'visit_stats_daily' },
  week: { ...EVENT_TABLES.week, table: 'visit_stats_weekly' },
  month: { ...EVENT_TABLES.month, table: 'visit_stats_monthly' },
};

/** Closed days as counts. There is no hourly level: a partial edge day's hours are read as sketches. */
const CLOSED_EVENT_TABLES: Record<Exclude<Level, 'hour'>, LevelTable> = {
  day: { ...EVENT_TABLES.day, table: 'stats_closed_daily' },
  week: { ...EVENT_TABLES.week, table: 'stats_closed_weekly' },
  month: { ...EVENT_TABLES.month, table: 'stats_closed_monthly' },
};

const CLOSED_VISIT_TABLES: Record<Exclude<Level, 'hour'>, LevelTable> = {
  day: { ...EVENT_TABLES.day, table: 'visit_stats_closed_daily' },
  week: { ...EVENT_TABLES.week, table: 'visit_stats_closed_weekly' },
  month: { ...EVENT_TABLES.month, table: 'visit_stats_closed_monthly' },
};

function keyText(level: Level, ms: number): string {
  const iso = new Date(ms).toISOString();
  return level === 'hour' ? `${iso.slice(0, 13).replace('T', ' ')}:00:00` : iso.slice(0, 10);
}

/** `col` within any of the runs: a few range conditions the primary key can use. */
function runsCondition(p: SqlParams, level: Level, runs: Runs): string {
  const t = EVENT_TABLES[level];
  const parts = runs.map(([a, b]) => `(${t.col} >= ${p.bind(keyText(level, a), t.type)} AND ${t.col} < ${p.bind(keyText(level, b), t.type)})`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
}

// ---------------------------------------------------------------------------
// Visit metrics

/** Over closed-day rows and the open part merged once (`f_` columns, all counts). */
const VISIT_FINALS: Record<VisitMetric, string> = {
  visits: `sum(f_visits) AS m_visits`,
  bounce_rate: `if(sum(f_bounce_base) = 0, 0, intDiv(200 * sum(f_bounces) + sum(f_bounce_base), 2 * sum(f_bounce_base))) AS m_bounce_rate`,
  visit_duration: `if(sum(f_visits) = 0, 0, intDiv(2 * sum(f_duration) + 1000 * sum(f_visits), 2000 * sum(f_visits))) AS m_visit_duration`,
  views_per_visit: `if(sum(f_visits) = 0, 0, intDiv(200 * sum(f_pageviews) + sum(f_visits), 2 * sum(f_visits))) AS m_views_per_visit`,
  visitors: `sum(f_visitors) AS m_visitors`,
  pageviews: `sum(f_pageviews) AS m_pageviews`,
};

/** The count columns of a visit branch (`c_`), as the open part sums them into `f_` columns. */
const VISIT_COUNTS = ['visits', 'bounces', 'bounce_base', 'duration', 'pageviews'];

/** Which visit dimension a property groups by: entry page for `event:page` (as Plausible), the attribute otherwise. */
function visitDim(def: PropertyDef): { rollupDim?: string; expr: string; parentExpr?: string } {
  if (def.property === 'event:page' || def.property === 'visit:entry_page') return { rollupDim: 'entry_page', expr: 's_entry' };
  if (def.property === 'visit:exit_page') return { rollupDim: 'exit_page', expr: 's_exit' };
  if (def.property === 'event:hostname') return { expr: 's_hostname' };
  if (def.scope !== 'visit') throw new Error(`visit metrics cannot be grouped by ${def.property}`);
  return { expr: 's_dim', parentExpr: def.parent ? 's_parent' : undefined };
}

export function buildVisitQuery(scope: Scope, g: Grouping, metrics: VisitMetric[], opts: BuildOptions): BuiltQuery {
  const p = new SqlParams();
  const def = dimDef(g);
  const withVisitors = metrics.includes('visitors');
  // Settled: every rollup branch (the visits it holds are over). Open: the raw visits after its marker.
  const settled: Part = { counts: [], sketches: [] };
  const open: string[] = [];
  let rawFromMs = scope.fromMs;
  let source: BuiltQuery['source'] = 'raw';
  const marks = opts.visitMarks ?? { hour: 0, day: 0, week: 0, month: 0 };
  if (opts.rollups && marks.hour > scope.fromMs) {
    const closedTo = closedAnswers(scope, g) ? Math.min(opts.closed?.visits ?? 0, marks.hour) : 0;
    const rolled = visitRollupBranches(p, scope, g, def, marks, closedTo, withVisitors);
    if (rolled) {
      settled.counts.push(...rolled.closed.counts);
      settled.sketches.push(...rolled.closed.sketches, ...rolled.open);
      rawFromMs = Math.max(scope.fromMs, marks.hour);
      source = rawFromMs < scope.toMs ? 'rollup+raw' : 'rollup';
    }
  }
  if (rawFromMs < scope.toMs || settled.counts.length + settled.sketches.length === 0) open.push(visitRawBranch(p, scope, g, def, rawFromMs, withVisitors));
  const hasParent = !!(def && visitDim(def).parentExpr);
  const groupCols = groupColumns(g, def, hasParent);
  const sums = [...VISIT_COUNTS.map((c) => `toUInt64(sum(c_${c})) AS f_${c}`), ...(withVisitors ? [`${UNIQ_MERGE}(c_visitors) AS f_visitors`] : [])];
  const finals = [...VISIT_COUNTS.map((c) => `f_${c}`), ...(withVisitors ? ['f_visitors'] : [])];
  const order = orderLimit(p, g, hasParent);
  const outer = (parts: string[]) => `SELECT ${[groupCols, ...metrics.map((m) => VISIT_FINALS[m])].filter(Boolean).join(', ')}
FROM (
${parts.join('\nUNION ALL\n')}
)
${groupCols ? `GROUP BY ${groupCols}` : ''}
${order}`;
  const built: BuiltQuery = { ...countedParts(settled, open, groupCols, sums, finals, outer, finishOf(g, metrics, hasParent)), params: p.values, source };
  if (built.settled) built.rebuild = (o) => buildVisitQuery(scope, g, metrics, o);
  return built;
}

/**
 * The visits after `fromMs` from `sessions`, summed per group. `alsoBucket`
 * (with a `dims` grouping): each visit also counts under one more `d_dim`,
 * the last, whose `d_value` is its bucket (buildVisitLiveTogether).
 */
function visitRawBranch(
  p: SqlParams,
  scope: Scope,
  g: Grouping,
  def: PropertyDef | null,
  fromMs: number,
  withVisitors: boolean,
  alsoBucket?: Extract<Grouping, { kind: 'bucket' }>,
): string {
  const from = p.bind(chTime(fromMs), "DateTime64(3, 'UTC')");
  const to = p.bind(chTime(scope.toMs), "DateTime64(3, 'UTC')");
  const site = p.bind(scope.site, 'String');
  const pageFilters = filtersOn(scope.filters, 'event:page');
  const entryFilters = filtersOn(scope.filters, 'visit:entry_page');
  const exitFilters = filtersOn(scope.filters, 'visit:exit_page');
  const dim = def ? visitDim(def) : null;
  const multi = g.kind === 'dims' ? dimsDefs(g).map((d, i) => ({ def: d, expr: visitDim(d).expr.replace(/^s_dim$/, `s_dim${i}`) })) : [];
  const exprs = [dim?.expr, ...multi.map((m) => m.expr)];
  const needEntry = pageFilters.length > 0 || entryFilters.length > 0 || exprs.includes('s_entry');
  const needExit = exitFilters.length > 0 || exprs.includes('s_exit');

  const inner = [
    'session_id',
    'any(visitor_id) AS s_visitor',
    'min(start) AS s_start',
    'max(end) AS s_end',
    'sum(pageviews) AS s_pageviews',
    'sum(interactive_events) AS s_interactive',
  ];
  if (needEntry) inner.push('argMinMerge(entry_page) AS s_entry');
  if (needExit) inner.push('argMaxMerge(exit_page) AS s_exit');
  if (exprs.includes('s_hostname')) inner.push('any(hostname) AS s_hostname');
  for (const m of multi) if (m.expr.startsWith('s_dim')) inner.push(`any(${m.def.column}) AS ${m.expr}`);
  if (dim?.expr === 's_dim' && def) {
    inner.push(`any(${def.column}) AS s_dim`);
    if (def.parent) inner.push(`any(${def.parent.column}) AS s_parent`);
  }

  const where = [`site_id = ${site}`, `session_date >= toDate(${from})`, `session_date <= toDate(${to}) + 1`];
  const eventConds: string[] = [];
  const having = [`s_start >= ${from}`, `s_start < ${to}`];
  for (const f of scope.filters) {
    const fdef = requireDef(f.property);
    if (fdef.scope === 'visit') where.push(compare(p, fdef.column!, f, fdef));
    else if (fdef.property === 'visit:entry_page') having.push(compare(p, 's_entry', f, fdef));
    else if (fdef.property === 'visit:exit_page') having.push(compare(p, 's_exit', f, fdef));
    else if (fdef.scope === 'event') eventConds.push(compare(p, fdef.column!, f, fdef));
    else throw new Error(`visit metrics cannot be filtered by ${f.property}`);
  }
  if (eventConds.length) {
    where.push(`session_id IN (SELECT session_id FROM events WHERE ${and([
      `site_id = ${site}`,
      `timestamp >= ${from}`,
      `timestamp < ${to}`,
      `name != 'engagement'`,
      ...eventConds,
    ])})`);
  }

  // Plausible: with a page filter, bounce rate counts the visits that entered on that page.
  const entryMatch = pageFilters.length ? and(pageFilters.map((f) => compare(p, 's_entry', f))) : '';
  const cols: string[] = [];
  const outerWhere: string[] = [];
  let arrayJoin = '';
  if (g.kind === 'bucket') cols.push(`${bucketExpr(p, g, 's_start', scope.timezone)} AS bucket`);
  if (multi.length) {
    const values = multi.map((m) => `toString(${labelled(m.def, m.expr)})`);
    if (alsoBucket) values.push(bucketExpr(p, alsoBucket, 's_start', scope.timezone));
    arrayJoin = `ARRAY JOIN [${values.map((v, i) => `(${i}, ${v})`).join(', ')}] AS d`;
    cols.push('d.1 AS d_dim', 'd.2 AS d_value');
    const excluded = multi.flatMap((m, i) => (m.def.empty && 'exclude' in m.def.empty ? [i] : []));
    if (excluded.length) outerWhere.push(`NOT (d.2 = '' AND d.1 IN ${p.bind(excluded, 'Array(UInt8)')})`);
  }
  if (dim && def) {
    const value = labelled(def, dim.expr);
    const parent = dim.parentExpr ? labelled(requireDef(`visit:${def.parent!.key}`), dim.parentExpr) : undefined;
    cols.push(`${value} AS d_value`);
    if (parent) cols.push(`${parent} AS d_parent`);
    if ((def.empty && 'exclude' in def.empty) || dim.expr === 's_entry' || dim.expr === 's_exit') outerWhere.push(`${dim.expr} != ''`);
    if (g.kind === 'dim' && g.keys) outerWhere.push(`${keyExpr(def, value, parent)} IN ${p.bind(g.keys, 'Array(String)')}`);
  }
  const bounce = 's_pageviews = 1 AND s_interactive = 0';
  cols.push(
    'toUInt64(count()) AS c_visits',
    `toUInt64(countIf(${entryMatch ? `${bounce} AND ${entryMatch}` : bounce})) AS c_bounces`,
    `toUInt64(${entryMatch ? `countIf(${entryMatch})` : 'count()'}) AS c_bounce_base`,
    'toUInt64(sum(toUnixTimestamp64Milli(s_end) - toUnixTimestamp64Milli(s_start))) AS c_duration',
    'toUInt64(sum(s_pageviews)) AS c_pageviews',
  );
  if (withVisitors) cols.push(`${UNIQ.replace('(', 'State(')}(${VISIT_VISITOR_KEY}) AS c_visitors`);
  const groupBy = g.kind === 'total' ? '' : `GROUP BY ${groupColumns(g, def, !!dim?.parentExpr)}`;
  return `SELECT ${cols.join(', ')}
FROM (
  SELECT ${inner.join(', ')}
  FROM sessions
  WHERE ${and(where)}
  GROUP BY session_id
  HAVING ${and(having)}
)
${arrayJoin}
${outerWhere.length ? `WHERE ${and(outerWhere)}` : ''}
${groupBy}`;
}

/** What a visit query covers, for buildVisitLiveTogether (its metrics all come from the same sums). */
export interface VisitQueryInput {
  scope: Scope;
  g: Grouping;
}

/** One SQL that reads the live parts of several built queries; `split` hands each its rows. */
export interface SharedLive {
  sql: string;
  params: Record<string, unknown>;
  split(rows: Record<string, unknown>[]): Record<string, unknown>[][];
}

/**
 * The live parts of two visit queries in one read of the newest visits: top
 * stats by bucket (`byBucket`) and the entry/exit cards (`byDims`), as the
 * dashboard asks for them. Both live parts are the visits after the visit
 * rollup's marker, and grouping those per visit is most of what each costs:
 * here each visit is grouped once and counted under its entry page, its exit
 * page and its bucket. Null unless both queries read their settled part from
 * the rollups and their live part is that same tail (no filters, one end).
 */
export function buildVisitLiveTogether(byBucket: VisitQueryInput, byDims: VisitQueryInput, opts: BuildOptions): SharedLive | null {
  const marks = opts.visitMarks;
  const { g: bg, scope: bs } = byBucket;
  const { g: dg, scope: ds } = byDims;
  if (!opts.rollups || !marks || bg.kind !== 'bucket' || dg.kind !== 'dims') return null;
  if (bs.filters.length || ds.filters.length || bs.site !== ds.site || bs.timezone !== ds.timezone || bs.toMs !== ds.toMs) return null;
  // Each live part starts at the marker only when the marker is inside both periods.
  if (!(marks.hour > bs.fromMs && marks.hour > ds.fromMs && marks.hour < ds.toMs)) return null;
  const p = new SqlParams();
  const branch = visitRawBranch(p, ds, dg, null, marks.hour, true, bg);
  const sums = [...VISIT_COUNTS.map((c) => `toUInt64(sum(c_${c})) AS f_${c}`), `${UNIQ_MERGE}(c_visitors) AS f_visitors`];
  const sql = `SELECT d_dim, d_value, ${sums.join(', ')}
FROM (
${branch}
)
GROUP BY d_dim, d_value`;
  const bucketDim = dg.properties.length;
  return {
    sql,
    params: p.values,
    split: (rows) => [
      rows.filter((r) => Number(r.d_dim) === bucketDim).map(({ d_dim: _, d_value, ...sums }) => ({ bucket: d_value, ...sums })),
      rows.filter((r) => Number(r.d_dim) !== bucketDim),
    ],
  };
}

/**
 * Branches over the visit rollups for the visits before the markers: closed
 * days (counts) before `closedTo`, the sketch levels after it. Null if they cannot answer.
 */
function visitRollupBranches(
  p: SqlParams,
  scope: Scope,
  g: Grouping,
  def: PropertyDef | null,
  marks: Record<Level, number>,
  closedTo: number,
  withVisitors: boolean,
): { closed: Part; open: string[] } | null {
  let dim = '';
  let dims: string[] = [];
  if (g.kind === 'dims') {
    dims = dimsDefs(g).map((d) => visitDim(d).rollupDim ?? '');
    if (dims.includes('') || scope.filters.length) return null;
  }
  if (def) {
    const vd = visitDim(def);
    if (!vd.rollupDim) return null;
    dim = vd.rollupDim;
  }
  for (const f of scope.filters) {
    const target = f.property === 'visit:entry_page' ? 'entry_page' : f.property === 'visit:exit_page' ? 'exit_page' : null;
    if (!target || (dim && dim !== target)) return null;
    dim = target;
  }
  const tiles = tileGrouping(scope, g, marks.hour, closedTo, ['hour', 'day', 'week', 'month'], marks);
  if (!tiles) return null;
  const names = dims.length ? p.bind(dims, 'Array(String)') : '';
  const conds = [`site_id = ${p.bind(scope.site, 'String')}`, names ? `dim IN ${names}` : `dim = ${p.bind(dim, 'String')}`];
  if (names) conds.push(`value != ''`);
  for (const f of scope.filters) conds.push(compare(p, 'value', f, requireDef(f.property)));
  const value = def ? labelled(def, 'value') : '';
  if (def) {
    conds.push(`value != ''`);
    if (g.kind === 'dim' && g.keys) conds.push(`${value} IN ${p.bind(g.keys, 'Array(String)')}`);
  }
  const branch = (level: Level, runs: Runs, t: LevelTable, prefix: 'c' | 'f') => {
    const cols: string[] = [];
    if (g.kind === 'bucket') cols.push(`${bucketExpr(p, g, t.ts, scope.timezone)} AS bucket`);
    if (names) cols.push(`toUInt8(indexOf(${names}, dim) - 1) AS d_dim`, 'value AS d_value');
    if (def) cols.push(`${value} AS d_value`);
    cols.push(
      `toUInt64(visits) AS ${prefix}_visits`,
      `toUInt64(bounces) AS ${prefix}_bounces`,
      `toUInt64(visits) AS ${prefix}_bounce_base`,
      `toUInt64(duration_ms) AS ${prefix}_duration`,
      `toUInt64(pageviews) AS ${prefix}_pageviews`,
    );
    if (withVisitors) cols.push(prefix === 'f' ? 'toUInt64(visitors) AS f_visitors' : 'visitors AS c_visitors');
    return `SELECT ${cols.join(', ')} FROM ${t.table} WHERE ${and([...conds, runsCondition(p, level, runs)])}`;
  };
  const out = { closed: { counts: [], sketches: [] } as Part, open: [] as string[] };
  for (const level of LEVELS) {
    const runs = tiles.closed[level];
    if (runs.length) {
      if (level === 'hour') out.closed.sketches.push(branch(level, runs, VISIT_TABLES.hour, 'c'));
      else out.closed.counts.push(branch(level, runs, CLOSED_VISIT_TABLES[level], 'f'));
    }
    if (tiles.open[level].length) out.open.push(branch(level, tiles.open[level], VISIT_TABLES[level], 'c'));
  }
  return out.closed.counts.length + out.closed.sketches.length + out.open.length ? out : null;
}

// ---------------------------------------------------------------------------
// Realtime

/** Visitors with any event (engagement included: they are still on the page) in the last `minutes`. */
export function buildRealtimeQuery(site: string, nowMs: number, minutes = 5): BuiltQuery {
  const p = new SqlParams();
  const sql = `SELECT ${UNIQ}(visitor_id) AS m_visitors FROM events
WHERE site_id = ${p.bind(site, 'String')} AND timestamp >= ${p.bind(chTime(nowMs - minutes * 60_000), "DateTime64(3, 'UTC')")}
  AND timestamp <= ${p.bind(chTime(nowMs), "DateTime64(3, 'UTC')")}`;
  return { sql, params: p.values, source: 'raw' };
}
