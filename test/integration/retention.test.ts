import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { applyRetention } from '../../db/retention';
import { openDataDir, tempDir } from './support/processes';

let db: Db;
beforeAll(async () => {
  db = await openDataDir(tempDir('retention'));
  await migrate(db);
});
afterAll(async () => db?.close());

const ALL = ['events', 'sessions', 'stats_hourly', 'stats_daily', 'stats_weekly', 'stats_monthly', 'visit_stats_hourly', 'visit_stats_daily', 'visit_stats_weekly', 'visit_stats_monthly',
  'stats_closed_daily', 'stats_closed_weekly', 'stats_closed_monthly', 'visit_stats_closed_daily', 'visit_stats_closed_weekly', 'visit_stats_closed_monthly'];

it('sets, keeps and removes the retention TTL', async () => {
  expect(await applyRetention(db, 0)).toEqual([]);
  expect(await applyRetention(db, 400)).toEqual(ALL);
  expect(await applyRetention(db, 400)).toEqual([]);
  const [row] = await db.query<{ ddl: string }>("SELECT create_table_query AS ddl FROM system.tables WHERE name = 'events'");
  expect(row!.ddl).toContain('TTL toDateTime(timestamp) + toIntervalDay(400)');
  expect(await applyRetention(db, 0)).toEqual(ALL);
});

it('applies every migration once and records it', async () => {
  expect(await migrate(db)).toEqual([]);
  const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
  expect(rows.length).toBeGreaterThanOrEqual(4);
  expect(new Set(rows.map((r) => r.version)).size).toBe(rows.length);
});

it('db/schema.sql is the schema the migrations produce (npm run schema)', async () => {
  const { currentSchema } = await import('../../scripts/dump-schema');
  const fs = await import('node:fs');
  expect(fs.readFileSync('db/schema.sql', 'utf8')).toBe(await currentSchema(db));
});

it('deleting a site removes its rows from events, visits and every rollup', async () => {
  const { upsertSite, deleteSite, listSites } = await import('../../db/sites');
  await upsertSite(db, { domain: 'gone.test' });
  await db.insert('events', [
    { event_id: crypto.randomUUID(), site_id: 'gone.test', timestamp: '2026-01-05 10:00:00.000', name: 'pageview', visitor_id: '1', session_id: '1', pathname: '/' },
    { event_id: crypto.randomUUID(), site_id: 'gone.test', timestamp: '2026-01-08 10:00:00.000', name: 'pageview', visitor_id: '2', session_id: '2', pathname: '/' },
  ]);
  // 5 January is then closed: its day lands in the closed-day and visit rollups too.
  const { refreshRollups } = await import('../../db/stats');
  await refreshRollups(db);
  const tables = await db.query<{ name: string }>(
    `SELECT t.name AS name FROM system.tables AS t INNER JOIN system.columns AS c ON c.database = t.database AND c.table = t.name
     WHERE t.database = currentDatabase() AND t.engine LIKE '%MergeTree' AND c.name = 'site_id'`,
  );
  const count = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE site_id = 'gone.test'`))[0]!.n);
  expect(await count('events')).toBe(2);
  expect(await count('sessions')).toBeGreaterThan(0);
  expect(await count('stats_closed_daily')).toBeGreaterThan(0);
  expect(await count('visit_stats_closed_daily')).toBeGreaterThan(0);
  await deleteSite(db, 'gone.test');
  for (const { name } of tables) expect({ name, rows: await count(name) }).toEqual({ name, rows: 0 });
  expect((await listSites(db)).map((s) => s.domain)).not.toContain('gone.test');
});
