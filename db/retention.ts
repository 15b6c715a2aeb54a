/**
 * EVENT_RETENTION_DAYS: raw events, visits and the Stats API rollups older than this
 * are dropped by ClickHouse TTLs. Applied on start, only when the TTL differs
 * from what the table has, since MODIFY TTL rewrites parts.
 */
import type { Db } from './client';

const TABLES: [table: string, column: string][] = [
  ['events', 'toDateTime(timestamp)'],
  ['sessions', 'session_date'],
  ['stats_hourly', 'hour'],
  ['stats_daily', 'day'],
  ['stats_weekly', 'week'],
  ['stats_monthly', 'month'],
  ['visit_stats_hourly', 'hour'],
  ['visit_stats_daily', 'day'],
  ['visit_stats_weekly', 'week'],
  ['visit_stats_monthly', 'month'],
  ['stats_closed_daily', 'day'],
  ['stats_closed_weekly', 'week'],
  ['stats_closed_monthly', 'month'],
  ['visit_stats_closed_daily', 'day'],
  ['visit_stats_closed_weekly', 'week'],
  ['visit_stats_closed_monthly', 'month'],
];

export async function applyRetention(db: Db, days: number): Promise<string[]> {
  const changed: string[] = [];
  for (const [table, column] of TABLES) {
    const [row] = await db.query<{ ddl: string }>(
      'SELECT create_table_query AS ddl FROM system.tables WHERE database = currentDatabase() AND name = {t:String}',
      { t: table },
    );
    const ttl = /\bTTL\s+(.+?)\s+SETTINGS\b|\bTTL\s+(.+)$/s.exec(row?.ddl ?? '');
    const current = (ttl?.[1] ?? ttl?.[2] ?? '').trim();
    const wanted = days > 0 ? `${column} + toIntervalDay(${days})` : '';
    if (current === wanted) continue;
    if (days > 0) await db.command(`ALTER TABLE ${table} MODIFY TTL ${column} + INTERVAL ${Math.floor(days)} DAY`);
    else if (current) await db.command(`ALTER TABLE ${table} REMOVE TTL`);
    changed.push(table);
  }
  return changed;
}
