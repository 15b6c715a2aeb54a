import { describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '../../lib/event/enriched';
import { SessionTracker, SESSION_TIMEOUT_MS, type SessionState } from '../../workers/sessions';

const T0 = Date.parse('2026-03-10T12:00:00Z');

function ev(over: Partial<EnrichedEvent>): EnrichedEvent {
  return {
    event_id: crypto.randomUUID(), site_id: 's.test', timestamp: T0, name: 'pageview', visitor_id: '1', prev_visitor_id: '9',
    hostname: 's.test', pathname: '/', referrer: '', referrer_source: '', channel: 'Direct', utm_source: '', utm_medium: '',
    utm_campaign: '', utm_content: '', utm_term: '', country_code: '', region: '', city: '', browser: 'Firefox',
    browser_version: '', os: '', os_version: '', device: 'Desktop', screen_width: 0, props: {}, revenue_amount: null,
    revenue_currency: '', interactive: true, engagement_ms: 0, scroll_depth: 0, ...over,
  };
}

describe('SessionTracker', () => {
  const noLookup = async () => [] as SessionState[];

  it('keeps a visit open for 30 minutes and copies its first source to later events', async () => {
    const t = new SessionTracker(noLookup, () => T0 + 2 * SESSION_TIMEOUT_MS);
    const rows = await t.assign([
      ev({ timestamp: T0, referrer_source: 'Google', channel: 'Organic Search' }),
      ev({ timestamp: T0 + 10 * 60_000, referrer_source: '' }),
      ev({ timestamp: T0 + 10 * 60_000 + SESSION_TIMEOUT_MS + 1, referrer_source: 'Bing' }),
    ]);
    expect(rows[0]!.session_id).toBe(rows[1]!.session_id);
    expect(rows[2]!.session_id).not.toBe(rows[0]!.session_id);
    expect(rows.map((r) => r.referrer_source)).toEqual(['Google', 'Google', 'Bing']);
  });

  it('continues a visit across midnight through the previous salt id', async () => {
    const t = new SessionTracker(noLookup, () => T0 + 2 * SESSION_TIMEOUT_MS);
    const [before] = await t.assign([ev({ visitor_id: '100', prev_visitor_id: '50' })]);
    const [after] = await t.assign([ev({ timestamp: T0 + 60_000, visitor_id: '200', prev_visitor_id: '100' })]);
    expect(after!.session_id).toBe(before!.session_id);
    expect(after!.visitor_id).toBe('100');
  });

  it('drops engagement events that belong to no open visit', async () => {
    const t = new SessionTracker(noLookup, () => T0 + 2 * SESSION_TIMEOUT_MS);
    expect(await t.assign([ev({ name: 'engagement' })])).toEqual([]);
  });

  it('asks ClickHouse about unknown visitors while cold, and continues their visit', async () => {
    const asked: string[][] = [];
    const t = new SessionTracker(async (site, visitors) => {
      asked.push(visitors);
      return [{ site_id: site, session_id: '777', visitor_id: '1', last: T0 - 60_000, attrs: { ...ev({}), referrer_source: 'Twitter' } }];
    }, () => T0);
    const [row] = await t.assign([ev({})]);
    expect(asked).toEqual([['1', '9']]);
    expect([row!.session_id, row!.referrer_source]).toEqual(['777', 'Twitter']);
  });
});

describe('visit ids and the live tap', () => {
  const noLookup = async () => [] as SessionState[];

  it('derives a new visit id from its first event, so two trackers fed the same stream agree', async () => {
    const stream = [ev({ visitor_id: '1' }), ev({ visitor_id: '2', timestamp: T0 + 1 }), ev({ visitor_id: '1', timestamp: T0 + 2 })];
    const a = await new SessionTracker(noLookup, () => T0).assign(stream);
    const b = await new SessionTracker(noLookup, () => T0).assign(stream);
    expect(a.map((r) => r.session_id)).toEqual(b.map((r) => r.session_id));
    expect(a[0]!.session_id).toBe(a[2]!.session_id);
    expect(a[0]!.session_id).not.toBe(a[1]!.session_id);
    expect(a[0]!.session_id).toMatch(/^\d+$/);
  });

  it("a tap tracker continues the store tracker's visits from its memory, without changing them", async () => {
    let now = T0 - 2 * SESSION_TIMEOUT_MS;
    const clock = () => now;
    const store = new SessionTracker(noLookup, clock);
    // Created long ago: past its warm-up period a tracker only looks up misses when told to always.
    const tap = new SessionTracker(store.known, clock, { lookupAlways: true });
    now = T0 + 60_000;
    const [first] = await store.assign([ev({ referrer_source: 'Google' })]);
    const [next] = await tap.assign([ev({ timestamp: T0 + 60_000, referrer_source: '' })]);
    expect([next!.session_id, next!.referrer_source]).toEqual([first!.session_id, 'Google']);
    // The store's own state did not move: the tap works on copies.
    expect((await store.known('s.test', ['1'], T0))[0]!.last).toBe(T0);
  });
});
