/**
 * Ingest as a named pipeline of small steps, each testable alone:
 *   known site → bot filter → page URL → referrer/channel → user agent →
 *   geo → visitor id → event id + server timestamp.
 * A step that drops the event says why; the reason is counted.
 */
import crypto from 'node:crypto';
import type { EnrichedEvent } from '../event/enriched';
import type { EventPayload } from '../event/payload';
import { isBotUserAgent } from './steps/bots';
import type { GeoLookup } from './steps/geo';
import { classifyReferrer } from './steps/referrer';
import { visitorId, type Salts } from './steps/salts';
import { normalizePage } from './steps/url';
import { parseUserAgent } from './steps/user-agent';

export type DropReason = 'unknown_site' | 'bot';

export interface RequestContext {
  ip: string;
  userAgent: string;
  /** Server receive time, epoch ms. */
  now: number;
}

export interface PipelineDeps {
  siteExists(domain: string): Promise<boolean>;
  geo: GeoLookup;
  salts(): Promise<Salts>;
}

export type EnrichResult = { ok: true; event: EnrichedEvent } | { ok: false; reason: DropReason };

function stringProps(props: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (props) for (const [k, v] of Object.entries(props)) out[k] = String(v);
  return out;
}

export async function enrich(payload: EventPayload, ctx: RequestContext, deps: PipelineDeps): Promise<EnrichResult> {
  const site = payload.domain.replace(/^www\./, '');
  if (!(await deps.siteExists(site))) return { ok: false, reason: 'unknown_site' };
  if (isBotUserAgent(ctx.userAgent)) return { ok: false, reason: 'bot' };

  const page = normalizePage(payload.url, Boolean(payload.hash));
  const attribution = classifyReferrer(payload.referrer, page);
  const device = parseUserAgent(ctx.userAgent, payload.screen_width);
  const location = deps.geo.lookup(ctx.ip);
  const salts = await deps.salts();

  const event: EnrichedEvent = {
    event_id: crypto.randomUUID(),
    site_id: site,
    timestamp: ctx.now,
    name: payload.name,
    visitor_id: visitorId(salts.current, site, ctx.ip, ctx.userAgent),
    prev_visitor_id: visitorId(salts.previous, site, ctx.ip, ctx.userAgent),
    hostname: page.hostname,
    pathname: page.pathname,
    ...attribution,
    utm_source: page.utm.source,
    utm_medium: page.utm.medium,
    utm_campaign: page.utm.campaign,
    utm_content: page.utm.content,
    utm_term: page.utm.term,
    ...location,
    ...device,
    screen_width: payload.screen_width ?? 0,
    props: stringProps(payload.props),
    revenue_amount: payload.revenue ? payload.revenue.amount : null,
    revenue_currency: payload.revenue?.currency ?? '',
    // Plausible's rule: custom events are interactive unless told otherwise; engagement never is.
    interactive: payload.name === 'engagement' ? false : (payload.interactive ?? true),
    engagement_ms: payload.engagement_time ?? 0,
    scroll_depth: payload.scroll_depth ?? 0,
  };
  return { ok: true, event };
}
