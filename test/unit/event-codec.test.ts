import { describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '../../lib/event/enriched';
import { encodeEvent, EVENT_DEFAULTS } from '../../lib/kafka/event-codec';
import { decodeEvent } from '../../workers/decode';

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

describe('event messages', () => {
  it('leave default fields out and decode back to the same event', () => {
    const full: EnrichedEvent = { ...base, pathname: '/x', browser: 'Firefox', props: { plan: 'pro' }, revenue_amount: 9.5, revenue_currency: 'EUR', interactive: false };
    for (const e of [base, full]) {
      const decoded = decodeEvent(Buffer.from(encodeEvent(e)));
      expect(decoded).toEqual({ ok: true, event: e });
    }
    expect(JSON.parse(encodeEvent(base))).toEqual({ v: 1, event_id: base.event_id, site_id: 'a.test', timestamp: base.timestamp, name: 'pageview', visitor_id: '123', prev_visitor_id: '456' });
  });

  it('rejects what is not an event', () => {
    expect(decodeEvent(Buffer.from('[]')).ok).toBe(false);
    expect(decodeEvent(Buffer.from('{"v":1}')).ok).toBe(false);
    expect(decodeEvent(null).ok).toBe(false);
  });
});
