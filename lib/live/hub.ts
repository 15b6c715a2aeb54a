/**
 * LiveHub: all live state of one web node, independent of socket.io.
 *
 *   ingest(events)      every committed event, from EventStore.onStored
 *                       (embedded) or the `sightline.live` topic (scale-out)
 *   subscribe(...)      a client joins a room: its snapshot, taken after the
 *                       room's pending delta went out, then its deltas
 *   leave(roomId)       a client left; an empty room is dropped after a grace
 *
 * Deltas are coalesced per room: the first change after a quiet period goes
 * out at once, further ones at most every `coalesceMs` (250 ms → ≤ 4/s).
 * A 1-second clock expires visitors and rolls the minute.
 *
 * History: events from before this node started are not in the stream. The
 * first subscription to a site, while the node is younger than the window,
 * waits for `rebuild` (ClickHouse) to merge [now − 30 min, boundary), and
 * stream events older than the boundary are ignored, so nothing is counted
 * twice. See lib/live/rebuild.ts.
 */
import type { LiveEvent } from './event';
import { MINUTE_MS, ONLINE_WINDOW_MS, WINDOW_MINUTES, roomId, type LiveDelta, type LiveFilter, type LiveSnapshot } from './protocol';
import { Room, SiteWindow, minuteOf, type MinuteCount } from './window';

export interface History {
  minutes: MinuteCount[];
  recent: LiveEvent[];
  feed: LiveEvent[];
}

/** History of [from, until): per-minute counts, events since `recentFrom`, the latest feed events. */
export type RebuildFn = (site: string, range: { from: number; until: number; recentFrom: number }) => Promise<History>;
export type EmitFn = (room: string, delta: LiveDelta) => void;

export interface HubOptions {
  now?: () => number;
  /** Minimum time between two deltas of one room. */
  coalesceMs?: number;
  tickMs?: number;
  /** How long an empty room is kept for a client that comes back. */
  roomGraceMs?: number;
  maxRoomsPerSite?: number;
  maxRooms?: number;
  rebuild?: RebuildFn;
  /** Wait this long after the boundary before querying history, so in-flight events are committed. */
  rebuildDelayMs?: number;
  /** Stream events older than this are ignored (history covers them). Unset: set later with setBoundary. */
  boundary?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class LiveError extends Error {
  constructor(
    readonly code: 'too_many_rooms' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

export class LiveHub {
  private readonly sites = new Map<string, SiteWindow>();
  private readonly rooms = new Map<string, Room>();
  private emitFn: EmitFn = () => undefined;
  private readonly now: () => number;
  private readonly coalesceMs: number;
  private readonly roomGraceMs: number;
  private readonly maxRoomsPerSite: number;
  private readonly maxRooms: number;
  private readonly clock: NodeJS.Timeout;
  private boundary: number | null;
  private readonly startedAt: number;
  private boundaryWaiters: (() => void)[] = [];
  private closed = false;
  /** Deltas sent, events ingested: for metrics and the bench. */
  readonly counters = { events: 0, deltas: 0, ignored: 0 };
  /** Called for each event taken with its delay (ms) from receipt by ingest to now. */
  onLag: ((ms: number) => void) | null = null;

  constructor(private readonly opts: HubOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.coalesceMs = opts.coalesceMs ?? 250;
    this.roomGraceMs = opts.roomGraceMs ?? 30_000;
    this.maxRoomsPerSite = opts.maxRoomsPerSite ?? 100;
    this.maxRooms = opts.maxRooms ?? 10_000;
    this.boundary = opts.boundary ?? null;
    this.startedAt = this.now();
    this.clock = setInterval(() => this.tick(), opts.tickMs ?? 1_000);
    this.clock.unref();
  }

  /** Where deltas go (socket.io rooms); set once sockets are attached. */
  setEmitter(fn: EmitFn): void {
    this.emitFn = fn;
  }

  /** The time from which the stream is complete (scale-out: when the live consumer joined). */
  setBoundary(t: number): void {
    if (this.boundary !== null) return;
    this.boundary = t;
    for (const w of this.boundaryWaiters.splice(0)) w();
  }

  ingest(events: readonly LiveEvent[]): void {
    if (this.closed || events.length === 0) return;
    const now = this.now();
    const oldest = minuteOf(now) - WINDOW_MINUTES * MINUTE_MS;
    for (const raw of events) {
      if (this.boundary === null || raw.t < this.boundary || raw.t < oldest) {
        this.counters.ignored++;
        continue;
      }
      this.counters.events++;
      this.onLag?.(now - raw.t);
      let w = this.sites.get(raw.site);
      if (!w) this.sites.set(raw.site, (w = new SiteWindow(raw.site)));
      const e = w.add(raw);
      for (const room of w.rooms.values()) {
        if (room.matches(e)) {
          room.apply(e, now);
          this.schedule(room);
        }
      }
    }
  }

  /**
   * Joins a room: resolves with its snapshot. `join` is called in the same
   * synchronous step as the snapshot is taken (after the room's pending
   * delta went out to existing members), so the joiner receives exactly the
   * deltas that follow its snapshot.
   */
  async subscribe(domain: string, filter: LiveFilter, join: (roomId: string) => void): Promise<LiveSnapshot> {
    const w = await this.readySite(domain);
    const id = roomId(domain, filter);
    let room = this.rooms.get(id);
    const now = this.now();
    if (!room) {
      if (this.rooms.size >= this.maxRooms || w.rooms.size >= this.maxRoomsPerSite) {
        throw new LiveError('too_many_rooms', 'too many different live filters are watched at once; try again later');
      }
      room = new Room(id, domain, filter, minuteOf(now));
      w.fill(room, now);
      this.rooms.set(id, room);
      w.rooms.set(id, room);
    } else {
      this.flush(room);
    }
    room.members++;
    join(id);
    return room.snapshot(now, w.complete);
  }

  leave(id: string): void {
    const room = this.rooms.get(id);
    if (!room) return;
    room.members = Math.max(0, room.members - 1);
    if (room.members === 0) room.idleSince = this.now();
  }

  private async readySite(domain: string): Promise<SiteWindow> {
    if (this.boundary === null) await new Promise<void>((r) => this.boundaryWaiters.push(r));
    if (this.closed || this.boundary === null) throw new LiveError('unavailable', 'live updates are shutting down');
    let w = this.sites.get(domain);
    if (!w) this.sites.set(domain, (w = new SiteWindow(domain)));
    const boundary = this.boundary;
    const now = this.now();
    const missesHistory = this.opts.rebuild && boundary > minuteOf(now) - WINDOW_MINUTES * MINUTE_MS;
    if (missesHistory && w.ready === null) w.ready = this.rebuildSite(w, boundary);
    if (w.ready) await w.ready;
    return w;
  }

  private async rebuildSite(w: SiteWindow, boundary: number): Promise<void> {
    const wait = boundary + (this.opts.rebuildDelayMs ?? 0) - this.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const now = this.now();
    const from = minuteOf(now) - WINDOW_MINUTES * MINUTE_MS;
    try {
      const h = await this.opts.rebuild!(w.site, { from, until: boundary, recentFrom: now - ONLINE_WINDOW_MS });
      w.mergeHistory(h.minutes, h.recent, h.feed);
      w.prune(this.now());
    } catch (err) {
      w.complete = false;
      this.opts.log?.warn({ err, site: w.site }, 'live: could not rebuild history from ClickHouse; showing what the stream brought');
    }
  }

  private schedule(room: Room): void {
    if (room.timer) return;
    const wait = Math.max(0, room.lastEmit + this.coalesceMs - this.now());
    room.timer = setTimeout(() => {
      room.timer = null;
      this.flush(room);
    }, wait);
  }

  /** Sends the room's pending delta now. */
  private flush(room: Room): void {
    if (room.timer) {
      clearTimeout(room.timer);
      room.timer = null;
    }
    if (room.members === 0) {
      room.discardPending();
      return;
    }
    const now = this.now();
    const delta = room.takeDelta(now);
    if (!delta) return;
    room.lastEmit = now;
    this.counters.deltas++;
    this.emitFn(room.id, delta);
  }

  /** Once a second: expire visitors, roll minutes, drop empty rooms and idle sites. */
  tick(): void {
    const now = this.now();
    for (const room of this.rooms.values()) {
      if (room.tick(now)) this.schedule(room);
      if (room.members === 0 && now - room.idleSince >= this.roomGraceMs) {
        if (room.timer) clearTimeout(room.timer);
        this.rooms.delete(room.id);
        this.sites.get(room.domain)?.rooms.delete(room.id);
      }
    }
    for (const [site, w] of this.sites) {
      w.prune(now);
      if (w.idle(now) && now - this.startedAt > WINDOW_MINUTES * MINUTE_MS) this.sites.delete(site);
    }
  }

  stats() {
    let members = 0;
    for (const r of this.rooms.values()) members += r.members;
    return { sites: this.sites.size, rooms: this.rooms.size, members, ...this.counters };
  }

  /** For tests: the window of a site. */
  site(domain: string): SiteWindow | undefined {
    return this.sites.get(domain);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.clock);
    for (const room of this.rooms.values()) if (room.timer) clearTimeout(room.timer);
    for (const w of this.boundaryWaiters.splice(0)) w();
  }
}
