/**
 * Stats API v1 on a real embedded ClickHouse (chdb): a known event stream is
 * inserted into `events` (sessions and rollups fill through their views),
 * and every report, metric, filter form and property is checked for EXACT
 * JSON against numbers computed here, in plain TypeScript, from the same
 * events — once reading rollups (rollup + sessions tail), once raw tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, it as vitestIt } from 'vitest';
import { handleStats, type StatsDeps } from '../../app/api/v1/stats/handler';
import type { Db } from '../../db/client';
import { addGoal, deleteGoal, goalsForStats } from '../../db/goals';
import {
  aggregate,
  breakdown,
  buildEventQuery,
  buildVisitQuery,
  dashboard,
  EVENT_CARDS,
  VISIT_CARDS,
  parseFilters,
  realtimeVisitors,
  refreshRollups,
  rollupMarks,
  timeseries,
  utcBounds,
  type BuiltQuery,
  type Metric,
  type StatsQuery,
} from '../../db/stats';
import { forgetSettled, prepareMarks, runBuilt, settledIdle } from '../../db/stats/settled';

// ---------------------------------------------------------------------------
// The event stream

const SITE = 'stats.test';
const NY = 'ny.test';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Attrs {
  referrer: string;
  referrer_source: string;
  channel: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  country_code: string;
  region: string;
  city: string;
  device: string;
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
}

interface Ev {
  site: string;
  ts: number;
  sid: string;
  vid: string;
  name: string;
  path: string;
  host: string;
  props: Record<string, string>;
  interactive: boolean;
  attrs: Attrs;
}

function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PAGES = ['/', '/', '/blog', '/blog/a', '/blog/b', '/blog/2024/x', '/docs', '/docs/intro', '/pricing', '/about'];
const SOURCES: [string, string, string][] = [
  ['', '', 'Direct'],
  ['', '', 'Direct'],
  ['Google', 'https://www.google.com/', 'Organic Search'],
  ['Google', 'https://www.google.com/', 'Organic Search'],
  ['Twitter', 'https://t.co/abc', 'Organic Social'],
  ['Hacker News', 'https://news.ycombinator.com/item', 'Referral'],
  ['Newsletter', '', 'Email'],
];
const PLACES: [string, string, string][] = [
  ['DE', 'DE-BE', 'Berlin'],
  ['DE', 'DE-BY', 'Munich'],
  ['FR', 'FR-IDF', 'Paris'],
  ['US', 'US-NY', 'New York'],
  ['US', 'US-CA', ''],
  ['', '', ''],
];
const DEVICES: [string, string, string, string, string][] = [
  ['Desktop', 'Chrome', '120', 'Windows', '11'],
  ['Desktop', 'Firefox', '121', 'Mac', '14'],
  ['Mobile', 'Safari', '17', 'iOS', '17'],
  ['Mobile', 'Chrome', '119', 'Android', '14'],
  ['', '', '', '', ''],
];

function makeEvents(site: string, seed: number, sessions: number, fromMs: number, spanMs: number, visitors: number): Ev[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: Ev[] = [];
  for (let s = 0; s < sessions; s++) {
    const [source, referrer, channel] = pick(SOURCES);
    const [country, region, city] = pick(PLACES);
    const [device, browser, bv, osName, osv] = pick(DEVICES);
    const utm = r() < 0.3;
    const attrs: Attrs = {
      referrer,
      referrer_source: source,
      channel,
      utm_source: utm ? pick(['newsletter', 'twitter']) : '',
      utm_medium: utm ? pick(['email', 'social']) : '',
      utm_campaign: utm ? pick(['launch', 'spring']) : '',
      utm_content: utm && r() < 0.5 ? 'banner' : '',
      utm_term: utm && r() < 0.3 ? 'analytics' : '',
      country_code: country,
      region,
      city,
      device,
      browser,
      browser_version: bv,
      os: osName,
      os_version: osv,
    };
    const sid = String(1_000_000 + seed * 10_000 + s);
    const vid = String(5_000_000 + seed * 10_000 + Math.floor(r() * visitors));
    const host = r() < 0.15 ? `blog.${site}` : site;
    // Whole seconds, distinct per session: no ties for entry/exit pages.
    let ts = fromMs + Math.floor((r() * spanMs) / 1000) * 1000 + (s % 1000);
    const pageviews = 1 + Math.floor(r() * r() * 5);
    const base = { site, sid, vid, host, attrs };
    for (let i = 0; i < pageviews; i++) {
      out.push({ ...base, ts, name: 'pageview', path: pick(PAGES), props: i === 0 && r() < 0.2 ? { author: pick(['ann', 'bob']) } : {}, interactive: true });
      ts += (10 + Math.floor(r() * 600)) * 1000;
    }
    const custom = r();
    if (custom < 0.12) out.push({ ...base, ts, name: 'Signup', path: '/pricing', props: { plan: pick(['free', 'pro']) }, interactive: true });
    else if (custom < 0.2) out.push({ ...base, ts, name: 'Download', path: '/docs', props: { file: 'a.pdf' }, interactive: true });
    else if (custom < 0.26) out.push({ ...base, ts, name: 'Video Autoplay', path: '/', props: {}, interactive: false });
    ts += 5000;
    if (r() < 0.4) out.push({ ...base, ts, name: 'engagement', path: out[out.length - 1]!.path, props: {}, interactive: false });
  }
  return out;
}

const T = (iso: string) => Date.parse(iso);

// UTC site: Feb 1 – Mar 31 2024, plus one visit across midnight and a late one for realtime.
const crossing: Ev[] = (() => {
  const attrs: Attrs = { ...makeEvents(SITE, 99, 1, T('2024-03-01T00:00:00Z'), 1, 1)[0]!.attrs };
  const base = { site: SITE, sid: '999001', vid: '999', host: SITE, props: {}, interactive: true, attrs };
  return [
    { ...base, ts: T('2024-03-14T23:55:00Z'), name: 'pageview', path: '/' },
    { ...base, ts: T('2024-03-15T00:10:00Z'), name: 'pageview', path: '/blog/a' },
  ];
})();
const siteEvents = [
  ...makeEvents(SITE, 1, 220, T('2024-02-01T00:00:00Z'), 60 * DAY, 110),
  ...crossing,
  ...makeEvents(SITE, 2, 6, T('2024-03-31T23:40:00Z'), 10 * 60_000, 6),
];
// New York site: January 2024 (EST, UTC-5), and the DST day 2024-03-10.
const nyEvents = [
  ...makeEvents(NY, 3, 80, T('2024-01-01T00:00:00Z'), 33 * DAY, 50),
  ...makeEvents(NY, 4, 20, T('2024-03-10T04:00:00Z'), 22 * HOUR, 15),
];
const ALL = [...siteEvents, ...nyEvents].sort((a, b) => a.ts - b.ts);

function row(e: Ev) {
  return {
    event_id: crypto.randomUUID(),
    site_id: e.site,
    timestamp: new Date(e.ts).toISOString().replace('T', ' ').replace('Z', ''),
    name: e.name,
    visitor_id: e.vid,
    session_id: e.sid,
    hostname: e.host,
    pathname: e.path,
    ...e.attrs,
    screen_width: 1280,
    props: e.props,
    revenue_amount: null,
    revenue_currency: '',
    interactive: e.interactive,
    engagement_ms: e.name === 'engagement' ? 5000 : 0,
    scroll_depth: 0,
  };
}

// ---------------------------------------------------------------------------
// Reference implementation: the metric definitions, in plain TypeScript

const GOALS = [
  { name: 'Signup', kind: 'event' as const, event_name: 'Signup', page_path: '' },
  { name: 'Visit /blog/**', kind: 'page' as const, event_name: '', page_path: '/blog/**' },
  { name: 'Download', kind: 'event' as const, event_name: 'Download', page_path: '' },
];

interface Session {
  site: string;
  sid: string;
  vid: string;
  start: number;
  end: number;
  pageviews: number;
  interactive: number;
  entry: string;
  exit: string;
  host: string;
  attrs: Attrs;
}

const sessions = new Map<string, Session>();
for (const e of ALL) {
  let s = sessions.get(e.sid);
  if (!s) {
    s = { site: e.site, sid: e.sid, vid: e.vid, start: e.ts, end: e.ts, pageviews: 0, interactive: 0, entry: '', exit: '', host: e.host, attrs: e.attrs };
    sessions.set(e.sid, s);
  }
  s.end = Math.max(s.end, e.ts);
  if (e.name === 'pageview') {
    s.pageviews++;
    if (!s.entry) s.entry = e.path;
    s.exit = e.path;
  } else if (e.name !== 'engagement' && e.interactive) s.interactive++;
}

/** A filter as a test writes it: property, negated, alternatives (with `*`/`**`). */
type TF = [property: string, negated: boolean, values: string[]];

const LABELS: Record<string, string> = { 'visit:source': 'Direct / None', 'visit:referrer': 'Direct / None' };
const ATTR: Record<string, keyof Attrs> = {
  'visit:source': 'referrer_source',
  'visit:referrer': 'referrer',
  'visit:channel': 'channel',
  'visit:utm_medium': 'utm_medium',
  'visit:utm_source': 'utm_source',
  'visit:utm_campaign': 'utm_campaign',
  'visit:utm_content': 'utm_content',
  'visit:utm_term': 'utm_term',
  'visit:device': 'device',
  'visit:browser': 'browser',
  'visit:browser_version': 'browser_version',
  'visit:os': 'os',
  'visit:os_version': 'os_version',
  'visit:country': 'country_code',
  'visit:region': 'region',
  'visit:city': 'city',
};

function globMatch(pattern: string, s: string): boolean {
  // Independent of the implementation: walk the pattern by hand.
  const go = (pi: number, si: number): boolean => {
    if (pi === pattern.length) return si === s.length;
    if (pattern.startsWith('**', pi)) {
      for (let k = si; k <= s.length; k++) if (go(pi + 2, k)) return true;
      return false;
    }
    if (pattern[pi] === '*') {
      for (let k = si; k <= s.length; k++) {
        if (go(pi + 1, k)) return true;
        if (s[k] === '/') return false;
      }
      return false;
    }
    return si < s.length && s[si] === pattern[pi] && go(pi + 1, si + 1);
  };
  return go(0, 0);
}

const valueMatches = (values: string[], v: string) => values.some((x) => (x.includes('*') ? globMatch(x, v) : x === v));

function completesGoal(e: Ev, goal: string): boolean {
  if (goal.startsWith('Visit ')) return e.name === 'pageview' && globMatch(goal.slice(6), e.path);
  return e.name === goal;
}

/** The value of a property for an event (visit properties: of its visit). */
function eventValue(e: Ev, property: string): string | undefined {
  if (property === 'event:page') return e.path;
  if (property === 'event:hostname') return e.host;
  if (property === 'event:name') return e.name;
  if (property === 'visit:entry_page') return sessions.get(e.sid)!.entry;
  if (property === 'visit:exit_page') return sessions.get(e.sid)!.exit;
  if (property.startsWith('event:props:')) return e.props[property.slice(12)];
  return e.attrs[ATTR[property]!];
}

function eventPasses(e: Ev, [property, negated, values]: TF): boolean {
  let hit: boolean;
  if (property === 'event:goal') hit = values.some((g) => completesGoal(e, g));
  else if (property.startsWith('event:props:')) {
    const v = eventValue(e, property);
    hit = values.some((x) => (x === '(none)' ? v === undefined : v !== undefined && valueMatches([x], v)));
  } else {
    const v = eventValue(e, property)!;
    const label = LABELS[property];
    hit = valueMatches(values, v) || (label !== undefined && v === '' && values.includes(label));
  }
  return negated ? !hit : hit;
}

interface Range {
  site: string;
  from: number;
  to: number;
}

const eventsIn = (r: Range, filters: TF[]) =>
  ALL.filter((e) => e.site === r.site && e.ts >= r.from && e.ts < r.to && e.name !== 'engagement' && filters.every((f) => eventPasses(e, f)));

/** Visitor ids are salted per UTC day: a visitor on two days is two visitors (as in Plausible). */
const dailyVisitors = (xs: { vid: string; at: number }[]) => new Set(xs.map((x) => `${new Date(x.at).toISOString().slice(0, 10)} ${x.vid}`)).size;

function eventMetrics(evs: Ev[]) {
  return {
    visitors: dailyVisitors(evs.map((e) => ({ vid: e.vid, at: e.ts }))),
    pageviews: evs.filter((e) => e.name === 'pageview').length,
    events: evs.length,
  };
}

function visitsIn(r: Range, filters: TF[]): Session[] {
  const eventFilters = filters.filter(([p]) => p === 'event:page' || p === 'event:hostname');
  const withEvent = new Set(eventsIn(r, eventFilters).map((e) => e.sid));
  return [...sessions.values()].filter((s) => {
    if (s.site !== r.site || s.start < r.from || s.start >= r.to) return false;
    if (eventFilters.length && !withEvent.has(s.sid)) return false;
    return filters.every(([p, negated, values]) => {
      if (p === 'event:page' || p === 'event:hostname') return true;
      const v = p === 'visit:entry_page' ? s.entry : p === 'visit:exit_page' ? s.exit : s.attrs[ATTR[p]!];
      const hit = valueMatches(values, v) || (LABELS[p] !== undefined && v === '' && values.includes(LABELS[p]!));
      return negated ? !hit : hit;
    });
  });
}

const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));

function visitMetrics(visits: Session[], pageFilter?: TF) {
  const n = visits.length;
  const base = pageFilter ? visits.filter((s) => valueMatches(pageFilter[2], s.entry) !== pageFilter[1]) : visits;
  const bounces = base.filter((s) => s.pageviews === 1 && s.interactive === 0).length;
  const durMs = visits.reduce((a, s) => a + (s.end - s.start), 0);
  const pv = visits.reduce((a, s) => a + s.pageviews, 0);
  return {
    visits: n,
    bounce_rate: base.length ? halfUp(100 * bounces, base.length) : 0,
    visit_duration: n ? halfUp(durMs, 1000 * n) : 0,
    views_per_visit: n ? halfUp(100 * pv, n) / 100 : 0,
    visitors: dailyVisitors(visits.map((s) => ({ vid: s.vid, at: s.start }))),
    pageviews: pv,
  };
}

const rate = (part: number, whole: number) => (whole ? Math.floor((2000 * part + whole) / (2 * whole)) / 10 : 0);
const SESSION = new Set(['visits', 'bounce_rate', 'visit_duration', 'views_per_visit']);
const withoutGoals = (filters: TF[]) => filters.filter(([p]) => p !== 'event:goal' && !p.startsWith('event:props:'));

type Values = { [K in Metric]?: number };

function refValues(r: Range, filters: TF[], metrics: Metric[]): Values {
  const e = eventMetrics(eventsIn(r, filters));
  const v = metrics.some((m) => SESSION.has(m)) ? visitMetrics(visitsIn(r, filters), filters.find(([p]) => p === 'event:page')) : null;
  const out: Values = {};
  for (const m of metrics) {
    if (m === 'conversion_rate') out[m] = rate(e.visitors, eventMetrics(eventsIn(r, withoutGoals(filters))).visitors);
    else out[m] = SESSION.has(m) ? v![m as keyof typeof v] : e[m as keyof typeof e];
  }
  return out;
}

function pctChange(prev: number, cur: number): number {
  if (prev === 0) return cur > 0 ? 100 : 0;
  const x = ((cur - prev) / prev) * 100;
  return Math.sign(x) * Math.round(Math.abs(x));
}

const DISPLAY: Record<string, { key: string; empty: 'drop' | string }> = {
  'event:page': { key: 'page', empty: 'keep' },
  'event:hostname': { key: 'hostname', empty: 'keep' },
  'event:name': { key: 'name', empty: 'keep' },
  'visit:entry_page': { key: 'entry_page', empty: 'drop' },
  'visit:exit_page': { key: 'exit_page', empty: 'drop' },
  'visit:source': { key: 'source', empty: 'Direct / None' },
  'visit:referrer': { key: 'referrer', empty: 'Direct / None' },
  'visit:channel': { key: 'channel', empty: '(not set)' },
  'visit:device': { key: 'device', empty: '(not set)' },
  'visit:browser': { key: 'browser', empty: '(not set)' },
  'visit:browser_version': { key: 'browser_version', empty: '(not set)' },
  'visit:os': { key: 'os', empty: '(not set)' },
  'visit:os_version': { key: 'os_version', empty: '(not set)' },
};
const display = (p: string) =>
  DISPLAY[p] ?? (p.startsWith('event:props:') ? { key: p.slice(12), empty: 'keep' } : { key: p.slice(6), empty: 'drop' });

function shown(p: string, v: string | undefined): string | null {
  if (p.startsWith('event:props:')) return v === undefined ? '(none)' : v;
  const d = display(p);
  if (v !== '' || d.empty === 'keep') return v!;
  return d.empty === 'drop' ? null : d.empty;
}

function refBreakdown(r: Range, property: string, metrics: Metric[], filters: TF[], limit = 100, page = 1) {
  const parent = property === 'visit:browser_version' ? 'visit:browser' : property === 'visit:os_version' ? 'visit:os' : null;
  const key = (values: (string | null)[]) => values.join('\u0000');
  const groups = new Map<string, { labels: (string | null)[]; events: Ev[]; visits: Session[] }>();
  const group = (labels: (string | null)[]) => {
    const k = key(labels);
    if (!groups.has(k)) groups.set(k, { labels, events: [], visits: [] });
    return groups.get(k)!;
  };
  const sessionScoped = property === 'visit:entry_page' || property === 'visit:exit_page';
  if (property === 'event:goal') {
    const wanted = GOALS.filter((g) => filters.every(([p, neg, vs]) => p !== 'event:goal' || vs.includes(g.name) !== neg));
    for (const g of wanted) group([null, g.name]).events.push(...eventsIn(r, filters).filter((e) => completesGoal(e, g.name)));
  } else if (!sessionScoped) {
    for (const e of eventsIn(r, filters)) {
      const labels = [parent ? shown(parent, eventValue(e, parent)) : null, shown(property, eventValue(e, property))];
      if (labels[1] !== null) group(labels).events.push(e);
    }
  }
  if (metrics.some((m) => SESSION.has(m)) || sessionScoped) {
    for (const s of visitsIn(r, filters)) {
      const v = property === 'visit:entry_page' || property === 'event:page' ? s.entry : property === 'visit:exit_page' ? s.exit : s.attrs[ATTR[property]!];
      const labels = [parent ? shown(parent, s.attrs[ATTR[parent]!]) : null, shown(property === 'event:page' ? 'visit:entry_page' : property, v)];
      if (labels[1] !== null && (groups.has(key(labels)) || sessionScoped)) group(labels).visits.push(s);
    }
  }
  const totalVisitors = eventMetrics(eventsIn(r, withoutGoals(filters))).visitors;
  // Rows come from the family of the first metric: with a visit metric first, groups without visits are not rows.
  const listed = [...groups.values()].filter((g) => !SESSION.has(metrics[0]!) || g.visits.length > 0);
  const rows = listed.map((g) => {
    const e = eventMetrics(g.events);
    const v = visitMetrics(g.visits, filters.find(([p]) => p === 'event:page'));
    const out: Record<string, string | number> = {};
    if (parent) out[display(parent).key] = g.labels[0]!;
    out[display(property).key] = g.labels[1]!;
    for (const m of metrics) {
      if (m === 'conversion_rate') {
        const whole =
          property === 'event:goal' || property.startsWith('event:props:')
            ? totalVisitors
            : eventMetrics(eventsIn(r, withoutGoals(filters)).filter((x) => shown(property, eventValue(x, property)) === g.labels[1])).visitors;
        out[m] = rate(e.visitors, whole);
      } else out[m] = SESSION.has(m) || sessionScoped ? v[m as keyof typeof v] : e[m as keyof typeof e];
    }
    return out;
  });
  const byte = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const first = metrics[0]!;
  rows.sort(
    (a, b) =>
      (b[first] as number) - (a[first] as number) ||
      (parent ? byte(a[display(parent).key] as string, b[display(parent).key] as string) : 0) ||
      byte(a[display(property).key] as string, b[display(property).key] as string),
  );
  return rows.slice((page - 1) * limit, page * limit);
}

// ---------------------------------------------------------------------------
// Harness

let tmp = '';
let db: Db;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-stats-'));
  const { openDb } = await import('../../db/client');
  const { loadConfig } = await import('../../lib/config');
  const { migrate } = await import('../../db/migrate');
  const { upsertSite } = await import('../../db/sites');
  db = await openDb(loadConfig({ ...process.env, DATA_DIR: tmp }));
  await migrate(db);
  await upsertSite(db, { domain: SITE, timezone: 'UTC' });
  await upsertSite(db, { domain: NY, timezone: 'America/New_York' });
  for (const g of GOALS) await addGoal(db, SITE, g.kind === 'event' ? { kind: 'event', event_name: g.event_name } : { kind: 'page', page_path: g.page_path });
  // In time order and in batches, as the worker writes: visits spanning batches get several `sessions` rows.
  for (let i = 0; i < ALL.length; i += 97) await db.insert('events', ALL.slice(i, i + 97).map(row));
  // Visits that started before (newest event − 1 day) go to the visit rollup; the rest stay in `sessions`.
  await refreshRollups(db);
}, 180_000);

afterAll(async () => {
  await db?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const MARCH = { from: '2024-03-01', to: '2024-03-31' };
const marchUtc: Range = { site: SITE, from: T('2024-03-01T00:00:00Z'), to: T('2024-04-01T00:00:00Z') };
const ALL_METRICS: Metric[] = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration', 'events'];

const q = (over: Partial<StatsQuery>): StatsQuery => ({
  site: SITE,
  timezone: 'UTC',
  range: MARCH,
  metrics: ['visitors'],
  filters: [],
  ...over,
});

const F = (expr: string) => parseFilters(expr);

describe('the seeded stream', () => {
  it('exercises visits over several batches, bounces, engagement and custom events', async () => {
    const rows = await db.query<{ n: string }>(`SELECT toString(count()) AS n FROM (SELECT session_id FROM sessions GROUP BY session_id HAVING count() > 1)`);
    expect(Number(rows[0]!.n)).toBeGreaterThan(3);
    const v = visitsIn(marchUtc, []);
    expect(v.length).toBeGreaterThan(100);
    expect(v.some((s) => s.pageviews === 1 && s.interactive === 0)).toBe(true);
    expect(eventMetrics(eventsIn(marchUtc, [])).visitors).toBeLessThan(200); // uniqCombined(12) is exact below ~200
    const done = await db.query<{ h: string }>(`SELECT toString(max(hour)) AS h FROM visit_stats_hourly WHERE dim = '#done'`);
    const newest = Math.max(...ALL.map((e) => e.ts));
    // Up to the oldest visit still open at the newest event, at most an hour before it, at least a day.
    const open = [...sessions.values()].filter((x) => x.end > newest - 30 * 60_000).map((x) => x.start);
    const settled = Math.max(newest - DAY, Math.min(newest - HOUR, ...open));
    expect(open.length).toBeGreaterThan(0);
    expect(done[0]!.h).toBe(new Date(Math.floor(settled / HOUR) * HOUR).toISOString().slice(0, 19).replace('T', ' '));
    expect(T(done[0]!.h.replace(' ', 'T') + 'Z')).toBeGreaterThan(marchUtc.from);
    // Closed days: the UTC days that ended an hour before the newest event, and the whole days of the visit rollup.
    const closed = await db.query<{ e: string; v: string }>(
      `SELECT (SELECT toString(max(day)) FROM stats_closed_daily WHERE dim = '#done') AS e,
              (SELECT toString(max(day)) FROM visit_stats_closed_daily WHERE dim = '#done') AS v`,
    );
    expect(closed[0]).toEqual({ e: new Date(newest - HOUR).toISOString().slice(0, 10), v: done[0]!.h.slice(0, 10) });
  });
});

describe.each([
  ['rollups', true, false],
  ['rollups, settled parts kept', true, true],
  ['raw tables', false, false],
])('reports from %s', (_label, rollups, kept) => {
  const opts = { rollups };
  // Kept: each test runs twice, the second time from the settled parts its first run kept (settled.ts).
  const it = kept
    ? (name: string, fn: () => Promise<void>) =>
        vitestIt(name, async () => {
          forgetSettled(db);
          await fn();
          await settledIdle(db);
          await fn();
        })
    : vitestIt;

  it('aggregate: every metric', async () => {
    const got = await aggregate(db, q({ metrics: ALL_METRICS }), opts);
    const want = refValues(marchUtc, [], ALL_METRICS);
    expect(got).toEqual({ results: Object.fromEntries(ALL_METRICS.map((m) => [m, { value: want[m] }])) });
  });

  it('aggregate: compare=previous_period', async () => {
    const got = await aggregate(db, q({ metrics: ALL_METRICS }), { ...opts, compare: 'previous_period' });
    const cur = refValues(marchUtc, [], ALL_METRICS);
    const prev = refValues({ site: SITE, from: T('2024-01-30T00:00:00Z'), to: T('2024-03-01T00:00:00Z') }, [], ALL_METRICS);
    const want = Object.fromEntries(
      ALL_METRICS.map((m) => [
        m,
        { value: cur[m], comparison_value: prev[m], change: m === 'bounce_rate' ? cur[m]! - prev[m]! : pctChange(prev[m]!, cur[m]!) },
      ]),
    );
    expect(got).toEqual({ results: want });
    expect(prev.visitors).toBeGreaterThan(0);
  });

  const FILTERS: [string, TF[]][] = [
    ['event:page==/blog/**', [['event:page', false, ['/blog/**']]]],
    ['event:page==/blog/*', [['event:page', false, ['/blog/*']]]],
    ['event:page!=/blog/**', [['event:page', true, ['/blog/**']]]],
    ['event:page==/|/pricing', [['event:page', false, ['/', '/pricing']]]],
    ['visit:country==DE|FR', [['visit:country', false, ['DE', 'FR']]]],
    ['visit:source!=Google', [['visit:source', true, ['Google']]]],
    ['visit:source==Direct / None', [['visit:source', false, ['Direct / None']]]],
    ['visit:browser==Chrome;visit:os!=Android', [['visit:browser', false, ['Chrome']], ['visit:os', true, ['Android']]]],
    ['visit:utm_campaign==launch', [['visit:utm_campaign', false, ['launch']]]],
    ['visit:entry_page==/blog*', [['visit:entry_page', false, ['/blog*']]]],
    ['visit:exit_page==/', [['visit:exit_page', false, ['/']]]],
    ['event:hostname==blog.stats.test', [['event:hostname', false, ['blog.stats.test']]]],
    ['visit:city==Berlin|Paris;event:page==/docs**', [['visit:city', false, ['Berlin', 'Paris']], ['event:page', false, ['/docs**']]]],
  ];
  for (const [expr, tf] of FILTERS) {
    it(`aggregate with filter ${expr}`, async () => {
      const metrics: Metric[] = tf.some(([p]) => p === 'event:page')
        ? ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'events']
        : ALL_METRICS;
      const got = await aggregate(db, q({ metrics, filters: F(expr) }), opts);
      const want = refValues(marchUtc, tf, metrics);
      expect(got).toEqual({ results: Object.fromEntries(metrics.map((m) => [m, { value: want[m] }])) });
      expect(want.visitors).toBeGreaterThan(0);
    });
  }

  const EVENT_FILTERS: [string, TF[]][] = [
    ['event:goal==Signup', [['event:goal', false, ['Signup']]]],
    ['event:goal==Visit /blog/**', [['event:goal', false, ['Visit /blog/**']]]],
    ['event:goal==Signup|Download', [['event:goal', false, ['Signup', 'Download']]]],
    ['event:goal==Signup;event:props:plan==pro', [['event:goal', false, ['Signup']], ['event:props:plan', false, ['pro']]]],
    ['event:props:author==(none)', [['event:props:author', false, ['(none)']]]],
    ['event:name==Video Autoplay', [['event:name', false, ['Video Autoplay']]]],
  ];
  for (const [expr, tf] of EVENT_FILTERS) {
    it(`aggregate with event filter ${expr}`, async () => {
      const metrics: Metric[] = ['visitors', 'events', 'pageviews', ...(expr.includes('goal') ? (['conversion_rate'] as Metric[]) : [])];
      const got = await aggregate(db, q({ metrics, filters: F(expr) }), opts);
      const want = refValues(marchUtc, tf, metrics);
      expect(got).toEqual({ results: Object.fromEntries(metrics.map((m) => [m, { value: want[m] }])) });
      expect(want.events).toBeGreaterThan(0);
    });
  }

  it('timeseries by date: zero-filled, every metric', async () => {
    const range = { from: '2024-03-25', to: '2024-04-02' };
    const got = await timeseries(db, q({ range, metrics: ALL_METRICS, interval: 'date' }), opts);
    const want = [];
    for (let d = T('2024-03-25T00:00:00Z'); d <= T('2024-04-02T00:00:00Z'); d += DAY) {
      want.push({ date: new Date(d).toISOString().slice(0, 10), ...refValues({ site: SITE, from: d, to: d + DAY }, [], ALL_METRICS) });
    }
    expect(got).toEqual({ results: want });
    expect(want.at(-1)!.visitors).toBe(0);
  });

  it('timeseries by month, filtered', async () => {
    const got = await timeseries(db, q({ range: { from: '2024-01-01', to: '2024-03-31' }, metrics: ['visitors', 'pageviews', 'visits'], interval: 'month', filters: F('visit:source==Google') }), opts);
    const months = [T('2024-01-01T00:00:00Z'), T('2024-02-01T00:00:00Z'), T('2024-03-01T00:00:00Z'), T('2024-04-01T00:00:00Z')];
    const want = months.slice(0, 3).map((m, i) => ({
      date: new Date(m).toISOString().slice(0, 10),
      ...refValues({ site: SITE, from: m, to: months[i + 1]! }, [['visit:source', false, ['Google']]], ['visitors', 'pageviews', 'visits']),
    }));
    expect(got).toEqual({ results: want });
  });

  it('timeseries by hour for a day, with a goal conversion rate', async () => {
    const got = await timeseries(db, q({ range: { from: '2024-03-14', to: '2024-03-14' }, metrics: ['visitors', 'conversion_rate'], interval: 'hour', filters: F('event:goal==Visit /blog/**') }), opts);
    const want = Array.from({ length: 24 }, (_, h) => {
      const from = T('2024-03-14T00:00:00Z') + h * HOUR;
      return { date: `2024-03-14 ${String(h).padStart(2, '0')}:00:00`, ...refValues({ site: SITE, from, to: from + HOUR }, [['event:goal', false, ['Visit /blog/**']]], ['visitors', 'conversion_rate']) };
    });
    expect(got).toEqual({ results: want });
  });

  const PROPERTIES = [
    'event:page',
    'event:hostname',
    'event:name',
    'visit:entry_page',
    'visit:exit_page',
    'visit:source',
    'visit:referrer',
    'visit:channel',
    'visit:utm_medium',
    'visit:utm_source',
    'visit:utm_campaign',
    'visit:utm_content',
    'visit:utm_term',
    'visit:device',
    'visit:browser',
    'visit:browser_version',
    'visit:os',
    'visit:os_version',
    'visit:country',
    'visit:region',
    'visit:city',
    'event:props:author',
    'event:props:plan',
  ];
  for (const property of PROPERTIES) {
    it(`breakdown by ${property}`, async () => {
      const metrics: Metric[] = property.startsWith('visit:') && !property.endsWith('_page') ? ['visitors', 'pageviews', 'events', 'visits', 'bounce_rate', 'visit_duration'] : property.endsWith('_page') ? ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'] : ['visitors', 'pageviews', 'events'];
      const got = await breakdown(db, q({ dimension: property, metrics }), opts);
      const want = refBreakdown(marchUtc, property, metrics, []);
      expect(got).toEqual({ results: want });
      expect(want.length).toBeGreaterThan(0);
    });
  }

  it('breakdown by event:page with visit metrics (entry-page visits, as Plausible)', async () => {
    const metrics: Metric[] = ['visits', 'visitors', 'bounce_rate'];
    const got = await breakdown(db, q({ dimension: 'event:page', metrics }), opts);
    expect(got).toEqual({ results: refBreakdown(marchUtc, 'event:page', metrics, []) });
  });

  it('breakdown by goal: configured goals, conversions and conversion rate', async () => {
    const metrics: Metric[] = ['visitors', 'events', 'conversion_rate'];
    const got = await breakdown(db, q({ dimension: 'event:goal', metrics }), opts);
    const want = refBreakdown(marchUtc, 'event:goal', metrics, []);
    expect(want.map((r) => r.goal).sort()).toEqual(['Download', 'Signup', 'Visit /blog/**']);
    expect(got).toEqual({ results: want });
  });

  it('breakdown by goal with a goal filter, and by prop within a goal', async () => {
    const metrics: Metric[] = ['visitors', 'conversion_rate'];
    expect(await breakdown(db, q({ dimension: 'event:goal', metrics, filters: F('event:goal==Signup|Download') }), opts)).toEqual({
      results: refBreakdown(marchUtc, 'event:goal', metrics, [['event:goal', false, ['Signup', 'Download']]]),
    });
    expect(await breakdown(db, q({ dimension: 'event:props:plan', metrics, filters: F('event:goal==Signup') }), opts)).toEqual({
      results: refBreakdown(marchUtc, 'event:props:plan', metrics, [['event:goal', false, ['Signup']]]),
    });
  });

  it('breakdown sorted by conversion rate per source (a different denominator per row)', async () => {
    const metrics: Metric[] = ['conversion_rate', 'visitors'];
    const got = await breakdown(db, q({ dimension: 'visit:source', metrics, filters: F('event:goal==Signup') }), opts);
    expect(got).toEqual({ results: refBreakdown(marchUtc, 'visit:source', metrics, [['event:goal', false, ['Signup']]]) });
  });

  it('breakdown with filters on the same and other dimensions', async () => {
    const cases: [string, string, TF[]][] = [
      ['event:page', 'event:page==/blog/**', [['event:page', false, ['/blog/**']]]],
      ['event:page', 'visit:country==DE', [['visit:country', false, ['DE']]]],
      ['visit:browser_version', 'visit:browser==Chrome', [['visit:browser', false, ['Chrome']]]],
      ['visit:country', 'event:page!=/', [['event:page', true, ['/']]]],
      ['visit:source', 'visit:entry_page==/blog**', [['visit:entry_page', false, ['/blog**']]]],
    ];
    for (const [property, expr, tf] of cases) {
      const got = await breakdown(db, q({ dimension: property, metrics: ['visitors', 'pageviews'], filters: F(expr) }), opts);
      expect({ property, expr, got: got.results }).toEqual({ property, expr, got: refBreakdown(marchUtc, property, ['visitors', 'pageviews'], tf) });
    }
  });

  it('breakdown pages: limit and page', async () => {
    const all = refBreakdown(marchUtc, 'event:page', ['pageviews', 'visitors'], []);
    const p2 = await breakdown(db, q({ dimension: 'event:page', metrics: ['pageviews', 'visitors'], limit: 3, page: 2 }), opts);
    expect(p2).toEqual({ results: all.slice(3, 6) });
    const bounce = await breakdown(db, q({ dimension: 'visit:source', metrics: ['bounce_rate', 'visitors'], limit: 2 }), opts);
    expect(bounce).toEqual({ results: refBreakdown(marchUtc, 'visit:source', ['bounce_rate', 'visitors'], [], 2) });
  });

  it('New York site: days, hours and months in the site time zone', async () => {
    const ny = (over: Partial<StatsQuery>) => q({ site: NY, timezone: 'America/New_York', ...over });
    const days = await timeseries(db, ny({ range: { from: '2024-01-10', to: '2024-01-14' }, metrics: ['visitors', 'visits', 'pageviews'], interval: 'date' }), opts);
    const want = [];
    for (let d = 10; d <= 14; d++) {
      const from = T(`2024-01-${d}T05:00:00Z`);
      want.push({ date: `2024-01-${d}`, ...refValues({ site: NY, from, to: from + DAY }, [], ['visitors', 'visits', 'pageviews']) });
    }
    expect(days).toEqual({ results: want });
    // The same days in UTC would differ: the stream has traffic between 00:00 and 05:00 UTC.
    const utcDays = want.map((w, i) => refValues({ site: NY, from: T(`2024-01-${10 + i}T00:00:00Z`), to: T(`2024-01-${11 + i}T00:00:00Z`) }, [], ['pageviews']).pageviews);
    expect(utcDays).not.toEqual(want.map((w) => w.pageviews));

    const month = await aggregate(db, ny({ range: { from: '2024-01-01', to: '2024-01-31' }, metrics: ['visitors', 'visits', 'bounce_rate'] }), opts);
    const m = refValues({ site: NY, from: T('2024-01-01T05:00:00Z'), to: T('2024-02-01T05:00:00Z') }, [], ['visitors', 'visits', 'bounce_rate']);
    expect(month).toEqual({ results: { visitors: { value: m.visitors }, visits: { value: m.visits }, bounce_rate: { value: m.bounce_rate } } });

    // 2024-03-10: clocks go forward at 02:00 local; 23 hourly buckets, none labelled 02:00.
    const dst = await timeseries(db, ny({ range: { from: '2024-03-10', to: '2024-03-10' }, metrics: ['pageviews'], interval: 'hour' }), opts);
    const starts = [...Array.from({ length: 2 }, (_, h) => T('2024-03-10T05:00:00Z') + h * HOUR), ...Array.from({ length: 21 }, (_, h) => T('2024-03-10T07:00:00Z') + h * HOUR)];
    const labels = [0, 1, ...Array.from({ length: 21 }, (_, h) => h + 3)].map((h) => `2024-03-10 ${String(h).padStart(2, '0')}:00:00`);
    expect(dst).toEqual({ results: starts.map((s, i) => ({ date: labels[i], pageviews: refValues({ site: NY, from: s, to: s + HOUR }, [], ['pageviews']).pageviews })) });
    expect(dst.results.reduce((a, r) => a + (r.pageviews ?? 0), 0)).toBeGreaterThan(0);

    const pages = await breakdown(db, ny({ range: { from: '2024-01-01', to: '2024-01-31' }, dimension: 'event:page', metrics: ['visitors'] }), opts);
    expect(pages).toEqual({ results: refBreakdown({ site: NY, from: T('2024-01-01T05:00:00Z'), to: T('2024-02-01T05:00:00Z') }, 'event:page', ['visitors'], []) });
  });

  it('dashboard: every card in one call equals the separate reports', async () => {
    for (const expr of ['', 'visit:country==DE', 'event:goal==Signup', 'event:page==/blog/**']) {
      const filters = F(expr);
      const got = await dashboard(db, { site: SITE, timezone: 'UTC', range: MARCH, filters, interval: 'date', compare: true, limit: 5 }, opts);
      const eventOnly = expr.startsWith('event:goal');
      const top: Metric[] = eventOnly
        ? ['visitors', 'events', 'conversion_rate']
        : ['visitors', 'pageviews', 'visits', 'bounce_rate', 'visit_duration', ...(expr.startsWith('event:page') ? [] : (['views_per_visit'] as Metric[]))];
      expect({ expr, top: got.top_stats }).toEqual({ expr, top: (await aggregate(db, q({ metrics: top, filters }), { ...opts, compare: 'previous_period' })).results });
      expect(got.timeseries).toEqual((await timeseries(db, q({ filters, interval: 'date' }), opts)).results);
      const cards: [string, Metric[]][] = [
        ...EVENT_CARDS.map((p): [string, Metric[]] => [p, p === 'event:name' ? ['visitors', 'events'] : p === 'event:page' ? ['visitors', 'pageviews'] : ['visitors']]),
        ...(eventOnly ? [] : VISIT_CARDS.map((p): [string, Metric[]] => [p, ['visitors', 'visits']])),
        ['event:goal', ['visitors', 'events', 'conversion_rate']],
      ];
      // Cards the one call does not read are absent, so a reader never takes them for empty.
      expect(Object.keys(got.breakdowns).sort()).toEqual(cards.map(([p]) => p).sort());
      for (const [property, metrics] of cards) {
        const want = (await breakdown(db, q({ dimension: property, metrics, filters, limit: 5 }), opts)).results;
        expect({ expr, property, rows: got.breakdowns[property] }).toEqual({ expr, property, rows: want });
      }
    }
  });

  it('realtime: visitors in the last 5 minutes', async () => {
    const now = new Date('2024-03-31T23:50:00Z');
    const want = new Set(ALL.filter((e) => e.site === SITE && e.ts >= now.getTime() - 5 * 60_000 && e.ts <= now.getTime()).map((e) => e.vid)).size;
    expect(want).toBeGreaterThan(0);
    expect(await realtimeVisitors(db, SITE, { ...opts, now })).toBe(want);
  });
});

describe('rollups are used where they can answer', () => {
  const sources = async (fn: (trace: (b: BuiltQuery) => void) => Promise<unknown>) => {
    const seen: string[] = [];
    await fn((b) => seen.push(b.source));
    return seen;
  };
  it('top stats: event rollup, and visit rollup plus the newest visits from sessions', async () => {
    expect(await sources((trace) => aggregate(db, q({ metrics: ALL_METRICS }), { trace }))).toEqual(['rollup', 'rollup+raw']);
    expect(await sources((trace) => aggregate(db, q({ metrics: ALL_METRICS }), { trace, rollups: false }))).toEqual(['raw', 'raw']);
  });
  it('closed days as counts, the open day and the newest visits from sketches and sessions', async () => {
    const built: BuiltQuery[] = [];
    await aggregate(db, q({ metrics: ALL_METRICS }), { trace: (b) => built.push(b) });
    const [events, visits] = built.map((b) => b.sql);
    // Closed up to 2024-03-31 (the newest event is just after midnight on 1 April): March 1–30 from closed weeks and days.
    expect(events).toMatch(/FROM stats_closed_weekly/);
    expect(events).toMatch(/FROM stats_closed_daily/);
    expect(events).toMatch(/FROM stats_daily/);
    expect(visits).toMatch(/FROM visit_stats_closed_weekly/);
    expect(visits).toMatch(/FROM sessions/);
  });
  it('the settled part is kept: two-part results equal the one query, cold and warm', async () => {
    const built: BuiltQuery[] = [];
    const trace = (b: BuiltQuery) => built.push(b);
    const ny = { site: NY, timezone: 'America/New_York', range: { from: '2024-01-02', to: '2024-01-31' } };
    await dashboard(db, { ...ny, filters: [], interval: 'date', compare: true, limit: 5 }, { trace });
    await dashboard(db, { ...q({}), filters: [], interval: 'date', compare: true, limit: 5 }, { trace });
    await breakdown(db, q({ dimension: 'visit:browser_version', metrics: ['visitors', 'bounce_rate'], limit: 3, page: 2 }), { trace });
    await breakdown(db, q({ dimension: 'event:goal', metrics: ['visitors', 'events'], filters: F('event:goal==Signup|Visit /blog/**') }), { trace });
    await aggregate(db, q({ metrics: ['visitors', 'pageviews'], filters: F('event:page==/blog/**') }), { trace });
    const split = built.filter((b) => b.settled);
    expect(split.length).toBeGreaterThan(10);
    expect(split.some((b) => b.settled!.finish.order?.limitBy)).toBe(true);
    expect(split.some((b) => b.settled!.finish.order?.offset)).toBe(true);
    expect(split.some((b) => b.settled!.live === null)).toBe(true); // all of March is settled for the visits
    // Counts the settled SQL each run issues.
    const issued: string[] = [];
    const counting: Db = { ...db, query: (sql, params) => (issued.push(sql), db.query(sql, params)) };
    for (const b of split) {
      const want = await db.query<Record<string, unknown>>(b.sql, b.params);
      const ordered = !!b.settled!.finish.order;
      const norm = (rows: Record<string, unknown>[]) => {
        const text = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))));
        return ordered ? text : text.sort();
      };
      forgetSettled(counting);
      issued.length = 0;
      // First: the one query answers; the settled part is read once nothing else is in flight.
      expect(norm(await runBuilt(counting, b))).toEqual(norm(want));
      expect(issued).toEqual([b.sql]);
      await settledIdle(counting);
      expect(issued).toEqual([b.sql, b.settled!.sql]);
      issued.length = 0;
      // Then: the kept settled rows and the live part.
      expect(norm(await runBuilt(counting, b))).toEqual(norm(want));
      expect(issued).toEqual(b.settled!.live ? [b.settled!.live] : []);
    }
  });
  it('the dashboard reads the newest visits once for both visit queries, with the numbers of the raw tables', async () => {
    // Through 1 April: the visit rollup's marker falls inside the period, so both visit queries have a live part.
    const range = { from: '2024-03-02', to: '2024-04-01' };
    const dq = { site: SITE, timezone: 'UTC', range, filters: [], interval: 'date' as const, compare: true, limit: 5 };
    const issued: string[] = [];
    const counting: Db = { ...db, query: (sql, params) => (issued.push(sql), db.query(sql, params)) };
    forgetSettled(counting);
    const first = await dashboard(counting, dq);
    await settledIdle(counting);
    issued.length = 0;
    const kept = await dashboard(counting, dq);
    expect(issued.filter((sql) => /FROM sessions/.test(sql))).toHaveLength(1);
    expect(kept).toEqual(first);
    const visitTop: Metric[] = ['visits', 'bounce_rate', 'visit_duration', 'views_per_visit'];
    const raw = { rollups: false };
    const top = await aggregate(db, q({ range, metrics: visitTop }), { ...raw, compare: 'previous_period' });
    for (const m of visitTop) expect({ m, v: kept.top_stats[m] }).toEqual({ m, v: top.results[m] });
    for (const property of VISIT_CARDS) {
      const want = await breakdown(db, q({ range, dimension: property, metrics: ['visitors', 'visits'], limit: 5 }), raw);
      expect({ property, rows: kept.breakdowns[property] }).toEqual({ property, rows: want.results });
    }
  });
  it('a kept settled part is renewed in use, and read anew after its lifetime, for another site or after forgetting', async () => {
    const built: BuiltQuery[] = [];
    await aggregate(db, q({ metrics: ['visitors'] }), { trace: (b) => built.push(b) });
    const b = built[0]!;
    const issued: string[] = [];
    const counting: Db = { ...db, query: (sql, params) => (issued.push(sql), db.query(sql, params)) };
    const run = async (q: BuiltQuery, nowMs?: number) => {
      await runBuilt(counting, q, nowMs);
      await settledIdle(counting);
    };
    const reads = () => issued.filter((x) => x === b.settled!.sql).length;
    const t0 = Date.now();
    const MIN = 60_000;
    await run(b);
    await run(b); // kept
    expect(reads()).toBe(1);
    // Embedded, a part lives an hour; past half of it, it still answers and is read anew behind the request.
    issued.length = 0;
    await run(b, t0 + 31 * MIN);
    expect(issued).not.toContain(b.sql);
    expect(reads()).toBe(1);
    await run(b, t0 + 32 * MIN); // the renewed part
    await run(b, t0 + 31 * MIN + 61 * MIN); // past the renewed part's lifetime
    expect(reads()).toBe(2);
    const siteParam = Object.keys(b.params).find((k) => b.params[k] === SITE)!;
    await run({ ...b, params: { ...b.params, [siteParam]: 'other.test' } }); // another site: another key
    forgetSettled(counting); // what a refresh, a rebuild or a site deletion does
    await run(b);
    expect(reads()).toBe(4);
    // Against a ClickHouse server (scale-out), a part lives 10 minutes: other processes may rebuild or delete.
    const server: Db = { ...counting, embedded: false };
    issued.length = 0;
    await run2(server, b);
    await run2(server, b, t0 + 11 * MIN);
    expect(reads()).toBe(2);
    async function run2(d: Db, q: BuiltQuery, nowMs?: number) {
      await runBuilt(d, q, nowMs);
      await settledIdle(d);
    }
  });
  it('when the rollup marks move, the kept settled parts are read under the new marks before they are served', async () => {
    forgetSettled(db);
    const marks = await rollupMarks(db);
    const opts = { rollups: true, visitMarks: marks.visit, closed: marks.closed };
    const issued: string[] = [];
    const counting: Db = { ...db, query: (sql, params) => (issued.push(sql), db.query(sql, params)) };
    const visits = buildVisitQuery({ site: SITE, timezone: 'UTC', ...utcBounds(MARCH, 'UTC'), filters: [] }, { kind: 'total' }, ['visits', 'bounce_rate'], opts);
    const events = buildEventQuery({ site: SITE, timezone: 'UTC', ...utcBounds(MARCH, 'UTC'), filters: [] }, { kind: 'total' }, ['visitors'], opts);
    for (const b of [visits, events]) {
      await runBuilt(counting, b);
      await settledIdle(counting);
    }
    // Nothing moved: nothing to read.
    issued.length = 0;
    await prepareMarks(counting, opts);
    expect(issued).toEqual([]);
    // The visit marker moves (a day apart here; any other mark would do): only the visit query reads its settled part again.
    const moved = { ...opts, visitMarks: { ...marks.visit, hour: marks.visit.hour - 86_400_000 } };
    const next = visits.rebuild!(moved);
    expect(next.params).not.toEqual(visits.params);
    expect(events.rebuild!(moved)).toMatchObject({ sql: events.sql, params: events.params });
    await prepareMarks(counting, moved);
    expect(issued).toEqual([next.settled!.sql]);
    // The first request under the new marks reads only its live part, with the one query's numbers.
    issued.length = 0;
    const got = await runBuilt(counting, next);
    expect(issued).toEqual([next.settled!.live]);
    expect(got).toEqual(await db.query(next.sql, next.params));
  });
  it('a period running past now reads up to the end of today, today as one day, with the same numbers', async () => {
    const newest = Math.max(...ALL.filter((e) => e.site === NY).map((e) => e.ts));
    const now = new Date(newest + 60_000);
    // New York, 5–10 March: ends 2024-03-11T04:00Z, after the newest event.
    const ny = (over: Partial<StatsQuery>) => q({ site: NY, timezone: 'America/New_York', range: { from: '2024-03-05', to: '2024-03-10' }, ...over });
    expect(newest).toBeLessThan(T('2024-03-11T04:00:00Z'));
    const built: BuiltQuery[] = [];
    const metrics: Metric[] = ['visitors', 'pageviews', 'events'];
    const got = await aggregate(db, ny({ metrics }), { now, trace: (b) => built.push(b) });
    const want = refValues({ site: NY, from: T('2024-03-05T05:00:00Z'), to: T('2024-03-11T04:00:00Z') }, [], metrics);
    expect(got).toEqual({ results: Object.fromEntries(metrics.map((m) => [m, { value: want[m] }])) });
    // The period is read up to the UTC midnight after now, today as one daily row.
    const midnight = new Date(Math.floor(now.getTime() / 86_400_000 + 1) * 86_400_000).toISOString().slice(0, 10);
    expect(midnight).toBe('2024-03-11');
    expect(Object.values(built[0]!.params)).toContain(midnight);
    expect(Object.values(built[0]!.params)).not.toContain('2024-03-12'); // the period's end, 04:00 on 11 March, rounded up
    const days = await timeseries(db, ny({ metrics, interval: 'date' }), { now });
    expect(days.results.at(-1)).toEqual({ date: '2024-03-10', ...refValues({ site: NY, from: T('2024-03-10T05:00:00Z'), to: T('2024-03-11T04:00:00Z') }, [], metrics) });
  });
  it('goals, event and pageview goals alike', async () => {
    expect(await sources((trace) => breakdown(db, q({ dimension: 'event:goal', metrics: ['visitors', 'events', 'conversion_rate'] }), { trace }))).toEqual(['rollup', 'rollup']);
    expect(await sources((trace) => aggregate(db, q({ metrics: ['visitors', 'conversion_rate'], filters: F('event:goal==Visit /blog/**') }), { trace }))).toEqual(['rollup', 'rollup']);
    expect(await sources((trace) => aggregate(db, q({ filters: F('event:goal==Signup|Visit /blog/**') }), { trace }))).toEqual(['raw']);
  });
  it('a filter on another dimension than the breakdown reads raw tables', async () => {
    expect(await sources((trace) => breakdown(db, q({ dimension: 'event:page', filters: F('visit:source==Google') }), { trace }))).toEqual(['raw']);
    expect(await sources((trace) => breakdown(db, q({ dimension: 'event:page', filters: F('event:page==/blog/**') }), { trace }))).toEqual(['rollup']);
  });
});

describe('goals for the Stats API', () => {
  it('are read at most every 10 seconds, and a change made in this process shows at once', async () => {
    const site = 'goals-cache.test';
    const issued: string[] = [];
    const counting: Db = { ...db, query: (sql, params) => (issued.push(sql), db.query(sql, params)) };
    const names = async (nowMs?: number) => (await goalsForStats(counting, site, nowMs)).map((g) => g.name);
    const t0 = Date.now();
    expect(await names(t0)).toEqual([]);
    expect(await names(t0 + 1_000)).toEqual([]);
    expect(issued).toHaveLength(1);
    await addGoal(counting, site, { kind: 'event', event_name: 'Signup' });
    expect(await names(t0 + 2_000)).toEqual(['Signup']);
    const [goal] = await goalsForStats(counting, site, t0 + 2_000);
    await deleteGoal(counting, site, goal!.id);
    expect(await names(t0 + 3_000)).toEqual([]);
    // A goal written by another process: seen once the 10 seconds are over.
    await addGoal(db, site, { kind: 'page', page_path: '/thanks' });
    expect(await names(t0 + 4_000)).toEqual([]);
    expect(await names(t0 + 14_000)).toEqual(['Visit /thanks']);
  });
});

describe('errors', () => {
  it('rejects metrics the query cannot answer, with Plausible messages', async () => {
    await expect(aggregate(db, q({ metrics: ['conversion_rate'] }))).rejects.toThrow('Metric `conversion_rate` can only be queried in a goal breakdown or with a goal filter');
    await expect(breakdown(db, q({ dimension: 'event:goal', metrics: ['bounce_rate'] }))).rejects.toThrow('Session metric `bounce_rate` cannot be queried for breakdown by `event:goal`.');
    await expect(aggregate(db, q({ metrics: ['visits'], filters: F('event:goal==Signup') }))).rejects.toThrow('Session metric `visits` cannot be queried when using a filter on `event:goal`.');
    await expect(aggregate(db, q({ metrics: ['visitors'], filters: F('event:goal==Nope') }))).rejects.toThrow('The goal `Nope` is not configured for this site.');
  });
});

// ---------------------------------------------------------------------------
// Through the route handler, with a fake access decision

describe('HTTP handler', () => {
  const deps = (access: StatsDeps['access'], signedIn = false): StatsDeps => ({
    get db() {
      return db;
    },
    access,
    signedIn: async () => signedIn,
    site: async (d) => (d === SITE ? { domain: SITE, timezone: 'UTC' } : d === NY ? { domain: NY, timezone: 'America/New_York' } : null),
    now: () => new Date('2024-03-31T23:50:00Z'),
  });
  const allow = deps(async () => 'owner');
  const get = (endpoint: Parameters<typeof handleStats>[0], query: string, d = allow, headers: Record<string, string> = {}) =>
    handleStats(endpoint, new Request(`http://sightline.test/api/v1/stats/${endpoint}?${query}`, { headers }), d);

  it('aggregate JSON with comparison', async () => {
    const res = await get('aggregate', `site_id=${SITE}&period=month&date=2024-03-15&metrics=visitors,bounce_rate&compare=previous_period`);
    expect(res.status).toBe(200);
    const cur = refValues(marchUtc, [], ['visitors', 'bounce_rate']);
    const prev = refValues({ site: SITE, from: T('2024-01-30T00:00:00Z'), to: T('2024-03-01T00:00:00Z') }, [], ['visitors', 'bounce_rate']);
    expect(await res.json()).toEqual({
      results: {
        visitors: { value: cur.visitors, comparison_value: prev.visitors, change: pctChange(prev.visitors!, cur.visitors!) },
        bounce_rate: { value: cur.bounce_rate, comparison_value: prev.bounce_rate, change: cur.bounce_rate! - prev.bounce_rate! },
      },
    });
  });

  it('7d period anchored by date, timeseries JSON and CSV', async () => {
    const json = await get('timeseries', `site_id=${SITE}&period=7d&date=2024-03-10&metrics=visitors,pageviews`);
    const want = Array.from({ length: 7 }, (_, i) => {
      const from = T('2024-03-04T00:00:00Z') + i * DAY;
      return { date: new Date(from).toISOString().slice(0, 10), ...refValues({ site: SITE, from, to: from + DAY }, [], ['visitors', 'pageviews']) };
    });
    expect(await json.json()).toEqual({ results: want });
    const csv = await get('timeseries', `site_id=${SITE}&period=7d&date=2024-03-10&metrics=visitors,pageviews`, allow, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toBe(['date,visitors,pageviews', ...want.map((w) => `${w.date},${w.visitors},${w.pageviews}`)].join('\r\n') + '\r\n');
  });

  it('breakdown JSON and CSV (format=csv), custom period and filters', async () => {
    const query = `site_id=${SITE}&period=custom&date=2024-03-01,2024-03-31&property=visit:source&metrics=visitors,bounce_rate&filters=${encodeURIComponent('visit:country==DE|FR')}&limit=5`;
    const want = refBreakdown(marchUtc, 'visit:source', ['visitors', 'bounce_rate'], [['visit:country', false, ['DE', 'FR']]], 5);
    expect(await (await get('breakdown', query)).json()).toEqual({ results: want });
    const csv = await (await get('breakdown', `${query}&format=csv`)).text();
    expect(csv).toBe(['source,visitors,bounce_rate', ...want.map((w) => `${w.source},${w.visitors},${w.bounce_rate}`)].join('\r\n') + '\r\n');
  });

  it('dashboard endpoint', async () => {
    const res = await get('dashboard', `site_id=${SITE}&period=month&date=2024-03-15&compare=previous_period&limit=3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { top_stats: Record<string, unknown>; timeseries: unknown[]; breakdowns: Record<string, unknown[]> };
    expect(body.top_stats).toEqual((await aggregate(db, q({ metrics: ['visitors', 'pageviews', 'visits', 'bounce_rate', 'visit_duration', 'views_per_visit'] }), { compare: 'previous_period' })).results);
    expect(body.timeseries).toHaveLength(31);
    expect(body.breakdowns['visit:source']).toEqual(refBreakdown(marchUtc, 'visit:source', ['visitors'], [], 3));
  });

  it('realtime: a bare number', async () => {
    const res = await get('realtime', `site_id=${SITE}`);
    expect(await res.json()).toBe(await realtimeVisitors(db, SITE, { now: new Date('2024-03-31T23:50:00Z') }));
  });

  it('401 without access and identity, 404 with an identity, 400 for bad parameters', async () => {
    expect((await get('aggregate', `site_id=${SITE}`, deps(async () => null))).status).toBe(401);
    expect((await get('aggregate', `site_id=${SITE}`, deps(async () => null, true))).status).toBe(404);
    expect((await get('aggregate', `site_id=unknown.test`)).status).toBe(404);
    const bad: [string, string, string][] = [
      ['aggregate', '', 'Missing site ID. Please provide the required site_id parameter with your request.'],
      ['aggregate', `site_id=${SITE}&period=2w`, 'Error parsing `period` parameter: invalid period `2w`. Please find accepted values in our docs: https://plausible.io/docs/stats-api#time-periods'],
      ['aggregate', `site_id=${SITE}&period=custom`, 'The `date` parameter is required when using a custom period. See https://plausible.io/docs/stats-api#time-periods'],
      ['aggregate', `site_id=${SITE}&period=custom&date=2024-03-01`, 'Invalid format for `date` parameter. When using a custom period, please include two ISO-8601 formatted dates joined by a comma. See https://plausible.io/docs/stats-api#time-periods'],
      ['aggregate', `site_id=${SITE}&date=2024-13-01`, 'Error parsing `date` parameter: invalid date. Please specify a valid date in ISO-8601 format.'],
      ['aggregate', `site_id=${SITE}&metrics=visitors,visitors`, 'Metrics cannot be queried multiple times.'],
      ['aggregate', `site_id=${SITE}&metrics=foo`, 'The metric `foo` is not recognized. Find valid metrics from the documentation: https://plausible.io/docs/stats-api#metrics'],
      ['breakdown', `site_id=${SITE}`, 'The `property` parameter is required. Please provide at least one property to show a breakdown by.'],
      ['breakdown', `site_id=${SITE}&property=visit:nope`, "Invalid property 'visit:nope'. Please provide a valid property for the breakdown endpoint: https://plausible.io/docs/stats-api#properties"],
      ['breakdown', `site_id=${SITE}&property=event:page&limit=0`, 'Please provide limit as a number between 1 and 1000.'],
      ['breakdown', `site_id=${SITE}&property=event:page&page=x`, 'Please provide page as a positive number.'],
      ['breakdown', `site_id=${SITE}&property=event:page&metrics=views_per_visit`, 'Metric `views_per_visit` is not supported in breakdown queries.'],
      ['timeseries', `site_id=${SITE}&period=30d&interval=hour`, 'Error parsing `interval` parameter: invalid interval `hour`. Valid intervals for period `30d` are `date`, `month`'],
      ['aggregate', `site_id=${SITE}&filters=${encodeURIComponent('visit:planet==Mars')}`, "Invalid filter property 'visit:planet'. Please provide a valid filter property: https://plausible.io/docs/stats-api#properties"],
      ['aggregate', `site_id=${SITE}&filters=${encodeURIComponent('visit:country==Germany')}`, "Invalid country code 'Germany' in filter. Use ISO 3166-1 alpha-2 codes, e.g. visit:country==DE"],
      ['aggregate', `site_id=${SITE}&metrics=visitors&filters=${encodeURIComponent('event:goal==Nope')}`, 'The goal `Nope` is not configured for this site. Find out how to configure goals here: https://plausible.io/docs/stats-api#filtering-by-goals'],
    ];
    for (const [endpoint, query, message] of bad) {
      const res = await get(endpoint as 'aggregate', query);
      expect({ query, status: res.status, body: await res.json() }).toEqual({ query, status: 400, body: { error: message } });
    }
  });
});

// Last: it moves the rollup marks (with another site's event), which no test after it may assume.
describe('when the rollup marks move', () => {
  it('the marks served move only once the kept parts are read under the new ones', async () => {
    forgetSettled(db);
    // Through 1 April: the newest visits, after either marker, come from `sessions`.
    const query = q({ metrics: ['visits', 'bounce_rate'], range: { from: '2024-03-01', to: '2024-04-01' } });
    const issued: string[] = [];
    const counting: Db = { ...db, query: (sql, params) => (issued.push(sql), db.query(sql, params)) };
    const built: BuiltQuery[] = [];
    const report = () => aggregate(counting, query, { trace: (b) => built.push(b) });
    const want = (await aggregate(db, query, { rollups: false })).results;
    await report();
    await settledIdle(counting);
    // Marks and kept parts are per Db object: the counting one throughout.
    const old = await rollupMarks(counting);

    // A visit two hours after the newest event: the visit rollup's marker moves on its next run.
    const newest = Math.max(...ALL.map((e) => e.ts));
    const later = { ...ALL.find((e) => e.name === 'pageview')!, site: 'marks.test', ts: newest + 2 * 3_600_000, sid: '987654321' };
    await db.insert('events', [row(later)]);
    await db.command('SYSTEM REFRESH VIEW visit_stats_refresh');
    await db.command('SYSTEM WAIT VIEW visit_stats_refresh');

    // Marks past their freshness: the old ones are served, the new ones read and prepared behind.
    expect(await rollupMarks(counting, Date.now() + 16_000)).toEqual(old);
    await expect.poll(async () => (await rollupMarks(counting)).visit.hour, { timeout: 30_000 }).toBeGreaterThan(old.visit.hour);

    // The first request under the new marks finds its settled part kept: it reads only the live part.
    built.length = 0;
    issued.length = 0;
    expect((await report()).results).toEqual(want);
    const [visits] = built.filter((b) => b.settled && /sessions/.test(b.sql));
    expect(visits).toBeDefined();
    expect(issued).not.toContain(visits!.sql);
    expect(issued).not.toContain(visits!.settled!.sql);
  });
});
