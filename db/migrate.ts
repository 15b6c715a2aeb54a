/**
 * Migration runner: applies db/migrations/NNNN_name.sql in order, once each,
 * and records what ran in `schema_migrations`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './client';

// Resolved from the working directory (npm scripts run at the repo root):
// Next bundles this module, where import.meta.url is not the source file.
const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');

export interface Migration {
  version: string;
  name: string;
  statements: string[];
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: file.slice(0, 4),
      name: file.replace(/\.sql$/, ''),
      statements: splitStatements(fs.readFileSync(path.join(dir, file), 'utf8')),
    }));
}

/** Splits a file on `;` at line ends; comments are removed first. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function migrate(db: Db, dir?: string): Promise<string[]> {
  await db.command(`CREATE TABLE IF NOT EXISTS schema_migrations
    (version String, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
    ENGINE = MergeTree ORDER BY version`);
  const done = new Set((await db.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const applied: string[] = [];
  for (const m of readMigrations(dir)) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await db.command(statement);
    await db.insert('schema_migrations', [{ version: m.version, name: m.name }]);
    applied.push(m.name);
  }
  return applied;
}
