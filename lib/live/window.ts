/**
 * Live state of one site, kept incrementally from the event stream:
 *
 *   SiteWindow (one per site, whatever the filters)
 *     - per-minute counts for the last 30 minutes, broken down by
 *       (name, page, source, country, device): enough to draw the chart
 *       under any filter;
 *     - the events of the last 5 minutes (compact): enough to rebuild who is
 *       online, and where, under any filter;
 *     - the last 500 feed events.
 *     Values of each dimension pass a cardinality cap first (CARDINALITY):
 *     past the cap a new value becomes "(other)".
 *
 *   Room (one per site + filter that someone watches)
 *     - the filtered chart series, online visits (ordered by last activity)
 *       with per-dimension counts, and the feed;
 *     - built once from the SiteWindow when first watched, then updated by
 *       each matching event, and expired by the clock;
 *     - every change is also added to a pending delta, which the hub sends
 *       and clears (coalesced), so a snapshot equals the previous snapshot
 *       plus the deltas sent in between.
 */
import type { LiveEvent } from './event';
import {
  FEED_SIZE,
  MINUTE_MS,
  ONLINE_WINDOW_MS,
  OTHER_VALUE,
  TOP_DIMENSIONS,
  WINDOW_MINUTES,
  type FeedItem,
  type LiveDelta,
  type LiveFilter,
  type LiveSnapshot,
  type FilterDimension,
  type SeriesPoint,
  type TopDimension,
  type TopEntry,
  LIVE_PROTOCOL_VERSION,
} from './protocol';

/** Distinct values a site keeps per dimension over the last 30 minutes; more become "(other)". */
export const CARDINALITY: Record<FilterDimension, number> = {
  page: 500,
  source: 200,
  country: 300,
  device: 20,
  name: 100,
};
/** Distinct (name, page, source, country, device) combinations per minute; more count as all-"(other)". */
export const MAX_COMBOS_PER_MINUTE = 10_000;
/** Feed events a site keeps, from which a new room takes its first FEED_SIZE matches. */
export const SITE_FEED_KEEP = 500;

export const minuteOf = (t: number) => t - (t % MINUTE_MS);
export const windowStartOf = (minute: number) => minute - WINDOW_MINUTES * MINUTE_MS;

const isPageview = (name: string) => name === 'pageview';
/** Engagement events keep a visitor online but are not counted as events nor shown in the feed. */
const isCounted = (name: string) => name !== 'engagement';

/** Caps distinct values; returns one shared string instance per value. */
class Dictionary {
  private values = new Map<string, { v: string; last: number }>();
  constructor(private readonly cap: number) {}

  fold(value: string, t: number): string {
    const hit = this.values.get(value);
    if (hit) {
      if (t > hit.last) hit.last = t;
      return hit.v;
    }
    if (this.values.size >= this.cap) return OTHER_VALUE;
    this.values.set(value, { v: value, last: t });
    return value;
  }

  prune(cutoff: number): void {
    for (const [k, e] of this.values) if (e.last < cutoff) this.values.delete(k);
  }

  get size(): number {
    return this.values.size;
  }
}

export interface Combo {
  name: string;
  page: string;
  source: string;
  country: string;
  device: string;
  pv: number;
  ev: number;
}

/** A compact per-minute count, as a rebuild from ClickHouse delivers it. */
export interface MinuteCount extends Omit<Combo, 'pv' | 'ev'> {
  minute: number;
  pv: number;
  ev: number;
}

const comboKey = (c: Omit<Combo, 'pv' | 'ev'>) => `${c.name}\u0001${c.page}\u0001${c.source}\u0001${c.country}\u0001${c.device}`;

export class SiteWindow {
  /** minute → combination → counts */
  readonly minutes = new Map<number, Map<string, Combo>>();
  /** Events of the last 5 minutes, oldest first (a deque: `head` is the first live index). */
  private recent: LiveEvent[] = [];
  private head = 0;
  /** Feed events, oldest first. */
  private feedEvents: LiveEvent[] = [];
  private dicts = Object.fromEntries(Object.entries(CARDINALITY).map(([d, cap]) => [d, new Dictionary(cap)])) as Record<
    FilterDimension,
    Dictionary
  >;
  readonly rooms = new Map<string, Room>();
  lastEvent = 0;
  /** Set once the history before this node's start has been merged (or given up on). */
  ready: Promise<void> | null = null;
  complete = true;

  constructor(readonly site: string) {}

  /** Folds dimension values through the caps, then records the event. Returns the folded event. */
  add(raw: LiveEvent): LiveEvent {
    const e = this.fold(raw);
    this.count(e, isPageview(e.name) ? 1 : 0, isCounted(e.name) ? 1 : 0, minuteOf(e.t));
    this.recent.push(e);
    if (isCounted(e.name)) {
      this.feedEvents.push(e);
      if (this.feedEvents.length > SITE_FEED_KEEP * 2) this.feedEvents = this.feedEvents.slice(-SITE_FEED_KEEP);
    }
    if (e.t > this.lastEvent) this.lastEvent = e.t;
    return e;
  }

  fold(e: LiveEvent): LiveEvent {
    const d = this.dicts;
    return {
      ...e,
      name: d.name.fold(e.name, e.t),
      page: d.page.fold(e.page, e.t),
      source: d.source.fold(e.source, e.t),
      country: d.country.fold(e.country, e.t),
      device: d.device.fold(e.device, e.t),
    };
  }

  private count(c: Omit<Combo, 'pv' | 'ev'>, pv: number, ev: number, minute: number): void {
    if (pv === 0 && ev === 0) return;
    let bucket = this.minutes.get(minute);
    if (!bucket) this.minutes.set(minute, (bucket = new Map()));
    let key = comboKey(c);
    let combo = bucket.get(key);
    if (!combo && bucket.size >= MAX_COMBOS_PER_MINUTE) {
      const other = { name: OTHER_VALUE, page: OTHER_VALUE, source: OTHER_VALUE, country: OTHER_VALUE, device: OTHER_VALUE };
      key = comboKey(other);
      combo = bucket.get(key);
      c = other;
    }
    if (!combo) {
      combo = { name: c.name, page: c.page, source: c.source, country: c.country, device: c.device, pv: 0, ev: 0 };
      bucket.set(key, combo);
    }
    combo.pv += pv;
    combo.ev += ev;
  }

  /**
   * Merges history from before this node's start (all older than anything
   * the stream delivered). Must run before any room of the site exists.
   */
  mergeHistory(minutes: MinuteCount[], recent: LiveEvent[], feed: LiveEvent[]): void {
    if (this.rooms.size > 0) throw new Error('history must be merged before rooms exist');
    for (const m of minutes) {
      const t = m.minute;
      const c = { name: this.dicts.name.fold(m.name, t), page: this.dicts.page.fold(m.page, t), source: this.dicts.source.fold(m.source, t), country: this.dicts.country.fold(m.country, t), device: this.dicts.device.fold(m.device, t) };
      this.count(c, m.pv, m.ev, m.minute);
    }
    const older = recent.map((e) => this.fold(e)).sort((a, b) => a.t - b.t);
    this.recent = [...older, ...this.recent.slice(this.head)];
    this.head = 0;
    const olderFeed = feed.map((e) => this.fold(e)).sort((a, b) => a.t - b.t);
    this.feedEvents = [...olderFeed, ...this.feedEvents].slice(-SITE_FEED_KEEP);
    for (const e of [...older, ...olderFeed]) if (e.t > this.lastEvent) this.lastEvent = e.t;
  }

  /** Drops what fell out of the windows. */
  prune(now: number): void {
    const windowStart = windowStartOf(minuteOf(now));
    for (const m of this.minutes.keys()) if (m < windowStart) this.minutes.delete(m);
    const cutoff = now - ONLINE_WINDOW_MS;
    while (this.head < this.recent.length && this.recent[this.head]!.t < cutoff) this.head++;
    if (this.head > 1024 && this.head > this.recent.length / 2) {
      this.recent = this.recent.slice(this.head);
      this.head = 0;
    }
    if (this.feedEvents.length > SITE_FEED_KEEP) this.feedEvents = this.feedEvents.slice(-SITE_FEED_KEEP);
    while (this.feedEvents.length > 0 && this.feedEvents[0]!.t < windowStart) this.feedEvents.shift();
    for (const d of Object.values(this.dicts)) d.prune(windowStart);
  }

  /** No data left and nobody watching: the hub may drop this window. */
  idle(now: number): boolean {
    return this.rooms.size === 0 && this.lastEvent < windowStartOf(minuteOf(now));
  }

  /** A new room's state, replayed from the window. */
  fill(room: Room, now: number): void {
    const windowStart = windowStartOf(minuteOf(now));
    for (const [minute, bucket] of this.minutes) {
      if (minute < windowStart) continue;
      for (const c of bucket.values()) if (room.matches(c)) room.addCounts(minute, c.pv, c.ev, false);
    }
    const cutoff = now - ONLINE_WINDOW_MS;
    for (let i = this.head; i < this.recent.length; i++) {
      const e = this.recent[i]!;
      if (e.t >= cutoff && room.matches(e)) room.touch(e, cutoff, false);
    }
    const feed: FeedItem[] = [];
    for (let i = this.feedEvents.length - 1; i >= 0 && feed.length < FEED_SIZE; i--) {
      const e = this.feedEvents[i]!;
      if (e.t >= windowStart && room.matches(e)) feed.push(toFeedItem(e));
    }
    room.setFeed(feed);
  }

  stats() {
    let combos = 0;
    for (const b of this.minutes.values()) combos += b.size;
    return { minutes: this.minutes.size, combos, recent: this.recent.length - this.head, feed: this.feedEvents.length, rooms: this.rooms.size };
  }
}

export function toFeedItem(e: LiveEvent): FeedItem {
  return { t: e.t, name: e.name, page: e.page, source: e.source, country: e.country, city: e.city, device: e.device, browser: e.browser };
}

interface Visit {
  last: number;
  page: string;
  source: string;
  country: string;
  device: string;
}

interface Pending {
  online: number;
  series: Map<number, [number, number]>;
  top: Record<TopDimension, Map<string, number>>;
  feed: FeedItem[];
  minuteChanged: boolean;
}

const emptyTop = () => ({ page: new Map(), source: new Map(), country: new Map(), device: new Map() }) as Record<TopDimension, Map<string, number>>;

/** The live state of one site under one filter, and its pending (not yet sent) delta. */
export class Room {
  private readonly conditions: [FilterDimension, string][];
  private series = new Map<number, [number, number]>();
  /** Online visits, least recently active first. */
  private visits = new Map<string, Visit>();
  private top = emptyTop();
  private feed: FeedItem[] = [];
  private pending: Pending | null = null;
  seq = 0;
  members = 0;
  lastEmit = 0;
  timer: NodeJS.Timeout | null = null;
  idleSince = 0;

  constructor(
    readonly id: string,
    readonly domain: string,
    readonly filter: LiveFilter,
    public minute: number,
  ) {
    this.conditions = Object.entries(filter) as [FilterDimension, string][];
  }

  matches(e: Pick<LiveEvent, FilterDimension>): boolean {
    for (const [dim, value] of this.conditions) if (e[dim] !== value) return false;
    return true;
  }

  private delta(): Pending {
    return (this.pending ??= { online: 0, series: new Map(), top: emptyTop(), feed: [], minuteChanged: false });
  }

  addCounts(minute: number, pv: number, ev: number, record: boolean): void {
    if (pv === 0 && ev === 0) return;
    if (minute < windowStartOf(this.minute)) return;
    const cur = this.series.get(minute);
    if (cur) {
      cur[0] += pv;
      cur[1] += ev;
    } else this.series.set(minute, [pv, ev]);
    if (record) {
      const p = this.delta().series;
      const d = p.get(minute);
      if (d) {
        d[0] += pv;
        d[1] += ev;
      } else p.set(minute, [pv, ev]);
    }
  }

  private bump(dim: TopDimension, value: string, by: number, record: boolean): void {
    const map = this.top[dim];
    const n = (map.get(value) ?? 0) + by;
    if (n <= 0) map.delete(value);
    else map.set(value, n);
    if (record) {
      const p = this.delta().top[dim];
      p.set(value, (p.get(value) ?? 0) + by);
    }
  }

  /** Marks the event's visit active (online, with the event's page). */
  touch(e: LiveEvent, cutoff: number, record: boolean): void {
    if (e.t < cutoff) return;
    const v = this.visits.get(e.visit);
    if (!v) {
      const nv: Visit = { last: e.t, page: e.page, source: e.source, country: e.country, device: e.device };
      this.visits.set(e.visit, nv);
      for (const dim of TOP_DIMENSIONS) this.bump(dim, nv[dim], 1, record);
      if (record) this.delta().online += 1;
      return;
    }
    if (e.t < v.last) return; // an older event than what we know: the visit is where it was
    for (const dim of TOP_DIMENSIONS) {
      if (v[dim] !== e[dim]) {
        this.bump(dim, v[dim], -1, record);
        this.bump(dim, e[dim], 1, record);
        v[dim] = e[dim];
      }
    }
    v.last = e.t;
    // Re-insert: Map order stays "least recently active first", so expiry stops at the first live visit.
    this.visits.delete(e.visit);
    this.visits.set(e.visit, v);
  }

  /** Applies one (folded, matching) event from the stream. */
  apply(e: LiveEvent, now: number): void {
    this.addCounts(minuteOf(e.t), isPageview(e.name) ? 1 : 0, isCounted(e.name) ? 1 : 0, true);
    this.touch(e, now - ONLINE_WINDOW_MS, true);
    if (isCounted(e.name) && e.t >= windowStartOf(this.minute)) {
      const item = toFeedItem(e);
      this.feed.unshift(item);
      if (this.feed.length > FEED_SIZE) this.feed.length = FEED_SIZE;
      const p = this.delta().feed;
      p.unshift(item);
      if (p.length > FEED_SIZE) p.length = FEED_SIZE;
    }
  }

  setFeed(feed: FeedItem[]): void {
    this.feed = feed.slice(0, FEED_SIZE);
  }

  /** Clock tick: expire idle visits, roll the minute. Returns whether anything changed. */
  tick(now: number): boolean {
    let changed = false;
    const cutoff = now - ONLINE_WINDOW_MS;
    for (const [id, v] of this.visits) {
      if (v.last >= cutoff) break;
      this.visits.delete(id);
      for (const dim of TOP_DIMENSIONS) this.bump(dim, v[dim], -1, true);
      this.delta().online -= 1;
      changed = true;
    }
    const minute = minuteOf(now);
    if (minute > this.minute) {
      this.minute = minute;
      const windowStart = windowStartOf(minute);
      for (const m of this.series.keys()) if (m < windowStart) this.series.delete(m);
      this.feed = this.feed.filter((f) => f.t >= windowStart);
      this.delta().minuteChanged = true;
      changed = true;
    }
    return changed;
  }

  get dirty(): boolean {
    return this.pending !== null;
  }

  get online(): number {
    return this.visits.size;
  }

  /** The pending changes as the next delta (seq advanced), or null when nothing changed. */
  takeDelta(now: number): LiveDelta | null {
    const p = this.pending;
    this.pending = null;
    if (!p) return null;
    const series: SeriesPoint[] = [];
    for (const [m, [pv, ev]] of p.series) if (pv !== 0 || ev !== 0) series.push([m, pv, ev]);
    series.sort((a, b) => a[0] - b[0]);
    const top: LiveDelta['top'] = {};
    let topChanges = 0;
    for (const dim of TOP_DIMENSIONS) {
      const entries: TopEntry[] = [];
      for (const [v, n] of p.top[dim]) if (n !== 0) entries.push([v, n]);
      if (entries.length) {
        top[dim] = entries;
        topChanges += entries.length;
      }
    }
    if (p.online === 0 && series.length === 0 && topChanges === 0 && p.feed.length === 0 && !p.minuteChanged) return null;
    this.seq += 1;
    return { v: LIVE_PROTOCOL_VERSION, room: this.id, seq: this.seq, now, minute: this.minute, online: p.online, series, top, feed: p.feed };
  }

  /** Drops pending changes without sending them (nobody listens). */
  discardPending(): void {
    this.pending = null;
  }

  snapshot(now: number, complete: boolean): LiveSnapshot {
    const top = {} as LiveSnapshot['top'];
    for (const dim of TOP_DIMENSIONS) top[dim] = [...this.top[dim]].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return {
      v: LIVE_PROTOCOL_VERSION,
      room: this.id,
      domain: this.domain,
      filter: this.filter,
      seq: this.seq,
      now,
      minute: this.minute,
      online: this.visits.size,
      series: [...this.series].map(([m, [pv, ev]]) => [m, pv, ev] as SeriesPoint).sort((a, b) => a[0] - b[0]),
      top,
      feed: this.feed.slice(),
      complete,
    };
  }
}
