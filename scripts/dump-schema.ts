/**
 * npm run schema: writes db/schema.sql, the full current schema, by applying
 * every migration to a throw-away embedded database and dumping the result.
 * An integration test fails when the file is out of date.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../db/client';
import { migrate } from '../db/migrate';
import { loadConfig } from '../lib/config';

export async function currentSchema(db: Db): Promise<string> {
  const tables = await db.query<{ name: string; ddl: string }>(
    `SELECT name, formatQuery(create_table_query) AS ddl FROM system.tables
     WHERE database = currentDatabase() AND name != 'schema_migrations' AND NOT is_temporary
     ORDER BY engine LIKE '%View' ASC, name ASC`,
  );
  const header = '-- Full current schema, generated from db/migrations by `npm run schema`. Do not edit.\n';
  // Database names differ between the embedded engine and servers.
  const body = tables.map((t) => `${t.ddl.replace(/\b(default|sightline)\./g, '')};`).join('\n\n');
  return `${header}\n${body}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve('scripts/dump-schema.ts')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-schema-'));
  const db = await openDb(loadConfig({ ...process.env, DATA_DIR: dir, CLICKHOUSE_URL: undefined } as NodeJS.ProcessEnv));
  try {
    await migrate(db);
    fs.writeFileSync('db/schema.sql', await currentSchema(db));
    console.log('wrote db/schema.sql');
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
