/**
 * The enriched event: what ingest produces to Kafka (or the in-process
 * channel) and, with a session id, what a worker writes to `events`.
 * Raw IP and user agent never appear here.
 */
export interface VisitAttributes {
  referrer: string;
  referrer_source: string;
  channel: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  country_code: string;
  region: string;
  city: string;
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device: string;
  screen_width: number;
}

export interface EnrichedEvent extends VisitAttributes {
  event_id: string;
  site_id: string;
  /** Server receive time, epoch milliseconds. */
  timestamp: number;
  name: string;
  /** Keyed hash with today's salt, as a decimal UInt64 string. */
  visitor_id: string;
  /** Same with yesterday's salt, so a visit is not split at midnight. */
  prev_visitor_id: string;
  hostname: string;
  pathname: string;
  props: Record<string, string>;
  revenue_amount: number | null;
  revenue_currency: string;
  interactive: boolean;
  engagement_ms: number;
  scroll_depth: number;
}

/** A row of the `events` table. */
export interface EventRow extends Omit<EnrichedEvent, 'prev_visitor_id' | 'timestamp'> {
  timestamp: string;
  session_id: string;
}

export const VISIT_ATTRIBUTE_KEYS: readonly (keyof VisitAttributes)[] = [
  'referrer',
  'referrer_source',
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'country_code',
  'region',
  'city',
  'browser',
  'browser_version',
  'os',
  'os_version',
  'device',
  'screen_width',
];
