/**
 * State of the rollups the builder reads: how far each level of the visit
 * rollup (visit_stats_hourly/daily/weekly/monthly) has got — its newest `#done`
 * marker — and maintenance after an import of old events. The event rollups
 * (stats_hourly/daily/monthly) are fed on insert and need nothing here.
 */
import type { Db } from '../client';
import type { Level } from './tiles';

export type VisitMarks = Record<Level, number>;

const CACHE_MS = 15_000;
const cache = new WeakMap<Db, { at: number; value: Promise<VisitMarks> }>();

const toMs = (text: string | undefined) => (text ? Date.parse(`${text.replace(' ', 'T')}Z`) || 0 : 0);

/**
 * Per level, the instant (epoch ms) before which every started visit is in
 * that rollup table. Cached briefly: an older marker only means more is read
 * from finer levels or from `sessions`.
 */
export function visitMarks(db: Db, nowMs = Date.now()): Promise<VisitMarks> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.at < CACHE_MS) return hit.value;
  const value = db
    .query<{ h: string; d: string; w: string; m: string }>(
      `SELECT
         (SELECT toString(max(hour)) FROM visit_stats_hourly WHERE site_id = '' AND dim = '#done') AS h,
         (SELECT toString(max(toDateTime(value, 'UTC'))) FROM visit_stats_daily WHERE site_id = '' AND dim = '#done') AS d,
         (SELECT toString(max(toDateTime(value, 'UTC'))) FROM visit_stats_weekly WHERE site_id = '' AND dim = '#done') AS w,
         (SELECT toString(max(toDateTime(value, 'UTC'))) FROM visit_stats_monthly WHERE site_id = '' AND dim = '#done') AS m`,
    )
    .then(([r]) => ({ hour: toMs(r?.h), day: toMs(r?.d), week: toMs(r?.w), month: toMs(r?.m) }))
    .catch(() => ({ hour: 0, day: 0, week: 0, month: 0 }));
  cache.set(db, { at: nowMs, value });
  return value;
}

export function forgetVisitMarks(db: Db): void {
  cache.delete(db);
}

/** Runs the visit rollup's refresh now and waits for it (tests, benchmark, after an import). */
export async function refreshVisitRollup(db: Db): Promise<void> {
  await db.command('SYSTEM REFRESH VIEW visit_stats_refresh');
  await db.command('SYSTEM WAIT VIEW visit_stats_refresh');
  forgetVisitMarks(db);
}

/** Recomputes the visit rollup from `sessions` (after events older than its marker were imported). */
export async function rebuildVisitRollup(db: Db): Promise<void> {
  // Stopped (a running refresh is cancelled) so no run appends to the emptied tables.
  await db.command('SYSTEM STOP VIEW visit_stats_refresh');
  try {
    for (const table of ['visit_stats_hourly', 'visit_stats_daily', 'visit_stats_weekly', 'visit_stats_monthly']) await db.command(`TRUNCATE TABLE ${table}`);
  } finally {
    await db.command('SYSTEM START VIEW visit_stats_refresh');
  }
  forgetVisitMarks(db);
  await refreshVisitRollup(db);
}
