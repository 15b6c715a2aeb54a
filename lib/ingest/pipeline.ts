/**
 * Ingest as a named pipeline of small steps, each testable alone:
 *   known site → bot filter → built-in events (link classification, 404
 *   path) → page URL → referrer/channel → user agent → geo → visitor id →
 *   event id + server timestamp.
 * A step that drops the event says why; the reason is counted.
 */
import crypto from 'node:crypto';
import type { EnrichedEvent } from '../event/enriched';
import type { EventPayload } from '../event/payload';
import { isBotUserAgent } from './steps/bots';
import { resolveBuiltIn } from './steps/builtin';
import type { GeoLookup } from './steps/geo';
import { classifyReferrer } from './steps/referrer';
import { visitorId, type Salts } from './steps/salts';
import { normalizePage } from './steps/url';
import { parseUserAgent } from './steps/user-agent';

export type DropReason = 'unknown_site' | 'bot' | 'not_a_download';

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

type SiteInfo = { exists: boolean; visitor: string; prevVisitor: string };

/** What is the same for every event of one request: its sender. */
interface Sender {
  bot: boolean;
  location: ReturnType<GeoLookup['lookup']>;
  salts: Salts;
  /** Per site: whether it is registered, and the visitor ids. */
  sites: Map<string, SiteInfo>;
}

async function senderOf(ctx: RequestContext, deps: PipelineDeps): Promise<Sender> {
  return { bot: isBotUserAgent(ctx.userAgent), location: deps.geo.lookup(ctx.ip), salts: await deps.salts(), sites: new Map() };
}

async function siteOf(site: string, sender: Sender, ctx: RequestContext, deps: PipelineDeps): Promise<SiteInfo> {
  let s = sender.sites.get(site);
  if (!s) {
    s = {
      exists: await deps.siteExists(site),
      visitor: visitorId(sender.salts.current, site, ctx.ip, ctx.userAgent),
      prevVisitor: visitorId(sender.salts.previous, site, ctx.ip, ctx.userAgent),
    };
    sender.sites.set(site, s);
  }
  return s;
}

const siteIdOf = (payload: EventPayload) => payload.domain.replace(/^www\./, '');

/**
 * Enriches every event of one request. What depends only on the sender (and
 * the site) is worked out once, up front; the per-event steps then run
 * synchronously, which matters for 100-event batches.
 */
export async function enrichAll(payloads: EventPayload[], ctx: RequestContext, deps: PipelineDeps): Promise<EnrichResult[]> {
  const sender = await senderOf(ctx, deps);
  for (const payload of payloads) await siteOf(siteIdOf(payload), sender, ctx, deps);
  return payloads.map((payload) => enrichOne(payload, ctx, sender.sites.get(siteIdOf(payload))!, sender));
}

export async function enrich(payload: EventPayload, ctx: RequestContext, deps: PipelineDeps): Promise<EnrichResult> {
  return (await enrichAll([payload], ctx, deps))[0]!;
}

function enrichOne(sent: EventPayload, ctx: RequestContext, site: SiteInfo, sender: Sender): EnrichResult {
  const siteId = siteIdOf(sent);
  if (!site.exists) return { ok: false, reason: 'unknown_site' };
  if (sender.bot) return { ok: false, reason: 'bot' };
  const payload = resolveBuiltIn(sent);
  if (!payload) return { ok: false, reason: 'not_a_download' };

  const page = normalizePage(payload.url, Boolean(payload.hash));
  const attribution = classifyReferrer(payload.referrer, page);
  const device = parseUserAgent(ctx.userAgent, payload.screen_width);

  const event: EnrichedEvent = {
    event_id: crypto.randomUUID(),
    site_id: siteId,
    timestamp: ctx.now,
    name: payload.name,
    visitor_id: site.visitor,
    prev_visitor_id: site.prevVisitor,
    hostname: page.hostname,
    pathname: page.pathname,
    ...attribution,
    utm_source: page.utm.source,
    utm_medium: page.utm.medium,
    utm_campaign: page.utm.campaign,
    utm_content: page.utm.content,
    utm_term: page.utm.term,
    ...sender.location,
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
