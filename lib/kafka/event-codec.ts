/**
 * The events topic's message format: the enriched event as JSON, version
 * `v`, with fields at their default value left out. Most visit attributes
 * are empty for most events, and a message a third the size makes every
 * produce round trip (and so every acknowledged request) shorter.
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

const isDefault = (key: string, value: unknown): boolean => {
  const d = (EVENT_DEFAULTS as Record<string, unknown>)[key];
  if (d === undefined) return false;
  if (key === 'props') return Object.keys(value as object).length === 0;
  return value === d;
};

export function encodeEvent(event: EnrichedEvent): string {
  const out: Record<string, unknown> = { v: EVENT_MESSAGE_VERSION };
  for (const [k, v] of Object.entries(event)) if (!isDefault(k, v)) out[k] = v;
  return JSON.stringify(out);
}

/** Fills in what encodeEvent left out; validation is the decoder's job. */
export function withDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  return { ...EVENT_DEFAULTS, props: {}, ...raw };
}
