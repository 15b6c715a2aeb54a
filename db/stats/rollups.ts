/**
 * State of the rollups the builder reads: how far `visit_stats_hourly` has
 * got (its newest `#done` marker), and maintenance for after an import of
 * old events. The event rollups (stats_hourly/daily/monthly) are fed on
 * insert and need nothing here.
 */
import type { Db } from '../client';

const CACHE_MS = 15_000;
const cache = new WeakMap<Db, { at: number; value: Promise<number> }>();

/**
 * Epoch ms before which every started visit is in visit_stats_hourly.
 * Cached briefly: an older marker only means more is read from `sessions`.
 */
export function visitWatermark(db: Db, nowMs = Date.now()): Promise<number> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.at < CACHE_MS) return hit.value;
  const value = db
    .query<{ done: string }>(
      `SELECT toString(max(hour)) AS done FROM visit_stats_hourly WHERE site_id = '' AND dim = '#done'`,
    )
    .then((rows) => Date.parse(`${rows[0]?.done ?? '1970-01-01 00:00:00'}Z`.replace(' ', 'T')) || 0)
    .catch(() => 0);
  cache.set(db, { at: nowMs, value });
  return value;
}

export function forgetWatermark(db: Db): void {
  cache.delete(db);
}

/** Runs the visit rollup's refresh now and waits for it (tests, benchmark, after an import). */
export async function refreshVisitRollup(db: Db): Promise<void> {
  await db.command('SYSTEM REFRESH VIEW visit_stats_hourly_refresh');
  await db.command('SYSTEM WAIT VIEW visit_stats_hourly_refresh');
  forgetWatermark(db);
}

/** Recomputes the visit rollup from `sessions` (after events older than its marker were imported). */
export async function rebuildVisitRollup(db: Db): Promise<void> {
  // Stopped (a running refresh is cancelled) so no run appends to the emptied table.
  await db.command('SYSTEM STOP VIEW visit_stats_hourly_refresh');
  try {
    await db.command('TRUNCATE TABLE visit_stats_hourly');
  } finally {
    await db.command('SYSTEM START VIEW visit_stats_hourly_refresh');
  }
  forgetWatermark(db);
  await refreshVisitRollup(db);
}
