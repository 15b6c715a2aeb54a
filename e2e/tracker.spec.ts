/**
 * The tracker in real Chromium against a real Sightline server: fixture
 * pages (e2e/tracker-fixtures) are served by a small static server on
 * another origin (http://localhost:PORT, while Sightline is on 127.0.0.1),
 * load /t.js from Sightline and send to its /api/event. Every test asserts
 * the rows that reach ClickHouse, each on its own site domain; tests that
 * expect nothing to be sent prove it with a control event that does arrive.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Page, Request } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { writeTracker } from '../tracker/bundle';
import { expect, test as base, type SightlineFixture } from './fixtures';

const FIXTURES = path.join(process.cwd(), 'e2e', 'tracker-fixtures');
// Headless Chromium announces itself as HeadlessChrome, which ingest drops as a bot.
// The context option alone is not enough: beacons sent while a page unloads
// leave with the browser-wide user agent, hence the launch flag too.
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Pages {
  /** http://localhost:PORT */
  origin: string;
  /** URL of a fixture page for a site; `fixture` serves that page under any path. */
  url(pathAndQuery: string, site: string, fixture?: string): string;
}

/** Serves fixture pages with {{SIGHTLINE}} and {{SITE}} filled in; /files/* answers 204 so downloads stay on the page. */
function startPages(sightlineUrl: string): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/files/')) {
      res.writeHead(204).end();
      return;
    }
    const name = url.searchParams.get('fixture') ?? url.pathname.slice(1);
    const file = path.join(FIXTURES, path.basename(name.endsWith('.html') ? name : `${name}.html`));
    const site = url.searchParams.get('site') ?? '';
    if (!fs.existsSync(file) || !/^[a-z0-9.-]+$/.test(site)) {
      res.writeHead(404).end('not found');
      return;
    }
    const html = fs.readFileSync(file, 'utf8').replaceAll('{{SIGHTLINE}}', sightlineUrl).replaceAll('{{SITE}}', site);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, origin: `http://localhost:${port}` });
    }),
  );
}

const test = base.extend<{ site: string }, { pages: Pages; trackerBuilt: void }>({
  // The server serves tracker/dist/t.js: build it from the current source first
  // (the size budget is checked by `npm run size`, not here).
  trackerBuilt: [
    async ({}, use) => {
      await writeTracker();
      await use();
    },
    { scope: 'worker', auto: true },
  ],
  pages: [
    async ({ sightline }, use) => {
      const { server, origin } = await startPages(sightline.url);
      await use({
        origin,
        url: (p, site, fixture) => {
          const u = new URL(p, origin);
          u.searchParams.set('site', site);
          if (fixture) u.searchParams.set('fixture', fixture);
          return u.href;
        },
      });
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
    { scope: 'worker' },
  ],
  /** A fresh registered site per test, so tests never see each other's rows. */
  site: async ({ sightline }, use) => {
    const domain = `t-${randomUUID().slice(0, 8)}.test`;
    await sightline.addSite(domain);
    await use(domain);
  },
});

test.use({
  userAgent: USER_AGENT,
  viewport: { width: 1280, height: 720 },
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--user-agent=${USER_AGENT}`],
  },
});

test.beforeEach(async ({ page }) => {
  // Outbound links lead here; nothing leaves the machine.
  await page.route('http://outbound.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<title>elsewhere</title>' }),
  );
});

interface Row {
  name: string;
  hostname: string;
  pathname: string;
  props: Record<string, string>;
  referrer_source: string;
  screen_width: number;
  revenue: string | null;
  revenue_currency: string;
  interactive: boolean;
  engagement_ms: number;
  scroll_depth: number;
  utm_source: string;
  utm_campaign: string;
}

const ROWS_SQL = `
  SELECT name, hostname, pathname, props, referrer_source, screen_width,
         toString(revenue_amount) AS revenue, revenue_currency, interactive,
         engagement_ms, scroll_depth, utm_source, utm_campaign
  FROM events
  WHERE site_id = {site:String} AND ({name:String} = '' OR name = {name:String})
  ORDER BY timestamp, name, pathname`;

/** Waits for `count` rows (of one event name, or all), then gives late stragglers a moment and returns every row. */
async function rowsOf(sightline: SightlineFixture, site: string, count: number, name = ''): Promise<Row[]> {
  await sightline.waitForRows<Row>(ROWS_SQL, { site, name }, count, 15_000);
  await new Promise((r) => setTimeout(r, 300));
  return sightline.query<Row>(ROWS_SQL, { site, name });
}

/** Defaults of a row for a plain pageview from this browser and fixture server. */
function row(over: Partial<Row>): Row {
  return {
    name: 'pageview',
    hostname: 'localhost',
    pathname: '/',
    props: {},
    referrer_source: '',
    screen_width: 1280,
    revenue: null,
    revenue_currency: '',
    interactive: true,
    engagement_ms: 0,
    scroll_depth: 0,
    utm_source: '',
    utm_campaign: '',
    ...over,
  };
}

/** Bodies POSTed to Sightline's /api/event by a page (beacon or fetch). */
function captureEvents(page: Page, sightlineUrl: string): unknown[][] {
  const bodies: unknown[][] = [];
  page.on('request', (req: Request) => {
    if (req.method() === 'POST' && req.url() === `${sightlineUrl}/api/event`) {
      const body = JSON.parse(req.postData() ?? 'null') as unknown;
      bodies.push(Array.isArray(body) ? body : [body]);
    }
  });
  return bodies;
}

test('the script is served cacheable, cross-origin, with a strong ETag', async ({ sightline, request }) => {
  const res = await request.get(`${sightline.url}/t.js`);
  expect(res.status()).toBe(200);
  const headers = res.headers();
  expect(headers['content-type']).toBe('application/javascript; charset=utf-8');
  expect(headers['cache-control']).toBe('public, max-age=3600, stale-while-revalidate=86400');
  expect(headers['access-control-allow-origin']).toBe('*');
  expect(headers['cross-origin-resource-policy']).toBe('cross-origin');
  expect(headers['etag']).toMatch(/^"[^"]+"$/);
  expect(headers['set-cookie']).toBeUndefined();
  expect(await res.text()).toBe(fs.readFileSync(path.join('tracker', 'dist', 't.js'), 'utf8'));
  const again = await request.get(`${sightline.url}/t.js`, { headers: { 'If-None-Match': headers['etag']! } });
  expect(again.status()).toBe(304);
});

/** One raw GET /t.js, the bytes as they travel (Playwright's request API would decode them). */
function rawScript(url: string, acceptEncoding: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${url}/t.js`, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

test('a client that accepts only gzip gets the built t.js.gz byte for byte (the size budget measures it); one that accepts br gets brotli', async ({
  sightline,
}) => {
  const script = fs.readFileSync(path.join('tracker', 'dist', 't.js'), 'utf8');
  const gz = fs.readFileSync(path.join('tracker', 'dist', 't.js.gz'));
  const zipped = await rawScript(sightline.url, 'gzip, deflate');
  expect(zipped.headers['content-encoding']).toBe('gzip');
  expect(zipped.headers['vary']).toMatch(/Accept-Encoding/i);
  expect(zipped.body.equals(gz)).toBe(true);
  expect(gunzipSync(zipped.body).toString('utf8')).toBe(script);
  const br = await rawScript(sightline.url, 'gzip, deflate, br, zstd');
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.body.length).toBeLessThan(gz.length);
  expect(brotliDecompressSync(br.body).toString('utf8')).toBe(script);
});

test('pageview with referrer, UTM and screen width; engagement and scroll depth sent on leaving', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  const bodies = captureEvents(page, sightline.url);
  await page.goto(pages.url('/basic.html?utm_source=newsletter&utm_campaign=launch&email=a@b.example', site), {
    referer: 'http://news.ycombinator.com/item?id=1',
  });
  expect(await rowsOf(sightline, site, 1)).toEqual([
    row({ pathname: '/basic.html', referrer_source: 'Hacker News', utm_source: 'newsletter', utm_campaign: 'launch' }),
  ]);
  // Nothing the browser sends carries an IP, a user agent or a cookie of ours.
  expect(JSON.stringify(bodies)).not.toMatch(/Mozilla|127\.0\.0\.1|cookie/i);
  expect(bodies[0]![0]).toEqual({
    n: 'pageview',
    u: expect.stringContaining(`${pages.origin}/basic.html?utm_source=newsletter`),
    d: site,
    r: 'http://news.ycombinator.com/item?id=1',
    w: 1280,
  });

  // 1280px scrolled + 720px viewport = the middle of a 4000px page.
  await page.evaluate(() => window.scrollTo(0, 1280));
  await page.waitForTimeout(1200);
  await page.goto('about:blank');

  const engagement = await rowsOf(sightline, site, 1, 'engagement');
  expect(engagement).toHaveLength(1);
  expect(engagement[0]).toEqual(
    row({
      name: 'engagement',
      pathname: '/basic.html',
      referrer_source: 'Hacker News',
      utm_source: 'newsletter',
      utm_campaign: 'launch',
      interactive: false,
      engagement_ms: expect.any(Number) as unknown as number,
      scroll_depth: 50,
    }),
  );
  expect(engagement[0]!.engagement_ms).toBeGreaterThanOrEqual(1000);
  expect(engagement[0]!.engagement_ms).toBeLessThan(15_000);
});

test('engaged time counts only while the page is visible and focused', async ({ page, sightline, pages, site }) => {
  await page.goto(pages.url('/basic.html', site));
  await page.waitForFunction(() => typeof window.sightline === 'function');
  // A blurred window for 1.5 s, then 0.5 s focused again.
  await page.evaluate(() => {
    Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
    window.dispatchEvent(new Event('blur'));
  });
  await page.waitForTimeout(1500);
  await page.evaluate(() => {
    Object.defineProperty(document, 'hasFocus', { value: () => true, configurable: true });
    window.dispatchEvent(new Event('focus'));
  });
  await page.waitForTimeout(500);
  await page.goto('about:blank');
  const [engagement] = await rowsOf(sightline, site, 1, 'engagement');
  expect(engagement!.engagement_ms).toBeGreaterThanOrEqual(450);
  expect(engagement!.engagement_ms).toBeLessThan(1400);
  expect(engagement!.scroll_depth).toBe(18); // never scrolled: 720 of 4000px seen
});

test('custom events: queued before load, after load, with props, revenue, interactive and callback', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  const bodies = captureEvents(page, sightline.url);
  await page.goto(pages.url('/custom.html', site));
  await rowsOf(sightline, site, 2);
  // The pageview and the replayed queue leave in the same tick: one request, one batch.
  expect(bodies[0]!.map((e) => (e as { n: string }).n)).toEqual(['pageview', 'Signup']);

  const called = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        window.sightline!('Purchase', {
          props: { sku: 'A-1' },
          revenue: { amount: '19.5', currency: 'usd' },
          interactive: false,
          callback: () => resolve(true),
        });
        setTimeout(() => resolve(false), 2000);
      }),
  );
  expect(called).toBe(true);

  const rows = await rowsOf(sightline, site, 3);
  // The pageview and Signup share a request, so a timestamp: ORDER BY name puts 'Signup' first.
  expect(rows).toEqual([
    row({
      name: 'Signup',
      pathname: '/custom.html',
      props: { plan: 'pro', seats: '3', trial: 'false' },
      revenue: '9.99',
      revenue_currency: 'EUR',
    }),
    row({ pathname: '/custom.html' }),
    row({
      name: 'Purchase',
      pathname: '/custom.html',
      props: { sku: 'A-1' },
      revenue: '19.5',
      revenue_currency: 'USD',
      interactive: false,
    }),
  ]);
});

test('declarative events from data-sightline-event, on the element or a descendant', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  await page.goto(pages.url('/links.html', site));
  await rowsOf(sightline, site, 1);
  await page.click('#tagged-inner');
  await page.click('#tagged');
  // A tagged element wrapping an outbound link sends its own event only.
  await page.click('#tagged-link');
  await page.waitForURL('http://outbound.test/cta');

  const rows = await rowsOf(sightline, site, 4);
  expect(rows.filter((r) => r.name !== 'pageview' && r.name !== 'engagement')).toEqual([
    row({ name: 'Signup', pathname: '/links.html', props: { plan: 'pro', 'billing-cycle': 'yearly' } }),
    row({ name: 'Signup', pathname: '/links.html', props: { plan: 'pro', 'billing-cycle': 'yearly' } }),
    row({ name: 'CTA', pathname: '/links.html', props: { position: 'hero' } }),
  ]);
  expect(rows.filter((r) => r.name === 'Outbound Link: Click')).toEqual([]);
});

test('outbound link click is sent and survives the navigation', async ({ page, sightline, pages, site }) => {
  await page.goto(pages.url('/links.html', site));
  await rowsOf(sightline, site, 1);
  // Same-tab navigation, plain left click: the page leaves at once.
  await page.click('#outbound');
  await page.waitForURL('http://outbound.test/landing?ref=links');
  const rows = await rowsOf(sightline, site, 1, 'Outbound Link: Click');
  expect(rows).toEqual([
    row({ name: 'Outbound Link: Click', pathname: '/links.html', props: { url: 'http://outbound.test/landing?ref=links' } }),
  ]);
});

test('file downloads (default and extra extensions); in-page and mailto links send nothing', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  await page.goto(pages.url('/links.html', site));
  await rowsOf(sightline, site, 1);
  await page.click('#internal');
  await page.click('#download');
  await page.click('#epub');
  // Middle click (opens a tab) counts; the new tab itself is not ours to watch.
  const [popup] = await Promise.all([
    page.context().waitForEvent('page', { timeout: 3000 }).catch(() => null),
    page.click('#download', { button: 'middle' }),
  ]);
  await popup?.close();

  const rows = await rowsOf(sightline, site, 3, 'File Download');
  const pdf = row({ name: 'File Download', pathname: '/links.html', props: { url: `${pages.origin}/files/report.pdf` } });
  expect(rows).toEqual([
    pdf,
    row({ name: 'File Download', pathname: '/links.html', props: { url: `${pages.origin}/files/book.epub` } }),
    pdf,
  ]);
  // The in-page link was no pageview and no outbound link.
  expect((await rowsOf(sightline, site, 4)).map((r) => r.name).sort()).toEqual([
    'File Download',
    'File Download',
    'File Download',
    'pageview',
  ]);
});

test('SPA navigation: pushState, replaceState and back are pageviews, the same URL twice is not', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  await page.goto(pages.url('/spa.html', site));
  await rowsOf(sightline, site, 1);
  await page.evaluate(() => history.pushState({}, '', '/app/one'));
  await page.evaluate(() => history.pushState({}, '', '/app/one')); // same URL: no new pageview
  await page.evaluate(() => history.replaceState({ x: 1 }, '', location.href)); // state only: none either
  await page.evaluate(() => history.replaceState({}, '', '/app/two'));
  await page.evaluate(() => (location.hash = 'section')); // a fragment is not a page without data-hash
  await rowsOf(sightline, site, 3, 'pageview');
  // History is now spa.html, /app/one, /app/two (the duplicate entry, replaced), /app/two#section.
  await page.evaluate(() => history.back()); // → /app/two: same page
  await page.waitForFunction(() => location.hash === '');
  await page.evaluate(() => history.back()); // → /app/one
  await page.waitForFunction(() => location.pathname === '/app/one');

  const rows = await rowsOf(sightline, site, 4, 'pageview');
  expect(rows.map((r) => r.pathname)).toEqual(['/spa.html', '/app/one', '/app/two', '/app/one']);
  // Each route change reports the engagement of the page it leaves.
  const engagement = await rowsOf(sightline, site, 3, 'engagement');
  expect(engagement.map((r) => r.pathname)).toEqual(['/spa.html', '/app/one', '/app/two']);
  for (const e of engagement) expect(e).toMatchObject({ interactive: false, scroll_depth: 100 });
});

test('hash routing with data-hash: fragment changes are pageviews, sent with the fragment', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  const bodies = captureEvents(page, sightline.url);
  await page.goto(pages.url('/hash.html', site) + '#/one');
  await rowsOf(sightline, site, 1);
  await page.click('#to-two');
  await page.evaluate(() => (location.hash = '#/three'));
  await page.evaluate(() => (location.hash = '#/three')); // same URL again
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => location.hash === '#/two');
  const rows = await rowsOf(sightline, site, 4, 'pageview');
  expect(rows).toEqual([
    row({ pathname: '/hash.html#/one' }),
    row({ pathname: '/hash.html#/two' }),
    row({ pathname: '/hash.html#/three' }),
    row({ pathname: '/hash.html#/two' }),
  ]);
  const first = bodies[0]![0] as { u: string; h: number };
  expect(first.h).toBe(1);
  expect(first.u).toMatch(/\/hash\.html\?site=[^#]+#\/one$/);
});

test('data-404 sends a 404 event with the path', async ({ page, sightline, pages, site }) => {
  await page.goto(pages.url('/404.html', site));
  const rows = await rowsOf(sightline, site, 2);
  expect(rows).toEqual([row({ name: '404', pathname: '/404.html', props: { path: '/404.html' } }), row({ pathname: '/404.html' })]);
});

test('data-auto-pageview="false": only manual pageviews, with an optional URL', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  await page.goto(pages.url('/manual.html', site));
  await page.waitForFunction(() => typeof window.sightline === 'function' && !('q' in window.sightline));
  await page.evaluate(() => history.pushState({}, '', '/manual/next')); // not a pageview in manual mode
  await page.evaluate(() => window.sightline!('pageview', { u: `${location.origin}/virtual/checkout` }));
  await page.evaluate(() => window.sightline!('pageview'));
  const rows = await rowsOf(sightline, site, 2, 'pageview');
  expect(rows.map((r) => r.pathname).sort()).toEqual(['/manual/next', '/virtual/checkout']);
});

test('switches off: no outbound, download, SPA or engagement events', async ({ page, sightline, pages, site }) => {
  await page.goto(pages.url('/switches.html', site));
  await rowsOf(sightline, site, 1);
  await page.click('#download');
  await page.evaluate(() => history.pushState({}, '', '/switched/elsewhere'));
  await page.click('#outbound');
  await page.waitForURL('http://outbound.test/off');
  // Control: a custom event from a fresh load arrives; nothing else did.
  await page.goto(pages.url('/switches.html', site));
  await page.evaluate(() => window.sightline!('Control'));
  const rows = await rowsOf(sightline, site, 1, 'Control');
  expect(rows).toEqual([row({ name: 'Control', pathname: '/switches.html' })]);
  expect((await rowsOf(sightline, site, 3)).map((r) => r.name).sort()).toEqual(['Control', 'pageview', 'pageview']);
});

test.describe('nothing is sent when the visitor or the page opts out', () => {
  test('Do Not Track; data-respect-dnt="false" overrides it', async ({ page, sightline, pages, site }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
    const bodies = captureEvents(page, sightline.url);
    await page.goto(pages.url('/basic.html', site));
    await page.evaluate(() => window.sightline!('Suppressed'));
    await page.goto(pages.url('/dnt-off.html', site)); // control
    const rows = await rowsOf(sightline, site, 1);
    expect(rows).toEqual([row({ pathname: '/dnt-off.html' })]);
    expect(bodies).toHaveLength(1);
  });

  test('Global Privacy Control', async ({ page, sightline, pages, site }) => {
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
    const bodies = captureEvents(page, sightline.url);
    await page.goto(pages.url('/basic.html', site));
    await page.evaluate(() => window.sightline!('Suppressed'));
    await page.goto(pages.url('/dnt-off.html', site)); // control
    const rows = await rowsOf(sightline, site, 1);
    expect(rows).toEqual([row({ pathname: '/dnt-off.html' })]);
    expect(bodies).toHaveLength(1);
  });

  test('localStorage.sightline_ignore = "true"; the callback still runs', async ({ page, sightline, pages, site }) => {
    const bodies = captureEvents(page, sightline.url);
    await page.addInitScript(() => localStorage.setItem('sightline_ignore', 'true'));
    await page.goto(pages.url('/basic.html', site));
    const called = await page.evaluate(
      () => new Promise<boolean>((resolve) => window.sightline!('Suppressed', { callback: () => resolve(true) })),
    );
    expect(called).toBe(true);
    await page.evaluate(() => {
      localStorage.removeItem('sightline_ignore');
      window.sightline!('Control');
    });
    const rows = await rowsOf(sightline, site, 1);
    expect(rows).toEqual([row({ name: 'Control', pathname: '/basic.html' })]);
    expect(bodies).toHaveLength(1);
  });

  test('localhost without data-allow-localhost', async ({ page, sightline, pages, site }) => {
    const bodies = captureEvents(page, sightline.url);
    await page.goto(pages.url('/no-localhost.html', site));
    await page.evaluate(() => window.sightline!('Suppressed'));
    await page.goto(pages.url('/basic.html', site)); // control
    const rows = await rowsOf(sightline, site, 1);
    expect(rows).toEqual([row({ pathname: '/basic.html' })]);
    expect(bodies).toHaveLength(1);
  });

  test('data-exclude paths: * is one segment, ** any depth, also for SPA routes', async ({
    page,
    sightline,
    pages,
    site,
  }) => {
    await page.goto(pages.url('/admin/users', site, 'exclude'));
    await page.evaluate(() => window.sightline!('Suppressed'));
    await page.goto(pages.url('/preview/a/b/c', site, 'exclude'));
    await page.evaluate(() => history.pushState({}, '', '/preview/d'));
    await page.evaluate(() => history.pushState({}, '', '/public/page')); // control 1
    await page.goto(pages.url('/admin/users/42', site, 'exclude')); // control 2: deeper than one segment
    const rows = await rowsOf(sightline, site, 2, 'pageview');
    expect(rows).toEqual([row({ pathname: '/public/page' }), row({ pathname: '/admin/users/42' })]);
    expect((await rowsOf(sightline, site, 2)).map((r) => r.pathname)).not.toContain('/preview/d');
  });
});

test('without sendBeacon the tracker falls back to fetch (CORS, no preflight)', async ({
  page,
  sightline,
  pages,
  site,
}) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'sendBeacon', { value: undefined }));
  const methods: string[] = [];
  page.on('request', (r) => r.url() === `${sightline.url}/api/event` && methods.push(r.method()));
  await page.goto(pages.url('/custom.html', site));
  const rows = await rowsOf(sightline, site, 2);
  expect(rows.map((r) => r.name).sort()).toEqual(['Signup', 'pageview']);
  expect(methods).toEqual(['POST']);
});

declare global {
  interface Window {
    sightline?: ((name: string, options?: Record<string, unknown>) => void) & { q?: unknown[] };
  }
}
