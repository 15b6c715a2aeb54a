import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../lib/event/payload';
import { enrich, enrichAll, type PipelineDeps } from '../../lib/ingest/pipeline';
import { visitorId } from '../../lib/ingest/steps/salts';

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const salts = { current: Buffer.from('today'), previous: Buffer.from('yesterday') };

function fakeDeps(sites: string[]): PipelineDeps & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    siteExists: async (d) => {
      lookups.push(d);
      return sites.includes(d);
    },
    geo: { lookup: (ip) => (ip === '81.2.69.142' ? { country_code: 'GB', region: 'England', city: 'London' } : { country_code: '', region: '', city: '' }) },
    salts: async () => salts,
  };
}

const ctx = { ip: '81.2.69.142', userAgent: UA, now: Date.parse('2026-05-01T10:00:00Z') };
const pageview: EventPayload = { name: 'pageview', url: 'https://www.shop.test/cart/?utm_campaign=spring&token=x', domain: 'www.shop.test', referrer: 'https://duckduckgo.com/', screen_width: 1920, props: undefined };

describe('enrichment pipeline', () => {
  it('turns a payload into the enriched event, step by step', async () => {
    const r = await enrich(pageview, ctx, fakeDeps(['shop.test']));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { event_id, ...rest } = r.event;
    expect(event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rest).toEqual({
      site_id: 'shop.test',
      timestamp: ctx.now,
      name: 'pageview',
      visitor_id: visitorId(salts.current, 'shop.test', ctx.ip, UA),
      prev_visitor_id: visitorId(salts.previous, 'shop.test', ctx.ip, UA),
      hostname: 'shop.test',
      pathname: '/cart',
      referrer: 'duckduckgo.com',
      referrer_source: 'DuckDuckGo',
      channel: 'Organic Search',
      utm_source: '',
      utm_medium: '',
      utm_campaign: 'spring',
      utm_content: '',
      utm_term: '',
      country_code: 'GB',
      region: 'England',
      city: 'London',
      browser: 'Firefox',
      browser_version: '128.0',
      os: 'Windows',
      os_version: '10',
      device: 'Desktop',
      screen_width: 1920,
      props: {},
      revenue_amount: null,
      revenue_currency: '',
      interactive: true,
      engagement_ms: 0,
      scroll_depth: 0,
    });
  });

  it('drops unknown sites and bots with a reason', async () => {
    expect(await enrich(pageview, ctx, fakeDeps([]))).toEqual({ ok: false, reason: 'unknown_site' });
    expect(await enrich(pageview, { ...ctx, userAgent: 'Googlebot/2.1' }, fakeDeps(['shop.test']))).toEqual({ ok: false, reason: 'bot' });
  });

  it('works out the sender once per request', async () => {
    const deps = fakeDeps(['shop.test']);
    const results = await enrichAll([pageview, { ...pageview, name: 'Signup', props: { plan: 'pro', seats: 3 }, interactive: false }], ctx, deps);
    expect(deps.lookups).toEqual(['shop.test']);
    expect(results.map((r) => r.ok && [r.event.name, r.event.props, r.event.interactive])).toEqual([
      ['pageview', {}, true],
      ['Signup', { plan: 'pro', seats: '3' }, false],
    ]);
    expect(new Set(results.map((r) => r.ok && r.event.event_id)).size).toBe(2);
  });

  it('never counts engagement as interactive', async () => {
    const r = await enrich({ ...pageview, name: 'engagement', engagement_time: 5000, scroll_depth: 80, interactive: true }, ctx, fakeDeps(['shop.test']));
    expect(r.ok && [r.event.interactive, r.event.engagement_ms, r.event.scroll_depth]).toEqual([false, 5000, 80]);
  });

  it('finishes built-in events: link clicks classified by extension, 404 given its path', async () => {
    const deps = fakeDeps(['shop.test']);
    const link = (name: string, url: string): EventPayload => ({ ...pageview, name, props: { url }, download_extensions: 'epub' });
    const results = await enrichAll(
      [
        link('File Download', 'https://www.shop.test/files/a.pdf?v=1'),
        link('File Download', 'https://www.shop.test/book.epub'),
        link('Outbound Link: Click', 'https://elsewhere.test/page?x=1'),
        link('File Download', 'https://www.shop.test/notes.md'),
        { ...pageview, name: '404' },
      ],
      ctx,
      deps,
    );
    expect(results.map((r) => (r.ok ? [r.event.name, r.event.props] : r.reason))).toEqual([
      ['File Download', { url: 'https://www.shop.test/files/a.pdf' }],
      ['File Download', { url: 'https://www.shop.test/book.epub' }],
      ['Outbound Link: Click', { url: 'https://elsewhere.test/page?x=1' }],
      'not_a_download',
      ['404', { path: '/cart/' }],
    ]);
  });
});
