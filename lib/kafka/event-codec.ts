/**
 * The events topic's message format, JSON:
 *   v1: one enriched event, `{"v":1, ...event}`;
 *   v2: several events of one request with the same key (site + visitor),
 *       `{"v":2, "events":[event, ...]}` — a 20-event request is one Kafka
 *       record instead of 20, which is most of the producer's per-event cost.
 * Fields at their default value are left out: most visit attributes are
 * empty for most events, and smaller records make every produce shorter.
 */
import type { EnrichedEvent } from '../event/enriched';
import { EVENT_MESSAGE_VERSION } from './client';

type Defaults = Omit<EnrichedEvent, 'event_id' | 'site_id' | 'timestamp' | 'name' | 'visitor_id' | 'prev_visitor_id'>;

export const EVENT_DEFAULTS: Readonly<Defaults> = {
  hostname: '',
  pathname: '',
  referrer: '',
  referrer_source: '',
  channel: '',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_content: '',
  utm_term: '',
  country_code: '',
  region: '',
  city: '',
  browser: '',
  browser_version: '',
  os: '',
  os_version: '',
  device: '',
  screen_width: 0,
  props: {},
  revenue_amount: null,
  revenue_currency: '',
  interactive: true,
  engagement_ms: 0,
  scroll_depth: 0,
};

const DEFAULTS = EVENT_DEFAULTS as Readonly<Record<string, unknown>>;

export function encodeEvent(event: EnrichedEvent): string {
  return JSON.stringify(compact(event, { v: EVENT_MESSAGE_VERSION }));
}

/** One record for events that share a key; a single event stays v1. */
export function encodeEvents(events: EnrichedEvent[]): string {
  if (events.length === 1) return encodeEvent(events[0]!);
  return JSON.stringify({ v: EVENT_BATCH_VERSION, events: events.map((e) => compact(e, {})) });
}

export const EVENT_BATCH_VERSION = 2;

function compact(event: EnrichedEvent, out: Record<string, unknown>): Record<string, unknown> {
  const e = event as unknown as Record<string, unknown>;
  // for…in over a known shape: ~35% cheaper than Object.entries on this hot path.
  for (const k in e) {
    const v = e[k];
    const d = DEFAULTS[k];
    if (d === undefined || (k === 'props' ? Object.keys(v as object).length > 0 : v !== d)) out[k] = v;
  }
  return out;
}

/** Fills in what encodeEvent left out; validation is the decoder's job. */
export function withDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  return { ...EVENT_DEFAULTS, props: {}, ...raw };
}
