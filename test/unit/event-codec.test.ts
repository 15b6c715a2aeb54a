import { describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '../../lib/event/enriched';
import { encodeEvent, encodeEvents, EVENT_DEFAULTS } from '../../lib/kafka/event-codec';
import { decodeMessage } from '../../workers/decode';

const base: EnrichedEvent = {
  ...EVENT_DEFAULTS,
  props: {},
  event_id: '6f1c2a57-0d8f-4a8e-9b43-1f2f0a6c9d11',
  site_id: 'a.test',
  timestamp: 1_790_000_000_000,
  name: 'pageview',
  visitor_id: '123',
  prev_visitor_id: '456',
};
const full: EnrichedEvent = { ...base, event_id: '0b7e8f6a-3c1d-4e2f-8a9b-5c6d7e8f9a0b', pathname: '/x', browser: 'Firefox', props: { plan: 'pro' }, revenue_amount: 9.5, revenue_currency: 'EUR', interactive: false };

describe('event messages', () => {
  it('leave default fields out and decode back to the same event', () => {
    for (const e of [base, full]) expect(decodeMessage(Buffer.from(encodeEvent(e)))).toEqual({ ok: true, events: [e] });
    expect(JSON.parse(encodeEvent(base))).toEqual({ v: 1, event_id: base.event_id, site_id: 'a.test', timestamp: base.timestamp, name: 'pageview', visitor_id: '123', prev_visitor_id: '456' });
  });

  it('carry several events of one key in one record (v2), a single one as v1', () => {
    expect(JSON.parse(encodeEvents([base])).v).toBe(1);
    const record = encodeEvents([base, full]);
    expect(JSON.parse(record).v).toBe(2);
    expect(decodeMessage(Buffer.from(record))).toEqual({ ok: true, events: [base, full] });
  });

  it('rejects what is not an event, and a v2 record with any bad event', () => {
    expect(decodeMessage(Buffer.from('[]')).ok).toBe(false);
    expect(decodeMessage(Buffer.from('{"v":1}')).ok).toBe(false);
    expect(decodeMessage(null).ok).toBe(false);
    expect(decodeMessage(Buffer.from('{"v":2,"events":[]}')).ok).toBe(false);
    const bad = JSON.stringify({ v: 2, events: [JSON.parse(encodeEvent(base)), { site_id: 'a.test' }] });
    expect(decodeMessage(Buffer.from(bad))).toMatchObject({ ok: false, error: expect.stringContaining('events.1.') });
  });
});
