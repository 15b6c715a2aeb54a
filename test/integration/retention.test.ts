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

it('sets, keeps and removes the retention TTL', async () => {
  expect(await applyRetention(db, 0)).toEqual([]);
  expect(await applyRetention(db, 400)).toEqual(['events', 'sessions', 'site_stats_hourly']);
  expect(await applyRetention(db, 400)).toEqual([]);
  const [row] = await db.query<{ ddl: string }>("SELECT create_table_query AS ddl FROM system.tables WHERE name = 'events'");
  expect(row!.ddl).toContain('TTL toDateTime(timestamp) + toIntervalDay(400)');
  expect(await applyRetention(db, 0)).toEqual(['events', 'sessions', 'site_stats_hourly']);
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
