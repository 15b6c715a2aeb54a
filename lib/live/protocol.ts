/**
 * The live protocol (version 1), shared by the server (lib/live/hub.ts,
 * lib/live/sockets.ts) and the browser (app/sites/[domain]/live): socket
 * event names, payload types, filter normalisation, and the reducer a client
 * uses to fold deltas into its snapshot. No Node imports: this file is
 * bundled into the browser. Documented in lib/live/PROTOCOL.md.
 */

export const LIVE_PROTOCOL_VERSION = 1;

/** socket.io event names. */
export const LIVE_EVENTS = {
  /** client → server, with an ack: `SubscribeRequest` → `SubscribeAck`. */
  subscribe: 'live:subscribe',
  /** client → server, with an optional ack: leave the current room. */
  unsubscribe: 'live:unsubscribe',
  /** server → client: `LiveDelta`, at most ~4 per second per room. */
  delta: 'live:delta',
} as const;

export const MINUTE_MS = 60_000;
/** Minutes of per-minute history, besides the current minute. */
export const WINDOW_MINUTES = 30;
/** A visitor is "online" while their last event is at most this old. */
export const ONLINE_WINDOW_MS = 5 * MINUTE_MS;
/** Entries in a room's feed of recent events. */
export const FEED_SIZE = 20;

export const FILTER_DIMENSIONS = ['page', 'source', 'country', 'device', 'name'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];
/** Equality on each dimension given; all must hold. `''` is a value (e.g. no referrer source). */
export type LiveFilter = Partial<Record<FilterDimension, string>>;

export const TOP_DIMENSIONS = ['page', 'source', 'country', 'device'] as const;
export type TopDimension = (typeof TOP_DIMENSIONS)[number];

/** Longest filter value kept (live values are cut to the same length). */
export const MAX_VALUE_CHARS = 300;
/** The value that stands for everything past a dimension's cardinality cap. */
export const OTHER_VALUE = '(other)';

export interface FeedItem {
  /** Server receive time, epoch ms. */
  t: number;
  name: string;
  page: string;
  source: string;
  country: string;
  city: string;
  device: string;
  browser: string;
}

/** [minute start (epoch ms), pageviews, events]. Events exclude `engagement`. */
export type SeriesPoint = [minute: number, pageviews: number, events: number];
/** [value, visitors online with that value]. */
export type TopEntry = [value: string, visitors: number];

export interface LiveSnapshot {
  v: typeof LIVE_PROTOCOL_VERSION;
  /** Room id: `<domain>?<filterKey>`. Deltas carry the same id. */
  room: string;
  domain: string;
  filter: LiveFilter;
  /** The seq of the last delta already included; the next delta has seq + 1. */
  seq: number;
  /** Server clock (epoch ms) when taken. */
  now: number;
  /** Start of the current minute (epoch ms); the series covers [minute − 30 min, minute]. */
  minute: number;
  online: number;
  /** Sparse (minutes without counts are absent), ascending. */
  series: SeriesPoint[];
  /** Every value the room counts (bounded, see PROTOCOL.md), highest first. */
  top: Record<TopDimension, TopEntry[]>;
  /** Newest first, at most FEED_SIZE. */
  feed: FeedItem[];
  /** false when the node could not rebuild history it missed (ClickHouse unavailable). */
  complete: boolean;
}

/** Changes since the previous delta of the same room. Every number is a difference. */
export interface LiveDelta {
  v: typeof LIVE_PROTOCOL_VERSION;
  room: string;
  seq: number;
  now: number;
  minute: number;
  online: number;
  series: SeriesPoint[];
  top: Partial<Record<TopDimension, TopEntry[]>>;
  /** New feed items, newest first, at most FEED_SIZE. */
  feed: FeedItem[];
}

export interface SubscribeRequest {
  v?: number;
  domain: string;
  filter?: LiveFilter;
}

export type SubscribeError = 'invalid' | 'forbidden' | 'rate_limited' | 'too_many_rooms' | 'unavailable';
export type SubscribeAck = { ok: true; snapshot: LiveSnapshot } | { ok: false; error: SubscribeError; detail?: string };

/** Keeps known dimensions only, values cut to MAX_VALUE_CHARS. Throws on a non-string value. */
export function normalizeFilter(input: unknown): LiveFilter {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new TypeError('filter must be an object');
  const out: LiveFilter = {};
  for (const dim of FILTER_DIMENSIONS) {
    const v = (input as Record<string, unknown>)[dim];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new TypeError(`filter.${dim} must be a string`);
    out[dim] = v.slice(0, MAX_VALUE_CHARS);
  }
  return out;
}

/** Canonical, order-independent text of a filter: `page=%2Fa&country=DE`. */
export function filterKey(filter: LiveFilter): string {
  return FILTER_DIMENSIONS.filter((d) => filter[d] !== undefined)
    .map((d) => `${d}=${encodeURIComponent(filter[d]!)}`)
    .join('&');
}

export function roomId(domain: string, filter: LiveFilter): string {
  return `${domain}?${filterKey(filter)}`;
}

// ---------------------------------------------------------------------------
// Client-side state: snapshot + deltas.

export interface LiveState {
  room: string;
  seq: number;
  now: number;
  minute: number;
  online: number;
  /** minute → [pageviews, events] */
  series: Map<number, [number, number]>;
  top: Record<TopDimension, Map<string, number>>;
  feed: FeedItem[];
  complete: boolean;
}

export function stateFromSnapshot(s: LiveSnapshot): LiveState {
  const top = {} as LiveState['top'];
  for (const d of TOP_DIMENSIONS) top[d] = new Map(s.top[d]);
  return {
    room: s.room,
    seq: s.seq,
    now: s.now,
    minute: s.minute,
    online: s.online,
    series: new Map(s.series.map(([m, pv, ev]) => [m, [pv, ev]])),
    top,
    feed: s.feed.slice(0, FEED_SIZE),
    complete: s.complete,
  };
}

/**
 * Folds a delta into a state, returning a new state (the input is not
 * changed). Returns null when the delta does not follow the state (another
 * room, or a gap in seq): the client must subscribe again for a snapshot.
 */
export function applyDelta(state: LiveState, d: LiveDelta): LiveState | null {
  if (d.room !== state.room || d.seq !== state.seq + 1) return null;
  const series = new Map(state.series);
  for (const [m, pv, ev] of d.series) {
    const cur = series.get(m) ?? [0, 0];
    const next: [number, number] = [cur[0] + pv, cur[1] + ev];
    if (next[0] === 0 && next[1] === 0) series.delete(m);
    else series.set(m, next);
  }
  const windowStart = d.minute - WINDOW_MINUTES * MINUTE_MS;
  for (const m of series.keys()) if (m < windowStart) series.delete(m);

  const top = { ...state.top };
  for (const dim of TOP_DIMENSIONS) {
    const changes = d.top[dim];
    if (!changes || changes.length === 0) continue;
    const map = new Map(state.top[dim]);
    for (const [value, change] of changes) {
      const n = (map.get(value) ?? 0) + change;
      if (n <= 0) map.delete(value);
      else map.set(value, n);
    }
    top[dim] = map;
  }

  const feed = d.feed.length ? [...d.feed, ...state.feed] : state.feed.slice();
  const kept = feed.filter((f) => f.t >= windowStart).slice(0, FEED_SIZE);

  return { ...state, seq: d.seq, now: d.now, minute: d.minute, online: state.online + d.online, series, top, feed: kept };
}

/** A state as plain, comparable data (sorted), e.g. to compare with a snapshot in tests. */
export function stateToPlain(s: LiveState) {
  const top = {} as Record<TopDimension, TopEntry[]>;
  for (const d of TOP_DIMENSIONS) top[d] = [...s.top[d]].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    room: s.room,
    seq: s.seq,
    minute: s.minute,
    online: s.online,
    series: [...s.series].map(([m, [pv, ev]]) => [m, pv, ev] as SeriesPoint).sort((a, b) => a[0] - b[0]),
    top,
    feed: s.feed,
  };
}

/** Highest counts first, ties by value. */
export function topList(map: Map<string, number>, limit: number): TopEntry[] {
  return [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
}
