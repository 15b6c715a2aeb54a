/**
 * History for a web node that started less than 30 minutes ago: what the
 * live stream delivered before the node listened is read back from
 * ClickHouse, for one site, for [from, until) where `until` is the node's
 * stream boundary.
 *
 *   - per-minute totals from the `site_stats_minute` rollup (cheap, exact);
 *   - the same minutes broken down by (name, page, source, country, device)
 *     from `events`, so filters work on history too (capped at
 *     MAX_HISTORY_COMBOS rows; what the cap cuts off, and any difference to
 *     the rollup, is kept as an all-"(other)" count so unfiltered totals stay
 *     exact);
 *   - the events of the last 5 minutes (who is online, and where);
 *   - the last 500 feed events.
 * The minute holding `until` is taken from `events` only, since the rollup
 * cannot split a minute at the boundary.
 */
import { toClickHouseTime, type Db } from '../../db/client';
import type { LiveEvent } from './event';
import type { History, RebuildFn } from './hub';
import { MAX_VALUE_CHARS, OTHER_VALUE } from './protocol';
import { minuteOf, SITE_FEED_KEEP, type MinuteCount } from './window';

export const MAX_HISTORY_COMBOS = 50_000;
export const MAX_HISTORY_EVENTS = 200_000;

type Num = string | number;

interface ComboRow {
  m: Num;
  n: string;
  page: string;
  source: string;
  country: string;
  dev: string;
  pv: Num;
  ev: Num;
}

interface EventRowLite {
  t: Num;
  visit: string;
  n: string;
  page: string;
  source: string;
  country: string;
  dev: string;
  c: string;
  b: string;
}

const cut = (s: string) => s.slice(0, MAX_VALUE_CHARS);

const RANGE = `site_id = {site:String}
  AND toDate(timestamp) >= toDate({from:DateTime64(3, 'UTC')})
  AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {until:DateTime64(3, 'UTC')}`;

const EVENT_COLUMNS = `toUnixTimestamp64Milli(timestamp) AS t, toString(session_id) AS visit, name AS n, pathname AS page,
  referrer_source AS source, country_code AS country, device AS dev, city AS c, browser AS b`;

export function clickHouseHistory(db: Db): RebuildFn {
  return async (site, { from, until, recentFrom }): Promise<History> => {
    const p = (a: number, b: number) => ({ site, from: toClickHouseTime(a), until: toClickHouseTime(b) });
    // Sequential on purpose: the embedded engine serves one query at a time anyway.
    const combos = await db.query<ComboRow>(
      `SELECT toUnixTimestamp(toStartOfMinute(timestamp)) * 1000 AS m, name AS n, pathname AS page, referrer_source AS source,
              country_code AS country, device AS dev, countIf(name = 'pageview') AS pv, countIf(name != 'engagement') AS ev
       FROM events WHERE ${RANGE}
       GROUP BY m, n, page, source, country, dev HAVING ev > 0
       ORDER BY ev DESC LIMIT ${MAX_HISTORY_COMBOS}`,
      p(from, until),
    );
    const untilMinute = minuteOf(until);
    const totals = await db.query<{ m: Num; pv: Num; ev: Num }>(
      `SELECT toUnixTimestamp(minute) * 1000 AS m, sum(pageviews) AS pv, sum(events) AS ev
       FROM site_stats_minute
       WHERE site_id = {site:String} AND minute >= {from:DateTime64(3, 'UTC')} AND minute < {until:DateTime64(3, 'UTC')}
       GROUP BY m`,
      p(from, untilMinute),
    );
    const recent = await db.query<EventRowLite>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${RANGE} ORDER BY timestamp LIMIT ${MAX_HISTORY_EVENTS}`,
      p(Math.max(from, recentFrom), until),
    );
    const feed = await db.query<EventRowLite>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${RANGE} AND name != 'engagement' ORDER BY timestamp DESC LIMIT ${SITE_FEED_KEEP}`,
      p(from, until),
    );

    const minutes: MinuteCount[] = combos.map((r) => ({
      minute: Number(r.m),
      name: cut(r.n),
      page: cut(r.page),
      source: cut(r.source),
      country: r.country,
      device: r.dev,
      pv: Number(r.pv),
      ev: Number(r.ev),
    }));
    const summed = new Map<number, [number, number]>();
    for (const c of minutes) {
      const s = summed.get(c.minute) ?? [0, 0];
      summed.set(c.minute, [s[0] + c.pv, s[1] + c.ev]);
    }
    for (const t of totals) {
      const m = Number(t.m);
      const [pv, ev] = summed.get(m) ?? [0, 0];
      const rpv = Number(t.pv) - pv;
      const rev = Number(t.ev) - ev;
      if (rpv > 0 || rev > 0) {
        minutes.push({ minute: m, name: OTHER_VALUE, page: OTHER_VALUE, source: OTHER_VALUE, country: OTHER_VALUE, device: OTHER_VALUE, pv: Math.max(0, rpv), ev: Math.max(0, rev) });
      }
    }
    const toLive = (r: EventRowLite): LiveEvent => ({
      site,
      t: Number(r.t),
      visit: r.visit,
      name: cut(r.n),
      page: cut(r.page),
      source: cut(r.source),
      country: r.country,
      device: r.dev,
      city: cut(r.c),
      browser: r.b,
    });
    return { minutes, recent: recent.map(toLive), feed: feed.map(toLive) };
  };
}
