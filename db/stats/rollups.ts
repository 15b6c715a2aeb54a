/**
 * State of the rollups the builder reads, and their maintenance after an
 * import of old events:
 *  - how far each level of the visit rollup (visit_stats_hourly/daily/
 *    weekly/monthly) has got: its newest `#done` marker;
 *  - before which UTC midnight every day is in the closed-day tables
 *    (stats_closed_*, visit_stats_closed_*).
 * The event sketch rollups (stats_hourly/daily/weekly/monthly) are fed on
 * insert and need nothing here.
 */
import type { Db } from '../client';
import type { BuildOptions } from './builder';
import { afterReports, forgetSettled, dropExpired, prepareMarks } from './settled';
import type { Level } from './tiles';

export type VisitMarks = Record<Level, number>;

export interface RollupMarks {
  visit: VisitMarks;
  /** Epoch ms: every UTC day before it is in the closed-day tables. */
  closed: { events: number; visits: number };
}

const NONE: RollupMarks = { visit: { hour: 0, day: 0, week: 0, month: 0 }, closed: { events: 0, visits: 0 } };

/** Marks this fresh are served as they are. */
const FRESH_MS = 15_000;
/** Marks up to this old are served while newer ones are read between reports. */
const STALE_MS = 10 * 60_000;
/**
 * Process-wide, on globalThis like the settled parts they key: Next.js bundles
 * the page (which starts the dashboard's call) and the stats routes apart,
 * and each bundle's own marks would be read, watched and prepared again.
 */
interface MarksState {
  cache: WeakMap<Db, { at: number; value: Promise<RollupMarks>; reading?: boolean }>;
  watching: WeakMap<Db, ReturnType<typeof setInterval>>;
}
const STATE_KEY = Symbol.for('sightline.stats.marks');
const state = ((globalThis as Record<symbol, unknown>)[STATE_KEY] ??= { cache: new WeakMap(), watching: new WeakMap() } satisfies MarksState) as MarksState;
const cache = state.cache;

const toMs = (text: string | undefined) => (text ? Date.parse(`${text.replace(' ', 'T')}Z`) || 0 : 0);

/**
 * The marks of every rollup. An older mark only means more is read from
 * finer levels, from the sketches or from `sessions` (marks only move back
 * on a rebuild, which forgets them), so marks are cached: fresh ones served
 * as they are, older ones served while newer ones are read once no report
 * is in flight (chdb runs one query at a time, so reading them now would
 * only delay the request).
 */
export function rollupMarks(db: Db, nowMs = Date.now()): Promise<RollupMarks> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.at < FRESH_MS) return hit.value;
  if (hit && nowMs - hit.at < STALE_MS) {
    if (!hit.reading) {
      hit.reading = true;
      afterReports(db, () => {
        readMarks(db).then(
          async (marks) => {
            // Moved: the kept settled parts are read under the new marks first, so the
            // requests in the meantime answer from the old ones instead of the one query.
            if (JSON.stringify(marks) !== JSON.stringify(await hit.value)) {
              await prepareMarks(db, { rollups: true, visitMarks: marks.visit, closed: marks.closed, nowMs: Date.now() }).catch(() => undefined);
            }
            if (cache.get(db) === hit) cache.set(db, { at: Date.now(), value: Promise.resolve(marks) });
          },
          () => (hit.reading = false), // keep serving these; try again on the next request
        );
      });
    }
    return hit.value;
  }
  const value = readMarks(db).catch(() => NONE);
  cache.set(db, { at: nowMs, value });
  return value;
}

function readMarks(db: Db): Promise<RollupMarks> {
  return db
    .query<{ h: string; d: string; w: string; m: string; ce: string; cv: string }>(
      `SELECT
         (SELECT toString(max(hour)) FROM visit_stats_hourly WHERE site_id = '' AND dim = '#done') AS h,
         (SELECT toString(max(toDateTime(value, 'UTC'))) FROM visit_stats_daily WHERE site_id = '' AND dim = '#done') AS d,
         (SELECT toString(max(toDateTime(value, 'UTC'))) FROM visit_stats_weekly WHERE site_id = '' AND dim = '#done') AS w,
         (SELECT toString(max(toDateTime(value, 'UTC'))) FROM visit_stats_monthly WHERE site_id = '' AND dim = '#done') AS m,
         (SELECT toString(max(day)) FROM stats_closed_daily WHERE site_id = '' AND dim = '#done') AS ce,
         (SELECT toString(max(day)) FROM visit_stats_closed_daily WHERE site_id = '' AND dim = '#done') AS cv`,
    )
    .then(([r]) => ({
      visit: { hour: toMs(r?.h), day: toMs(r?.d), week: toMs(r?.w), month: toMs(r?.m) },
      closed: { events: dayMs(r?.ce), visits: dayMs(r?.cv) },
    }));
}

/** 1970-01-01 is what max() of no rows gives: no closed day. */
const dayMs = (day: string | undefined) => (day && day !== '1970-01-01' ? toMs(`${day} 00:00:00`) : 0);

/** Forgets the marks and the reports' settled results (settled.ts): the rollups changed. */
export function forgetRollupMarks(db: Db): void {
  cache.delete(db);
  forgetSettled(db);
}

/** The tables the refreshable views fill (the visit rollup, the closed days). */
export const REFRESHED_TABLES = [
  'visit_stats_hourly',
  'visit_stats_daily',
  'visit_stats_weekly',
  'visit_stats_monthly',
  'stats_closed_daily',
  'stats_closed_weekly',
  'stats_closed_monthly',
  'visit_stats_closed_daily',
  'visit_stats_closed_weekly',
  'visit_stats_closed_monthly',
];

/** The refreshable views, in the order each reads what the one before wrote. */
const REFRESHES = ['visit_stats_refresh', 'stats_closed_refresh', 'visit_stats_closed_refresh'];

/** Runs the rollups' refreshes now and waits for them (tests, benchmark, after an import). */
export async function refreshRollups(db: Db): Promise<void> {
  for (const view of REFRESHES) {
    await db.command(`SYSTEM REFRESH VIEW ${view}`);
    await db.command(`SYSTEM WAIT VIEW ${view}`);
  }
  forgetRollupMarks(db);
}

/**
 * Recomputes the refreshed rollups: the visit rollup from `sessions`, the
 * closed days from the sketch rollups (after events older than their marks
 * were imported).
 */
export async function rebuildRollups(db: Db): Promise<void> {
  // Stopped (a running refresh is cancelled) so no run appends to the emptied tables.
  for (const view of REFRESHES) await db.command(`SYSTEM STOP VIEW ${view}`);
  try {
    for (const table of REFRESHED_TABLES) await db.command(`TRUNCATE TABLE ${table}`);
  } finally {
    for (const view of REFRESHES) await db.command(`SYSTEM START VIEW ${view}`);
  }
  forgetRollupMarks(db);
  await refreshRollups(db);
}

/**
 * While settled parts are kept, the marks are read every minute without
 * waiting for a request: a move is then prepared (prepareMarks) in the
 * background, and a dashboard opened after a quiet spell finds its parts
 * kept under the new marks instead of reading the marks on its way.
 */
const WATCH_MS = 60_000;
const watching = state.watching;

function watchMarks(db: Db): void {
  if (watching.has(db)) return;
  const timer = setInterval(() => {
    if (!dropExpired(db)) {
      clearInterval(timer);
      watching.delete(db);
      return;
    }
    rollupMarks(db).catch(() => undefined);
  }, WATCH_MS);
  timer.unref?.();
  watching.set(db, timer);
}

/** Build options for a report: the rollups' marks when rollups are on. */
export async function buildOptions(db: Db, rollups: boolean, now?: Date): Promise<BuildOptions> {
  if (!rollups) return { rollups };
  watchMarks(db);
  const nowMs = (now ?? new Date()).getTime();
  const marks = await rollupMarks(db, nowMs);
  return { rollups, visitMarks: marks.visit, closed: marks.closed, nowMs };
}
