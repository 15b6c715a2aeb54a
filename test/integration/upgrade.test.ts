/**
 * Upgrading a data dir across migration 0030 (visitors per UTC day, closed
 * days): the rollups are recomputed from the stored events, and reports give
 * the new numbers from rollups and raw tables alike. Then 0032 (stats_daily
 * sorted by day): its rows move, and new events still reach every level.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { aggregate, breakdown, refreshRollups } from '../../db/stats';
import { openDataDir, tempDir } from './support/processes';

const SITE = 'upgrade.test';
let db: Db;
const dirs: string[] = [];

// Visitor 1 on three days, visitor 2 on two of them, visitor 3 once; the last day stays open.
const EVENTS = [
  ['2026-01-05 10:00:00.000', '1', '/'],
  ['2026-01-05 11:00:00.000', '2', '/a'],
  ['2026-01-06 09:00:00.000', '1', '/a'],
  ['2026-01-06 09:05:00.000', '1', '/'],
  ['2026-01-07 12:00:00.000', '2', '/'],
  ['2026-01-07 12:30:00.000', '3', '/a'],
  ['2026-01-09 08:00:00.000', '1', '/'],
] as const;

beforeAll(async () => {
  dirs.push(tempDir('upgrade'));
  db = await openDataDir(dirs[0]!);
  // The schema as it was before 0030, with events stored under it.
  const before = tempDir('migrations-before-0030');
  dirs.push(before);
  for (const f of fs.readdirSync('db/migrations').filter((f) => f < '0030')) fs.copyFileSync(path.join('db/migrations', f), path.join(before, f));
  await migrate(db, before);
  await db.insert(
    'events',
    EVENTS.map(([timestamp, visitor, pathname]) => ({
      event_id: crypto.randomUUID(),
      site_id: SITE,
      timestamp,
      name: 'pageview',
      visitor_id: visitor,
      session_id: `${visitor}${timestamp.slice(8, 10)}`, // one visit per visitor and day
      pathname,
    })),
  );
}, 120_000);
afterAll(async () => {
  await db?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

it('recomputes the rollups: visitors per day, from rollups and raw tables alike', async () => {
  const old = await db.query<{ v: string }>(`SELECT toString(uniqCombinedMerge(12)(visitors)) AS v FROM stats_daily WHERE site_id = '${SITE}' AND dim = ''`);
  expect(old[0]!.v).toBe('3'); // before: distinct visitor ids over the range
  expect(await migrate(db)).toEqual(['0030_daily_visitors', '0031_close_days_sooner', '0032_daily_rollup_by_day']);
  await refreshRollups(db);
  const q = { site: SITE, timezone: 'UTC', range: { from: '2026-01-05', to: '2026-01-09' }, filters: [] };
  for (const rollups of [true, false]) {
    // (day, visitor) pairs: 5 Jan {1, 2}, 6 Jan {1}, 7 Jan {2, 3}, 9 Jan {1}.
    expect(await aggregate(db, { ...q, metrics: ['visitors', 'pageviews', 'visits'] }, { rollups })).toEqual({
      results: { visitors: { value: 6 }, pageviews: { value: 7 }, visits: { value: 6 } },
    });
    expect(await breakdown(db, { ...q, dimension: 'event:page', metrics: ['visitors'] }, { rollups })).toEqual({
      results: [
        { page: '/', visitors: 4 },
        { page: '/a', visitors: 3 },
      ],
    });
  }
  // 5–8 January are closed (ended an hour before the newest event) and read as counts.
  const closed = await db.query<{ d: string }>(`SELECT toString(max(day)) AS d FROM stats_closed_daily WHERE dim = '#done'`);
  expect(closed[0]!.d).toBe('2026-01-09');
});

it('keeps stats_daily sorted by day, fed from the hours and feeding weeks and months', async () => {
  const [table] = await db.query<{ sorting_key: string }>(`SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'stats_daily'`);
  expect(table!.sorting_key).toBe('site_id, day, dim, value, sub');
  // Visitor 4 on 9 January, the open day: through events → hours → days → weeks and months.
  await db.insert('events', [{ event_id: crypto.randomUUID(), site_id: SITE, timestamp: '2026-01-09 09:00:00.000', name: 'pageview', visitor_id: '4', session_id: '409', pathname: '/b' }]);
  const level = async (table: string, key: string) =>
    db.query<{ k: string; v: string; pv: string }>(
      `SELECT toString(${key}) AS k, toString(uniqCombinedMerge(12)(visitors)) AS v, toString(sum(pageviews)) AS pv FROM ${table} WHERE site_id = '${SITE}' AND dim = '' AND ${key} >= '2026-01-05' GROUP BY k ORDER BY k`,
    );
  expect(await level('stats_daily', 'day')).toEqual([
    { k: '2026-01-05', v: '2', pv: '2' },
    { k: '2026-01-06', v: '1', pv: '2' },
    { k: '2026-01-07', v: '2', pv: '2' },
    { k: '2026-01-09', v: '2', pv: '2' },
  ]);
  // (visitor, day) pairs: 2 + 1 + 2 + 2.
  expect(await level('stats_weekly', 'week')).toEqual([{ k: '2026-01-05', v: '7', pv: '8' }]);
  expect(await db.query(`SELECT toString(sum(pageviews)) AS pv FROM stats_monthly WHERE site_id = '${SITE}' AND dim = '' AND month = '2026-01-01'`)).toEqual([{ pv: '8' }]);
  const q = { site: SITE, timezone: 'UTC', range: { from: '2026-01-05', to: '2026-01-09' }, filters: [] };
  for (const rollups of [true, false]) {
    expect(await aggregate(db, { ...q, metrics: ['visitors', 'pageviews'] }, { rollups })).toEqual({ results: { visitors: { value: 7 }, pageviews: { value: 8 } } });
  }
});
