/**
 * Writes a batch of enriched events to ClickHouse, exactly once:
 *   1. drop ids repeated inside the batch;
 *   2. drop ids already stored (a redelivered Kafka message) by looking them
 *      up in `event_ids`, a time-sorted table of the last two days' ids —
 *      or, when `thorough`, in `events` itself: an insert cut short by a
 *      crash can leave the rows in `events` without their `event_ids`
 *      (views are separate parts), so the first batch a worker reads after
 *      taking over a partition, the one that may repeat a dead worker's
 *      last insert, is checked against the table of record;
 *   3. assign visits;
 *   4. insert with a deduplication token derived from the ids, so a retried
 *      insert whose first attempt did land is a no-op, materialized views
 *      included.
 * Used by the Kafka consumer and by the embedded in-process worker alike.
 */
import crypto from 'node:crypto';
import { toClickHouseTime, type Db } from '../db/client';
import type { EnrichedEvent, EventRow } from '../lib/event/enriched';
import { metrics } from '../lib/metrics';
import { SessionTracker, type SessionLookup, type SessionState } from './sessions';

export interface StoreResult {
  rows: EventRow[];
  duplicates: number;
}

export type StoredListener = (rows: EventRow[]) => void;

export class EventStore {
  readonly sessions: SessionTracker;
  private listeners: StoredListener[] = [];

  constructor(private readonly db: Db) {
    this.sessions = new SessionTracker(sessionLookup(db));
  }

  /** Live counters subscribe here: called with every batch once it is committed. */
  onStored(listener: StoredListener): void {
    this.listeners.push(listener);
  }

  async ping(): Promise<boolean> {
    return this.db.client.ping().then((r) => r.success, () => false);
  }

  async store(events: EnrichedEvent[], opts: { thorough?: boolean } = {}): Promise<StoreResult> {
    const unique = [...new Map(events.map((e) => [e.event_id, e])).values()];
    const stored = await this.storedIds(unique, opts.thorough ?? false);
    const fresh = unique.filter((e) => !stored.has(e.event_id));
    const duplicates = events.length - fresh.length;
    if (duplicates > 0) metrics.duplicates.inc(duplicates);

    const rows = await this.sessions.assign(fresh);
    if (rows.length > 0) {
      const end = metrics.insertLatency.startTimer();
      try {
        await this.db.insert('events', rows, dedupToken(rows));
      } catch (err) {
        metrics.insertErrors.inc();
        throw err;
      } finally {
        end();
      }
      metrics.inserted.inc(rows.length);
      for (const l of this.listeners) l(rows);
    }
    return { rows, duplicates };
  }

  private async storedIds(events: EnrichedEvent[], thorough: boolean): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    let min = Infinity;
    let max = -Infinity;
    for (const e of events) {
      min = Math.min(min, e.timestamp);
      max = Math.max(max, e.timestamp);
    }
    const params = {
      min: toClickHouseTime(min),
      max: toClickHouseTime(max),
      ids: events.map((e) => e.event_id),
      sites: [...new Set(events.map((e) => e.site_id))],
    };
    const found = await this.db.query<{ id: string }>(
      thorough
        ? `SELECT toString(event_id) AS id FROM events
           WHERE site_id IN {sites:Array(String)}
             AND timestamp BETWEEN {min:DateTime64(3, 'UTC')} AND {max:DateTime64(3, 'UTC')}
             AND event_id IN {ids:Array(UUID)}`
        : `SELECT toString(event_id) AS id FROM event_ids
           WHERE timestamp BETWEEN {min:DateTime64(3, 'UTC')} AND {max:DateTime64(3, 'UTC')}
             AND event_id IN {ids:Array(UUID)}`,
      params,
    );
    return new Set(found.map((r) => r.id));
  }
}

function dedupToken(rows: EventRow[]): string {
  const h = crypto.createHash('sha256');
  for (const r of rows) h.update(r.event_id);
  return h.digest('hex');
}

/** Open visits of these visitors, from the `sessions` rollup. */
function sessionLookup(db: Db): SessionLookup {
  return async (site, visitorIds, since) => {
    // Aliases differ from column names: ClickHouse resolves WHERE against aliases first.
    const rows = await db.query<{ sid: string; vid: string; last_ms: string } & SessionState['attrs']>(
      `SELECT toString(session_id) AS sid, toString(any(visitor_id)) AS vid,
              toUnixTimestamp64Milli(max(end)) AS last_ms,
              any(referrer) AS referrer, any(referrer_source) AS referrer_source, any(channel) AS channel,
              any(utm_source) AS utm_source, any(utm_medium) AS utm_medium, any(utm_campaign) AS utm_campaign,
              any(utm_content) AS utm_content, any(utm_term) AS utm_term,
              any(country_code) AS country_code, any(region) AS region, any(city) AS city,
              any(browser) AS browser, any(browser_version) AS browser_version, any(os) AS os,
              any(os_version) AS os_version, any(device) AS device, any(screen_width) AS screen_width
       FROM sessions
       WHERE site_id = {site:String}
         AND session_date >= toDate({since:DateTime64(3, 'UTC')}) - 1
         AND visitor_id IN {visitors:Array(UInt64)}
       GROUP BY session_id
       HAVING max(end) >= {since:DateTime64(3, 'UTC')}`,
      { site, visitors: visitorIds.map((v) => BigInt(v)), since: toClickHouseTime(since) },
    );
    return rows.map(({ sid, vid, last_ms, ...attrs }) => ({
      site_id: site,
      session_id: sid,
      visitor_id: vid,
      last: Number(last_ms),
      attrs: { ...attrs, screen_width: Number(attrs.screen_width) },
    }));
  };
}
