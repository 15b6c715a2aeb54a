/** Sliding windows and filters of the live state (lib/live/window.ts). */
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../lib/live/event';
import { FEED_SIZE, MINUTE_MS, OTHER_VALUE, type LiveFilter } from '../../lib/live/protocol';
import { CARDINALITY, Room, SiteWindow, minuteOf } from '../../lib/live/window';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

function ev(t: number, visit: string, over: Partial<LiveEvent> = {}): LiveEvent {
  return { site: 's.test', t, visit, name: 'pageview', page: '/', source: 'Google', country: 'DE', device: 'Desktop', city: 'Berlin', browser: 'Chrome', ...over };
}

/** A window and one room fed incrementally, like the hub does. */
function setup(filter: LiveFilter = {}, now = T0) {
  const w = new SiteWindow('s.test');
  const room = new Room(`s.test?`, 's.test', filter, minuteOf(now));
  w.rooms.set(room.id, room);
  const add = (e: LiveEvent, at = e.t) => {
    const f = w.add(e);
    if (room.matches(f)) room.apply(f, at);
  };
  return { w, room, add };
}

const snap = (room: Room, now: number) => room.snapshot(now, true);

describe('live windows', () => {
  it('counts a visitor online for 5 minutes after their last event', () => {
    const { room, add } = setup();
    add(ev(T0, 'a'));
    add(ev(T0 + 1000, 'b'));
    add(ev(T0 + 2000, 'a', { page: '/x' }));
    expect(room.online).toBe(2);
    room.tick(T0 + 5 * MINUTE_MS + 1500); // b is now 5 min + 0.5 s old; a was active 0.5 s later
    expect(room.online).toBe(1);
    expect(snap(room, T0).top.page).toEqual([['/x', 1]]);
    room.tick(T0 + 5 * MINUTE_MS + 2001);
    expect(room.online).toBe(0);
    expect(snap(room, T0).top).toEqual({ page: [], source: [], country: [], device: [] });
  });

  it('keeps per-minute pageviews and events for 30 minutes, and shifts every minute', () => {
    const { room, add } = setup();
    add(ev(T0 + 10_000, 'a'));
    add(ev(T0 + 20_000, 'a', { name: 'signup' }));
    add(ev(T0 + 30_000, 'a', { name: 'engagement' })); // keeps online, not counted
    add(ev(T0 + MINUTE_MS + 5, 'b'));
    room.tick(T0 + MINUTE_MS + 10);
    expect(snap(room, T0 + MINUTE_MS).series).toEqual([
      [T0, 1, 2],
      [T0 + MINUTE_MS, 1, 1],
    ]);
    room.tick(T0 + 30 * MINUTE_MS + 1); // T0 is now exactly 30 minutes back: kept
    expect(snap(room, 0).series.map((p) => p[0])).toEqual([T0, T0 + MINUTE_MS]);
    room.tick(T0 + 31 * MINUTE_MS);
    expect(snap(room, 0).series).toEqual([[T0 + MINUTE_MS, 1, 1]]);
    expect(snap(room, 0).minute).toBe(T0 + 31 * MINUTE_MS);
  });

  it('moves a visitor between pages and keeps visit attributes', () => {
    const { room, add } = setup();
    add(ev(T0, 'a', { page: '/a' }));
    add(ev(T0 + 1, 'b', { page: '/a', country: 'FR', device: 'Mobile' }));
    add(ev(T0 + 2, 'a', { page: '/b' }));
    const s = snap(room, T0);
    expect(Object.fromEntries(s.top.page)).toEqual({ '/a': 1, '/b': 1 });
    expect(Object.fromEntries(s.top.country)).toEqual({ DE: 1, FR: 1 });
    expect(Object.fromEntries(s.top.device)).toEqual({ Desktop: 1, Mobile: 1 });
    expect(s.online).toBe(2);
    // An out-of-order older event does not move the visitor back.
    add(ev(T0 + 1, 'a', { page: '/a' }));
    expect(Object.fromEntries(snap(room, T0).top.page)).toEqual({ '/a': 1, '/b': 1 });
  });

  it(`feeds the newest ${FEED_SIZE} counted events, newest first`, () => {
    const { room, add } = setup();
    for (let i = 0; i < 60; i++) add(ev(T0 + i, `v${i}`, { page: `/p${i}` }));
    add(ev(T0 + 100, 'v1', { name: 'engagement' }));
    const feed = snap(room, T0).feed;
    expect(feed).toHaveLength(FEED_SIZE);
    expect(feed[0]!.page).toBe('/p59');
    expect(feed[FEED_SIZE - 1]!.page).toBe(`/p${60 - FEED_SIZE}`);
  });

  it('caps distinct values per dimension: the rest is "(other)"', () => {
    const { w, room, add } = setup();
    for (let i = 0; i < CARDINALITY.page + 10; i++) add(ev(T0, `v${i}`, { page: `/p${i}` }));
    const pages = new Map(snap(room, T0).top.page);
    expect(pages.size).toBe(CARDINALITY.page + 1);
    expect(pages.get(OTHER_VALUE)).toBe(10);
    // Values unseen for 30 minutes free their place.
    w.prune(T0 + 31 * MINUTE_MS);
    expect(w.fold(ev(T0 + 31 * MINUTE_MS, 'z', { page: '/new' })).page).toBe('/new');
  });
});

describe('live filters', () => {
  const events = (): LiveEvent[] => {
    const out: LiveEvent[] = [];
    const pages = ['/', '/pricing', '/docs'];
    const countries = ['DE', 'US', 'FR', ''];
    const sources = ['Google', '', 'Twitter'];
    const devices = ['Desktop', 'Mobile'];
    const names = ['pageview', 'pageview', 'signup', 'engagement'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      const visit = `v${rnd(150)}`;
      // Visit attributes are fixed per visit, like the worker assigns them.
      const k = Number(visit.slice(1));
      out.push(
        ev(T0 + i * 600, visit, {
          page: pages[rnd(3)]!,
          name: names[rnd(4)]!,
          country: countries[k % 4]!,
          source: sources[k % 3]!,
          device: devices[k % 2]!,
        }),
      );
    }
    return out;
  };
  const filters: LiveFilter[] = [{}, { country: 'DE' }, { page: '/pricing' }, { source: '' }, { name: 'signup', device: 'Mobile' }, { country: 'XX' }];

  it.each(filters)('a room built from the window equals one fed live (%o)', (filter) => {
    const { w, room, add } = setup(filter);
    const all = events();
    const end = all[all.length - 1]!.t;
    for (const e of all) {
      add(e);
      room.tick(e.t);
    }
    const late = new Room('late', 's.test', filter, minuteOf(end));
    w.fill(late, end);
    const a = snap(room, end);
    const b = snap(late, end);
    expect({ ...b, room: a.room }).toEqual(a);
  });

  it('only counts matching events, in every part of the state', () => {
    const { room, add } = setup({ country: 'DE', page: '/pricing' });
    add(ev(T0, 'a', { page: '/pricing' }));
    add(ev(T0 + 1, 'b', { page: '/pricing', country: 'US' }));
    add(ev(T0 + 2, 'c', { page: '/' }));
    const s = snap(room, T0);
    expect(s.online).toBe(1);
    expect(s.series).toEqual([[T0, 1, 1]]);
    expect(s.feed.map((f) => f.page + f.country)).toEqual(['/pricingDE']);
    expect(s.top.country).toEqual([['DE', 1]]);
  });
});
