/** Filter normalisation, the client reducer and the Kafka message codec (lib/live/protocol.ts, event.ts). */
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../lib/event/enriched';
import { decodeLiveMessage, encodeLiveMessages, fromEventRow, type LiveEvent } from '../../lib/live/event';
import { MINUTE_MS, applyDelta, filterKey, normalizeFilter, roomId, stateFromSnapshot, type LiveSnapshot } from '../../lib/live/protocol';

describe('filters', () => {
  it('keep known dimensions only and have one canonical key', () => {
    const f = normalizeFilter({ country: 'DE', page: '/a b', utm: 'x', name: undefined });
    expect(f).toEqual({ country: 'DE', page: '/a b' });
    expect(filterKey(f)).toBe('page=%2Fa%20b&country=DE');
    expect(filterKey({ country: 'DE', page: '/a b' })).toBe(filterKey({ page: '/a b', country: 'DE' }));
    expect(roomId('s.test', {})).toBe('s.test?');
    expect(normalizeFilter({ source: '' })).toEqual({ source: '' });
    expect(() => normalizeFilter({ page: 3 })).toThrow(/page/);
    expect(() => normalizeFilter('page=/')).toThrow();
    expect(normalizeFilter({ page: 'x'.repeat(1000) }).page).toHaveLength(300);
  });
});

describe('client reducer', () => {
  const T = Date.UTC(2026, 0, 1, 0, 40);
  const snap: LiveSnapshot = {
    v: 1, room: 's?', domain: 's', filter: {}, seq: 4, now: T, minute: T, online: 2,
    series: [[T - 30 * MINUTE_MS, 1, 1], [T, 2, 3]],
    top: { page: [['/a', 2]], source: [['', 2]], country: [['DE', 2]], device: [['Desktop', 2]] },
    feed: [{ t: T, name: 'pageview', page: '/a', source: '', country: 'DE', city: '', device: 'Desktop', browser: '' }],
    complete: true,
  };

  it('adds differences, drops zeroes and minutes that left the window', () => {
    const s = stateFromSnapshot(snap);
    const next = applyDelta(s, {
      v: 1, room: 's?', seq: 5, now: T + MINUTE_MS, minute: T + MINUTE_MS, online: -1,
      series: [[T + MINUTE_MS, 1, 1]],
      top: { page: [['/a', -1]], country: [['DE', -2], ['US', 1]] },
      feed: [],
    })!;
    expect(next.online).toBe(1);
    expect([...next.series]).toEqual([[T, [2, 3]], [T + MINUTE_MS, [1, 1]]]);
    expect([...next.top.page]).toEqual([['/a', 1]]);
    expect([...next.top.country]).toEqual([['US', 1]]);
    expect(s.online).toBe(2); // the input is not changed
  });

  it('refuses a delta that does not follow (gap or other room)', () => {
    const s = stateFromSnapshot(snap);
    const d = { v: 1 as const, room: 's?', seq: 6, now: T, minute: T, online: 0, series: [], top: {}, feed: [] };
    expect(applyDelta(s, d)).toBeNull();
    expect(applyDelta(s, { ...d, seq: 5, room: 'x?' })).toBeNull();
  });
});

describe('Kafka live messages', () => {
  const row = (site: string, i: number): EventRow =>
    ({
      event_id: `e${i}`, site_id: site, timestamp: '2026-01-10 12:00:01.250', name: i % 2 ? 'signup' : 'pageview',
      visitor_id: '1', session_id: `9${i}`, hostname: site, pathname: `/p${i % 3}`, referrer: '', referrer_source: 'Google',
      channel: 'Organic Search', utm_source: '', utm_medium: '', utm_campaign: '', utm_content: '', utm_term: '',
      country_code: 'DE', region: '', city: 'Berlin', browser: 'Chrome', browser_version: '1', os: 'Linux', os_version: '',
      device: 'Desktop', screen_width: 0, props: {}, revenue_amount: null, revenue_currency: '', interactive: true,
      engagement_ms: 0, scroll_depth: 0,
    }) as EventRow;

  it('one message per site, dictionary-encoded, round-trips', () => {
    const events: LiveEvent[] = [...Array.from({ length: 10 }, (_, i) => row('a.test', i)), row('b.test', 1)].map(fromEventRow);
    expect(events[0]!.t).toBe(Date.UTC(2026, 0, 10, 12, 0, 1, 250));
    const msgs = encodeLiveMessages(events);
    expect(msgs.map((m) => m.key)).toEqual(['a.test', 'b.test']);
    const back = msgs.flatMap((m) => decodeLiveMessage(Buffer.from(m.value))!);
    expect(back).toEqual(events);
    // Compact: strings appear once per message.
    expect(msgs[0]!.value.match(/Berlin/g)).toHaveLength(1);
  });

  it('rejects malformed messages without throwing', () => {
    expect(decodeLiveMessage(null)).toBeNull();
    expect(decodeLiveMessage('{')).toBeNull();
    expect(decodeLiveMessage(JSON.stringify({ v: 2, site: 'a', s: [], e: [] }))).toBeNull();
    expect(decodeLiveMessage(JSON.stringify({ v: 1, site: 'a', s: ['x'], e: [[1, 'v', 0, 0, 0, 0, 0, 0, 7]] }))).toBeNull();
  });
});
