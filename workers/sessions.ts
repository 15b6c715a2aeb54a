/**
 * Assigns each event to a visit. A visit ends after 30 minutes without an
 * event; its source, UTM, location and device come from its first event.
 *
 * State lives in memory: Kafka keys events by site + visitor, so one visitor's
 * events always reach the same worker. After a start or a partition
 * reassignment the cache is cold, so for the next 30 minutes misses are
 * looked up in ClickHouse before a new visit is opened.
 *
 * A new visit's id is derived from its first event, not drawn at random: the
 * live tap (workers/live-tap.ts) tracks visits ahead of the store and must
 * name them alike, and a replay after a crash names them alike too.
 */
import crypto from 'node:crypto';
import { toClickHouseTime } from '../db/client';
import { VISIT_ATTRIBUTE_KEYS, type EnrichedEvent, type EventRow, type VisitAttributes } from '../lib/event/enriched';

export const SESSION_TIMEOUT_MS = 30 * 60_000;

export interface SessionState {
  site_id: string;
  session_id: string;
  visitor_id: string;
  last: number;
  attrs: VisitAttributes;
}

export type SessionLookup = (site: string, visitorIds: string[], since: number) => Promise<SessionState[]>;

const key = (site: string, visitor: string) => `${site}\u0000${visitor}`;

/** UInt64 (decimal) from the visit's first event: same stream in, same ids out. */
export function visitIdOf(first: EnrichedEvent): string {
  return crypto.createHash('sha256').update(`${first.site_id}\u0000${first.visitor_id}\u0000${first.event_id}`).digest().readBigUInt64BE(0).toString();
}

function pickAttributes(e: EnrichedEvent): VisitAttributes {
  const a = {} as Record<keyof VisitAttributes, unknown>;
  for (const k of VISIT_ATTRIBUTE_KEYS) a[k] = e[k];
  return a as VisitAttributes;
}

export class SessionTracker {
  private cache = new Map<string, SessionState>();
  private warmUntil: number;

  /**
   * @param lookup   where to find visits this tracker has not seen
   * @param options  lookupAlways: ask `lookup` about every miss, not only while cold
   *                 (the live tap, whose lookup is another tracker's memory)
   */
  constructor(
    private readonly lookup: SessionLookup,
    private readonly now: () => number = Date.now,
    private readonly options: { lookupAlways?: boolean } = {},
  ) {
    this.warmUntil = now() + SESSION_TIMEOUT_MS;
  }

  /** After a rebalance: visitors we have not seen may have open visits elsewhere. */
  markCold(): void {
    this.warmUntil = this.now() + SESSION_TIMEOUT_MS;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Open visits of these visitors, as copies: a SessionLookup that reads this tracker's memory. */
  known: SessionLookup = async (site, visitorIds, since) => {
    const out: SessionState[] = [];
    for (const v of visitorIds) {
      const s = this.cache.get(key(site, v));
      if (s && s.last >= since) out.push({ ...s });
    }
    return out;
  };

  /** Drops visits idle for longer than the timeout. */
  sweep(): void {
    const cutoff = this.now() - SESSION_TIMEOUT_MS;
    for (const [k, s] of this.cache) if (s.last < cutoff) this.cache.delete(k);
  }

  /**
   * Events → rows with session ids and visit attributes. Engagement events
   * that belong to no open visit are dropped (they would create empty visits).
   */
  async assign(events: EnrichedEvent[]): Promise<EventRow[]> {
    const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
    // Just after midnight (UTC) the visitor id changes with the salt, and so
    // does the Kafka key: a visit begun yesterday may sit in another worker.
    const now = this.now();
    if (this.options.lookupAlways || now < this.warmUntil || now % 86_400_000 < SESSION_TIMEOUT_MS) await this.warm(sorted);
    const rows: EventRow[] = [];
    for (const e of sorted) {
      const current = this.cache.get(key(e.site_id, e.visitor_id));
      const previous = this.cache.get(key(e.site_id, e.prev_visitor_id));
      let s = [current, previous].find((c) => c && e.timestamp - c.last < SESSION_TIMEOUT_MS);
      if (!s) {
        if (e.name === 'engagement') continue;
        s = { site_id: e.site_id, session_id: visitIdOf(e), visitor_id: e.visitor_id, last: e.timestamp, attrs: pickAttributes(e) };
      }
      s.last = Math.max(s.last, e.timestamp);
      // Today's id always finds the visit, even when it began under yesterday's salt.
      this.cache.set(key(e.site_id, e.visitor_id), s);
      const { prev_visitor_id: _prev, timestamp, ...rest } = e;
      rows.push({ ...rest, ...s.attrs, visitor_id: s.visitor_id, session_id: s.session_id, timestamp: toClickHouseTime(timestamp) });
    }
    return rows;
  }

  private async warm(events: EnrichedEvent[]): Promise<void> {
    const missing = new Map<string, Set<string>>();
    for (const e of events) {
      for (const v of [e.visitor_id, e.prev_visitor_id]) {
        if (this.cache.has(key(e.site_id, v))) continue;
        let set = missing.get(e.site_id);
        if (!set) missing.set(e.site_id, (set = new Set()));
        set.add(v);
      }
    }
    const since = this.now() - SESSION_TIMEOUT_MS;
    for (const [site, visitors] of missing) {
      for (const s of await this.lookup(site, [...visitors], since)) {
        const k = key(site, s.visitor_id);
        const known = this.cache.get(k);
        if (!known || known.last < s.last) this.cache.set(k, s);
      }
    }
  }
}
