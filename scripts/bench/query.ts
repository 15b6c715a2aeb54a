/**
 * Query benchmark (npm run bench:query): the full dashboard and each Stats
 * API endpoint, from rollups and from the raw tables, at 1M and 10M events.
 *
 * Each size runs in its own child process (chdb binds one data directory per
 * process) on a fresh embedded ClickHouse in a temp dir, seeded server-side
 * with `INSERT INTO events SELECT … FROM numbers(N)`: a year of visits, many
 * visitors (some returning), Zipf-like pages and sources, 1–8 pageviews per
 * visit, custom events with props, engagement events. The event rollups are
 * then filled by running each materialized view's own SELECT over the whole
 * table (the views aggregate per insert block, which for a year inserted at
 * once is ~5x slower; after OPTIMIZE FINAL the rows are the same), and the
 * refreshed rollups (visits, closed days) are rebuilt by their refreshes.
 *
 *   npx tsx scripts/bench/query.ts                 # 1M and 10M
 *   npx tsx scripts/bench/query.ts --sizes 1000000 --runs 15   (timed runs per query, default 5)
 *   BENCH_KEEP=1 … keeps the data dirs (printed) for poking at
 *   BENCH_DIR=/path … reuses (or seeds and keeps) <path>/<size> instead of a fresh temp dir
 *   --seed-only   seeds (into BENCH_DIR) and exits
 *   --full-today  today as late in the UTC day (see fillToday); changes a BENCH_DIR for good,
 *                 so give it a directory of its own
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/client';
import type { BuiltQuery, Metric, ReportOptions, StatsQuery } from '../../db/stats';
import { CARD_ROWS } from '../../db/stats/dashboard-cards';
import { REFRESHED_TABLES } from '../../db/stats/rollups';

interface Timing {
  p50: number;
  p95: number;
}
interface SizeResult {
  events: number;
  seedSeconds: number;
  rollupSeconds: number;
  tables: Record<string, number>;
  /** name → { rollups, raw } */
  timings: Record<string, { rollups: Timing; raw: Timing; sources: string }>;
}

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

// ---------------------------------------------------------------------------
// Parent: one child per size, then the tables.

async function parent(): Promise<void> {
  const sizes = (arg('sizes') ?? '1000000,10000000').split(',').map(Number);
  const runs = arg('runs');
  const results: SizeResult[] = [];
  const self = fileURLToPath(import.meta.url);
  for (const events of sizes) {
    console.error(`\n== ${fmtCount(events)} events ==`);
    const out = await new Promise<string>((resolve, reject) => {
      const passOn = [...(runs ? ['--runs', runs] : []), ...(args.includes('--full-today') ? ['--full-today'] : [])];
      const cp = spawn(process.execPath, [...process.execArgv, self, '--child', '--events', String(events), ...passOn], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });
      let buf = '';
      cp.stdout.on('data', (d: Buffer) => (buf += d.toString()));
      cp.on('error', reject);
      cp.on('exit', (code) => (code === 0 ? resolve(buf) : reject(new Error(`child for ${events} events exited with ${code}`))));
    });
    const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
    if (!line) throw new Error('child printed no result');
    results.push(JSON.parse(line.slice('@@RESULT '.length)) as SizeResult);
  }
  report(results);
}

const fmtCount = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const ms = (t: number) => (t >= 100 ? t.toFixed(0) : t.toFixed(1));
const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const lpad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report(results: SizeResult[]): void {
  console.log('\nQuery benchmark — embedded ClickHouse (chdb), p50/p95 in ms; "rollups" is the default path, "raw" reads only events/sessions\n');
  if (args.includes('--full-today')) console.log('--full-today: today holds a full UTC day of events, as late in the day\n');
  for (const r of results) {
    console.log(`${fmtCount(r.events)} events: seeded in ${r.seedSeconds.toFixed(0)} s, refreshed rollups in ${r.rollupSeconds.toFixed(1)} s; rows: ${Object.entries(r.tables).map(([t, n]) => `${t} ${fmtCount(n)}`).join(', ')}`);
  }
  const names = Object.keys(results[0]!.timings);
  const head = ['query'];
  for (const r of results) head.push(`${fmtCount(r.events)} rollups`, `${fmtCount(r.events)} raw`, 'speedup');
  head.push('source');
  const rows = names.map((n) => {
    const row = [n];
    for (const r of results) {
      const t = r.timings[n]!;
      const raw = t.raw.p50 === null || Number.isNaN(t.raw.p50) ? null : t.raw;
      row.push(`${ms(t.rollups.p50)} / ${ms(t.rollups.p95)}`, raw ? `${ms(raw.p50)} / ${ms(raw.p95)}` : '-', raw ? `${(raw.p50 / t.rollups.p50).toFixed(1)}x` : '-');
    }
    row.push(results[results.length - 1]!.timings[n]!.sources);
    return row;
  });
  console.log('\n' + table(head, rows));
  if (results.length >= 2) {
    const [a, b] = [results[0]!, results[results.length - 1]!];
    console.log(`\nGrowth ${fmtCount(a.events)} → ${fmtCount(b.events)} (rollups, p50):`);
    for (const n of names.filter((x) => x.startsWith('DASHBOARD'))) {
      const raw = b.timings[n]!.raw.p50 / a.timings[n]!.raw.p50;
      console.log(`  ${pad(n, 34)} ${(b.timings[n]!.rollups.p50 / a.timings[n]!.rollups.p50).toFixed(2)}x${Number.isFinite(raw) ? `   (raw ${raw.toFixed(2)}x)` : ''}`);
    }
  }
  const last = results[results.length - 1]!;
  console.log(`\nTarget: full dashboard p50 ≤ 150 ms at ${fmtCount(last.events)}:`);
  for (const n of names.filter((x) => x.startsWith('DASHBOARD'))) {
    const p50 = last.timings[n]!.rollups.p50;
    console.log(`  ${pad(n, 34)} ${ms(p50)} ms  ${p50 <= 150 ? 'met' : 'MISSED'}`);
  }
  console.log('("one call": GET /api/v1/stats/dashboard; "page load": the requests the dashboard page sends when it opens;');
  console.log(' "first": the first request for a period, before its settled part is kept; see db/stats/README.md)');
}

// ---------------------------------------------------------------------------
// Child: seed one size, time everything, print one JSON line.

async function child(events: number, runs: number): Promise<void> {
  const reuse = process.env.BENCH_DIR ? path.join(process.env.BENCH_DIR, String(events)) : null;
  const dir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), `sightline-bench-query-${fmtCount(events)}-`));
  process.env.DATA_DIR = dir;
  const { openDb } = await import('../../db/client');
  const { loadConfig } = await import('../../lib/config');
  const { migrate } = await import('../../db/migrate');
  const { upsertSite } = await import('../../db/sites');
  const { addGoal } = await import('../../db/goals');
  const stats = await import('../../db/stats');
  const { forgetSettled, settledIdle } = await import('../../db/stats/settled');
  const { handleStats } = await import('../../app/api/v1/stats/handler');

  const db = await openDb(loadConfig({ ...process.env, DATA_DIR: dir }));
  try {
    await migrate(db);
    const site = 'bench.example';
    const timezone = 'America/New_York';
    await upsertSite(db, { domain: site, timezone });
    for (const name of ['Signup', 'Download', 'Purchase']) await addGoal(db, site, { kind: 'event', event_name: name });
    await addGoal(db, site, { kind: 'page', page_path: '/pricing/**' });

    let t = performance.now();
    const already = Number((await db.query<{ n: string }>(`SELECT toString(count()) AS n FROM events`))[0]!.n);
    let seedSeconds = 0;
    let rollupSeconds = 0;
    if (already === 0) {
      const sessions = Math.round(events / 3.3);
      // The event rollups' views aggregate per insert block; for a year inserted at once it is much
      // faster to run each view's own SELECT once over the whole table (same rows after OPTIMIZE).
      const views = await db.query<{ name: string; target: string; sql: string }>(
        `SELECT name, as_select AS sql, splitByChar('.', extract(create_table_query, ' TO ([\\w.]+)'))[-1] AS target
         FROM system.tables WHERE database = currentDatabase() AND name IN ('stats_hourly_mv', 'stats_daily_mv', 'stats_weekly_mv', 'stats_monthly_mv')`,
      );
      const order = ['stats_hourly_mv', 'stats_daily_mv', 'stats_weekly_mv', 'stats_monthly_mv'].map((v) => views.find((x) => x.name === v)!);
      for (const v of order) await db.command(`DETACH TABLE ${v.name}`);
      await db.command(SEED_SQL, { site, days: 365, sessions, visitors: Math.round(sessions * 0.55) });
      for (const v of order) await db.command(`INSERT INTO ${v.target} ${v.sql} SETTINGS max_bytes_before_external_group_by = 1000000000`);
      for (const v of order) await db.command(`ATTACH TABLE ${v.name}`);
      seedSeconds = (performance.now() - t) / 1000;
      console.error(`seeded in ${seedSeconds.toFixed(0)} s`);
      t = performance.now();
      // Seeding wrote a year of old events at once: rebuild the visit rollup rather than trust a mid-seed refresh.
      await stats.rebuildRollups(db);
      rollupSeconds = (performance.now() - t) / 1000;
      // A long-running server has merged its parts; do it now so runs are comparable.
      for (const table of ROLLUP_TABLES) await db.command(`OPTIMIZE TABLE ${table} FINAL`);
    } else {
      console.error(`reusing ${dir} (${already} events)`);
      // A migration may have emptied the refreshed rollups: let their views catch up first,
      // then merge what they wrote, as after seeding.
      await stats.refreshRollups(db);
      for (const table of ROLLUP_TABLES) await db.command(`OPTIMIZE TABLE ${table} FINAL`);
    }
    if (args.includes('--full-today') && (await fillToday(db))) {
      await stats.refreshRollups(db);
      for (const table of ROLLUP_TABLES) await db.command(`OPTIMIZE TABLE ${table} FINAL`);
    }
    if (args.includes('--seed-only')) return;
    const n = String(already || Number((await db.query<{ n: string }>(`SELECT toString(count()) AS n FROM events`))[0]!.n));
    const tables: Record<string, number> = { events: Number(n) };
    for (const table of ROLLUP_TABLES) {
      tables[table] = Number((await db.query<{ c: string }>(`SELECT toString(count()) AS c FROM ${table}`))[0]!.c);
    }

    const now = new Date();
    const query = (period: '30d' | '12mo', over: Partial<StatsQuery> = {}) => ({
      site,
      timezone,
      range: stats.resolvePeriod(period, undefined, timezone, now),
      metrics: ['visitors'] as Metric[],
      filters: [],
      ...over,
    });
    const card = (period: '30d' | '12mo') => {
      const bd = (dimension: string, metrics: Metric[] = ['visitors']) => (o: ReportOptions) =>
        stats.breakdown(db, query(period, { dimension, metrics, limit: 10 }), o);
      return {
        'top stats + comparison': (o: ReportOptions) =>
          stats.aggregate(db, query(period, { metrics: ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'] }), { ...o, compare: 'previous_period' }),
        'main chart': (o: ReportOptions) => stats.timeseries(db, query(period, { interval: period === '30d' ? 'date' : 'month' }), o),
        'top pages': bd('event:page'),
        'entry pages': bd('visit:entry_page'),
        'exit pages': bd('visit:exit_page'),
        sources: bd('visit:source'),
        channels: bd('visit:channel'),
        referrers: bd('visit:referrer'),
        'utm mediums': bd('visit:utm_medium'),
        'utm sources': bd('visit:utm_source'),
        'utm campaigns': bd('visit:utm_campaign'),
        countries: bd('visit:country'),
        regions: bd('visit:region'),
        cities: bd('visit:city'),
        devices: bd('visit:device'),
        browsers: bd('visit:browser'),
        'operating systems': bd('visit:os'),
        events: bd('event:name', ['visitors', 'events']),
        goals: bd('event:goal', ['visitors', 'events', 'conversion_rate']),
      };
    };

    const timings: SizeResult['timings'] = {};
    /**
     * `before`: untimed, before each run. By default, waits until the settled parts the runs
     * before asked for are read and kept (a server reads them between requests; back to back,
     * they would land in the middle of the next timed run).
     */
    const measure = async (name: string, fn: (o: ReportOptions) => Promise<unknown>, withRaw = true, before = () => settledIdle(db)) => {
      const out = { rollups: { p50: 0, p95: 0 }, raw: { p50: NaN, p95: NaN }, sources: '' };
      for (const rollups of withRaw ? [true, false] : [true]) {
        const seen = new Set<string>();
        const opts = { rollups, now, trace: (b: BuiltQuery) => seen.add(b.source) };
        const samples: number[] = [];
        // Warm-up runs: three on the rollups path (a running server's code is compiled by the JIT;
        // the first runs in a fresh process are not), one on the raw path, which takes seconds per
        // dashboard at 10M: at most 3 timed runs (2 without warm-up above 2M events) there, to keep
        // the whole benchmark within ~15 minutes.
        const big = events > 2_000_000;
        const warm = rollups ? 3 : !big ? 1 : 0;
        // The dashboard rows, the target's measure, take at least 15 timed runs on the rollups path
        // (~0.1 s each): with 5, one run slowed by the VM or a background merge moves the p50.
        const n = rollups ? (name.startsWith('DASHBOARD') ? Math.max(runs, 15) : runs) : big ? (name.startsWith(' ') ? 1 : 2) : Math.min(runs, 3);
        for (let i = 0; i < n + warm; i++) {
          await before();
          const t0 = performance.now();
          await fn(opts);
          if (i >= warm) samples.push(performance.now() - t0);
        }
        out[rollups ? 'rollups' : 'raw'] = percentiles(samples);
        if (rollups) out.sources = [...seen].sort().join('+');
      }
      timings[name] = out;
      console.error(`  ${pad(name, 34)} rollups ${ms(out.rollups.p50)} ms, raw ${ms(out.raw.p50)} ms`);
    };

    // Each Stats API endpoint through the route handler (parameters, access, JSON).
    const deps = (rollups: boolean) => ({
      db,
      access: async () => 'owner' as const,
      signedIn: async () => true,
      site: async () => ({ domain: site, timezone }),
      now: () => now,
      rollups,
    });
    const endpoint = (name: 'aggregate' | 'timeseries' | 'breakdown' | 'realtime' | 'dashboard', qs: string) => async (o: ReportOptions) => {
      const res = await handleStats(name, new Request(`http://bench.test/api/v1/stats/${name}?site_id=${site}&${qs}`), deps(o.rollups ?? true));
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}: ${await res.text()}`);
      await res.text();
    };
    for (const period of ['30d', '12mo'] as const) {
      const cards = card(period);
      const dashboard = (o: ReportOptions) =>
        stats.dashboard(db, { site, timezone, range: query(period).range, filters: [], interval: period === '30d' ? 'date' : 'month', compare: true, limit: 10 }, o);
      // The same cards in one call (GET /api/v1/stats/dashboard): ~6 queries. After the first
      // request, each query's settled part (closed days, finished visits) is kept (db/stats/settled.ts).
      await measure(`DASHBOARD ${period}, one call`, dashboard);
      // The first request for a period: nothing kept (as after the closed days move, or 10 minutes).
      // It answers from one query per card and reads the settled parts after it: not timed here.
      await measure(`DASHBOARD ${period}, one call, first`, dashboard, false, async () => {
        await settledIdle(db);
        forgetSettled(db);
      });
      // What the dashboard page asks for when it opens (firstView in app/components/dashboard/load.ts): the
      // one call for every card's first view, as the page asks for it, and the realtime counter.
      const pageLoad = [
        endpoint('dashboard', `period=${period}&compare=previous_period&interval=${period === '30d' ? 'date' : 'month'}&limit=${CARD_ROWS}`),
        endpoint('realtime', ''),
      ];
      const openPage = (o: ReportOptions) => Promise.all(pageLoad.map((f) => f(o)));
      await measure(`DASHBOARD ${period}, page load`, openPage);
      // The same, each run after a second with nothing to do, as when a person opens the page: on this
      // VM a request after an idle spell is at times slower than one right after another.
      await measure(`DASHBOARD ${period}, page load, after 1 s idle`, openPage, false, async () => {
        await settledIdle(db);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      });
      // A filtered view (a row clicked): its cards read the raw events, since the rollups hold
      // one dimension at a time. Not part of the target; timed to show where the dashboard is slow.
      await measure(
        `FILTERED ${period}, one call, visit:source==Google`,
        (o) =>
          stats.dashboard(
            db,
            { site, timezone, range: query(period).range, filters: stats.parseFilters('visit:source==Google'), interval: period === '30d' ? 'date' : 'month', compare: true, limit: CARD_ROWS },
            o,
          ),
        false,
      );
      // One v1 request per card, every tab of every widget, all at once.
      await measure(`DASHBOARD ${period}, ${Object.keys(cards).length} v1 calls`, (o) => Promise.all(Object.values(cards).map((f) => f(o))));
      for (const [name, f] of Object.entries(cards)) await measure(`  ${period} ${name}`, f);
    }

    await measure('API dashboard 30d', endpoint('dashboard', 'period=30d&compare=previous_period'));
    await measure('API realtime/visitors', endpoint('realtime', ''));
    await measure('API aggregate 30d + compare', endpoint('aggregate', 'period=30d&metrics=visitors,visits,pageviews,bounce_rate,visit_duration,views_per_visit&compare=previous_period'));
    await measure('API aggregate 30d, filtered', endpoint('aggregate', `period=30d&metrics=visitors,pageviews,bounce_rate&filters=${encodeURIComponent('visit:source==Google;event:page==/blog/**')}`));
    await measure('API timeseries 30d', endpoint('timeseries', 'period=30d&metrics=visitors,pageviews,visits'));
    await measure('API timeseries 12mo', endpoint('timeseries', 'period=12mo&metrics=visitors,pageviews'));
    await measure('API breakdown pages 30d', endpoint('breakdown', 'period=30d&property=event:page&metrics=visitors,pageviews&limit=100'));
    await measure('API breakdown sources 12mo', endpoint('breakdown', 'period=12mo&property=visit:source&metrics=visitors,bounce_rate'));
    await measure('API breakdown props 30d', endpoint('breakdown', `period=30d&property=event:props:plan&metrics=visitors,conversion_rate&filters=${encodeURIComponent('event:goal==Signup')}`));

    console.log(`@@RESULT ${JSON.stringify({ events: Number(n), seedSeconds, rollupSeconds, tables, timings } satisfies SizeResult)}`);
  } finally {
    await db.close();
    if (process.env.BENCH_KEEP || reuse) console.error(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * --full-today: the seed ends an hour before it ran, so today (UTC) holds only
 * the hours so far, and a dashboard's live part (today's sketches, the newest
 * visits) is as small as early in the day. This copies the rest of the day
 * before into the seed's last day, a day later, with new event and visit ids:
 * that day then holds a full day of values and visits, as late in the day.
 * Some of them fall after now, so the visits after the visit rollup's marker
 * are many more than a server's hour or two: pessimistic. Once per data dir;
 * true when it copied.
 */
async function fillToday(db: Db): Promise<boolean> {
  const [day] = await db.query<{ last: string; copied: string; before: string }>(
    `WITH (SELECT max(timestamp) FROM events) AS newest
     SELECT toString(newest) AS last,
            toString(countIf(toDate(timestamp) = toDate(newest))) AS copied,
            toString(countIf(toDate(timestamp) = toDate(newest) - 1)) AS before
     FROM events WHERE timestamp >= toStartOfDay(newest) - INTERVAL 1 DAY`,
  );
  // The last day already holds more than half a day's events: copied before.
  if (!day || Number(day.copied) * 2 > Number(day.before)) return false;
  const columns = (await db.query<{ name: string }>(`SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events' ORDER BY position`)).map((c) => c.name);
  // No aliases in the SELECT: ClickHouse would read `timestamp` in WHERE as the shifted one.
  const shifted: Record<string, string> = {
    event_id: 'generateUUIDv4(cityHash64(event_id, 1))',
    timestamp: 'timestamp + INTERVAL 1 DAY',
    session_id: 'cityHash64(session_id, 1)',
  };
  await db.command(
    `INSERT INTO events (${columns.join(', ')})
     SELECT ${columns.map((c) => shifted[c] ?? c).join(', ')} FROM events
     WHERE timestamp > {last:DateTime64(3, 'UTC')} - INTERVAL 1 DAY AND timestamp < toStartOfDay({last:DateTime64(3, 'UTC')})`,
    { last: day.last },
  );
  console.error(`--full-today: copied the rest of the day before into ${day.last.slice(0, 10)}`);
  return true;
}

/** Every table the inserts and refreshes fill besides `events`. */
const ROLLUP_TABLES = ['sessions', 'stats_hourly', 'stats_daily', 'stats_weekly', 'stats_monthly', ...REFRESHED_TABLES];

function percentiles(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

// ---------------------------------------------------------------------------
// Seed: a year of visits, generated by ClickHouse from numbers(sessions).
// Every value is a deterministic hash of the visit number (s) and the event's
// index in the visit (i). Visits are spread evenly over the year, so the
// insert arrives in time order like live traffic.

/** Page of the j-th pageview: index ~ 2000^u (Zipf-like), `/` the most visited. */
const page = (j: string) => {
  const idx = `toUInt32(floor(pow(2000, (cityHash64(s, ${j}, 'p') % 100000) / 100000.0)))`;
  return `if(${idx} = 1, '/', concat(['/blog/', '/docs/', '/products/', '/pricing/'][1 + ${idx} % 4], toString(${idx})))`;
};

const SEED_SQL = `
INSERT INTO events
SELECT
  generateUUIDv4(cityHash64(s, i)) AS event_id,
  {site:String} AS site_id,
  toDateTime64(start, 3, 'UTC') + toIntervalMillisecond(i * 60000 + cityHash64(s, i, 1) % 50000) AS timestamp,
  multiIf(i < len, 'pageview', i = len AND has_custom, custom_name, 'engagement') AS name,
  visitor AS visitor_id,
  cityHash64('session', s) AS session_id,
  if(h % 20 = 0, 'blog.bench.example', 'bench.example') AS hostname,
  if(i < len, pages[i + 1], pages[len]) AS pathname,
  referrer, source AS referrer_source, channel,
  utm_source, utm_medium, utm_campaign, utm_content, utm_term,
  country AS country_code, region, city,
  browser, browser_version, os, os_version, device, screen_width,
  if(i = len AND has_custom, map('plan', ['free', 'pro', 'team'][1 + h % 3], 'variant', ['a', 'b'][1 + i % 2]), map()) AS props,
  NULL AS revenue_amount, '' AS revenue_currency,
  i = len AND has_custom AS interactive,
  if(i = len + toUInt8(has_custom), 5000 + h % 60000, 0) AS engagement_ms,
  0 AS scroll_depth
FROM
(
  SELECT
    s, h, len, has_custom, has_engagement, start, visitor, source, channel, country,
    if(source = '', '', concat('https://', lower(replaceAll(source, ' ', '')), '.com/')) AS referrer,
    if(h % 10 = 0, ['newsletter', 'google', 'facebook'][1 + h % 3], '') AS utm_source,
    if(h % 10 = 0, ['email', 'cpc', 'social'][1 + h % 3], '') AS utm_medium,
    if(h % 10 = 0, concat('campaign-', toString(h % 7)), '') AS utm_campaign,
    if(h % 20 = 0, 'banner', '') AS utm_content,
    if(h % 40 = 0, 'analytics', '') AS utm_term,
    if(country = '', '', concat(country, '-', toString(h % 8))) AS region,
    if(country = '', '', concat(country, ' city ', toString(h % 25))) AS city,
    ['Chrome', 'Chrome', 'Chrome', 'Safari', 'Safari', 'Firefox', 'Edge', 'Samsung Internet', 'Opera'][1 + bitShiftRight(h, 8) % 9] AS browser,
    toString(100 + bitShiftRight(h, 12) % 30) AS browser_version,
    ['Windows', 'Windows', 'Mac', 'iOS', 'iOS', 'Android', 'Android', 'Linux'][1 + bitShiftRight(h, 16) % 8] AS os,
    toString(10 + bitShiftRight(h, 20) % 8) AS os_version,
    ['Desktop', 'Desktop', 'Desktop', 'Mobile', 'Mobile', 'Tablet'][1 + bitShiftRight(h, 24) % 6] AS device,
    [1920, 1440, 390, 768][1 + bitShiftRight(h, 28) % 4] AS screen_width,
    ['Signup', 'Download', 'Outbound Link: Click', 'Purchase'][1 + bitShiftRight(h, 32) % 4] AS custom_name,
    arrayMap(j -> ${page('j')}, range(len)) AS pages
  FROM
  (
    SELECT
      number AS s,
      cityHash64('s', number) AS h,
      [1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8][1 + h % 14] AS len,
      bitShiftRight(h, 40) % 100 < 15 AS has_custom,
      bitShiftRight(h, 48) % 100 < 30 AS has_engagement,
      toUnixTimestamp(now()) - 3600 - {days:UInt32} * 86400 + intDiv(number * {days:UInt32} * 86400, {sessions:UInt64}) + bitShiftRight(h, 20) % 600 AS start,
      -- 55% as many visitors as visits: about one in three comes back.
      cityHash64('v', cityHash64('vv', number) % {visitors:UInt64}) AS visitor,
      ['', '', '', 'Google', 'Google', 'Google', 'Bing', 'DuckDuckGo', 'Twitter', 'Facebook', 'Reddit', 'LinkedIn', 'Hacker News', 'GitHub', 'Newsletter']
        [least(15, toUInt32(floor(pow(15, (bitShiftRight(h, 4) % 10000) / 10000.0))) + bitShiftRight(h, 2) % 2)] AS source,
      multiIf(source = '', 'Direct', source IN ('Google', 'Bing', 'DuckDuckGo'), 'Organic Search',
              source IN ('Twitter', 'Facebook', 'Reddit', 'LinkedIn'), 'Organic Social', source = 'Newsletter', 'Email', 'Referral') AS channel,
      ['US', 'US', 'US', 'DE', 'GB', 'FR', 'IN', 'CA', 'BR', 'NL', 'ES', 'IT', 'PL', 'SE', 'JP', 'AU', 'MX', 'CH', 'AT', 'BE', '']
        [least(21, toUInt32(floor(pow(21, (bitShiftRight(h, 36) % 10000) / 10000.0))))] AS country
    FROM numbers({sessions:UInt64})
  )
)
ARRAY JOIN range(len + toUInt8(has_custom) + toUInt8(has_engagement)) AS i`;

// Entry point last: everything above is initialised by now.
if (args.includes('--child')) {
  await child(Number(arg('events')), Number(arg('runs') ?? 5));
} else {
  await parent();
}
