/**
 * Kafka message → EnrichedEvent. Anything that does not decode is poison:
 * it goes to the dead-letter topic instead of stopping the partition.
 */
import { z } from 'zod';
import type { EnrichedEvent } from '../lib/event/enriched';
import { EVENT_MESSAGE_VERSION } from '../lib/kafka/client';
import { EVENT_BATCH_VERSION, withDefaults } from '../lib/kafka/event-codec';

const u64 = z.string().regex(/^\d{1,20}$/);
const str = z.string();

const messageSchema = z.object({
  v: z.literal(EVENT_MESSAGE_VERSION),
  event_id: z.uuid(),
  site_id: str.min(1),
  timestamp: z.number().int().positive(),
  name: str.min(1),
  visitor_id: u64,
  prev_visitor_id: u64,
  hostname: str,
  pathname: str,
  referrer: str,
  referrer_source: str,
  channel: str,
  utm_source: str,
  utm_medium: str,
  utm_campaign: str,
  utm_content: str,
  utm_term: str,
  country_code: str,
  region: str,
  city: str,
  browser: str,
  browser_version: str,
  os: str,
  os_version: str,
  device: str,
  screen_width: z.number().int().min(0).max(65_535),
  props: z.record(str, str),
  revenue_amount: z.number().nullable(),
  revenue_currency: str,
  interactive: z.boolean(),
  engagement_ms: z.number().int().min(0),
  scroll_depth: z.number().int().min(0).max(100),
});

export type Decoded = { ok: true; events: EnrichedEvent[] } | { ok: false; error: string };

function decodeOne(raw: unknown, where: string): { ok: true; event: EnrichedEvent } | { ok: false; error: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: `${where}not an object` };
  const parsed = messageSchema.safeParse(withDefaults(raw as Record<string, unknown>));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${where}${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}` };
  }
  const { v: _version, ...event } = parsed.data;
  return { ok: true, event };
}

/** A record of the events topic → its events (v1: one, v2: several). Any invalid part makes the record poison. */
export function decodeMessage(value: Buffer | null): Decoded {
  if (!value) return { ok: false, error: 'empty message' };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const batch = raw as { v?: unknown; events?: unknown };
  if (batch !== null && typeof batch === 'object' && batch.v === EVENT_BATCH_VERSION) {
    if (!Array.isArray(batch.events) || batch.events.length === 0) return { ok: false, error: 'events: a non-empty array' };
    const events: EnrichedEvent[] = [];
    for (const [i, item] of batch.events.entries()) {
      const one = decodeOne({ ...(item as object), v: EVENT_MESSAGE_VERSION }, `events.${i}.`);
      if (!one.ok) return one;
      events.push(one.event);
    }
    return { ok: true, events };
  }
  const one = decodeOne(raw, '');
  return one.ok ? { ok: true, events: [one.event] } : one;
}
