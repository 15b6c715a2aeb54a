/**
 * The breakdown cards GET /api/v1/stats/dashboard answers, and the metrics
 * of each. Shared by the query (dashboard.ts) and the dashboard page, which
 * takes its first render from that one call (so this module stays free of
 * server code: the browser bundle imports it).
 */
import type { Metric } from './types';

/** Rows a dashboard card shows, collapsed. */
export const CARD_SHOWN = 9;
/** Rows it asks for: two spare, for rows a tab hides (built-in events) and to know whether there are more. */
export const CARD_ROWS = CARD_SHOWN + 2;

/** The cards read in one event query, one grouping per property. */
export const EVENT_CARDS = [
  'event:page',
  'visit:source',
  'visit:channel',
  'visit:referrer',
  'visit:utm_medium',
  'visit:utm_source',
  'visit:utm_campaign',
  'visit:country',
  'visit:region',
  'visit:city',
  'visit:device',
  'visit:browser',
  'visit:os',
  'event:name',
];
/** The cards read from visits; absent from the answer when a filter narrows it to events. */
export const VISIT_CARDS = ['visit:entry_page', 'visit:exit_page'];

/** The metrics a card's rows carry (the dashboard page's own columns), or undefined if the one call has no such card. */
export function cardMetrics(property: string): Metric[] | undefined {
  if (property === 'event:page') return ['visitors', 'pageviews'];
  if (property === 'event:name') return ['visitors', 'events'];
  if (property === 'event:goal') return ['visitors', 'events', 'conversion_rate'];
  if (EVENT_CARDS.includes(property)) return ['visitors'];
  if (VISIT_CARDS.includes(property)) return ['visitors', 'visits'];
  return undefined;
}
