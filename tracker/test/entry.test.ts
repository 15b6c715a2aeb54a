/**
 * The built script (src/t.ts and everything it bundles) run in a VM against
 * fake browser globals: the exact wire events for pageviews, the API and
 * clicks, and which clicks send nothing. Real-browser behaviour (beacons
 * surviving navigation, history, DNT in Chromium, rows in ClickHouse) is
 * e2e/tracker.spec.ts.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bundleTracker } from '../bundle';

const code = await bundleTracker();
const PAGE = 'https://shop.example/page?utm_source=x#top';

interface FakeElement {
  tag: string;
  attrs: Record<string, string>;
  parent?: FakeElement;
}

/** What closest() and the link properties of an element need. */
function element(tag: string, attrs: Record<string, string> = {}, parent?: FakeElement) {
  const self: FakeElement & Record<string, unknown> = { tag, attrs, parent };
  self.attributes = Object.entries(attrs).map(([name, value]) => ({ name, value }));
  self.dataset = { sightlineEvent: attrs['data-sightline-event'] };
  if (tag == 'a') {
    const u = new URL(attrs.href!, PAGE);
    // Like the DOM: a link without a network host (mailto:, tel:) has host ''.
    Object.assign(self, { href: u.href, host: u.protocol.startsWith('http') ? u.host : '', pathname: u.pathname });
  }
  self.closest = (selector: string) => {
    for (let e: FakeElement | undefined = self; e; e = e.parent) {
      if (selector == 'a' ? e.tag == 'a' : 'data-sightline-event' in e.attrs) return e;
    }
    return null;
  };
  return self;
}

/** Loads the script into a fresh fake page; `before` runs first (the snippet's stub). */
async function load(dataset: Record<string, string> = {}, before?: string) {
  const sent: Record<string, unknown>[] = [];
  const listeners: Record<string, ((ev: unknown) => void)[]> = {};
  const loc = new URL(PAGE);
  const g: Record<string, unknown> = {
    document: {
      currentScript: { dataset, src: 'https://sightline.example/t.js' },
      referrer: 'https://news.example/',
      hidden: false,
      hasFocus: () => true,
      documentElement: { scrollHeight: 2000 },
    },
    location: loc,
    navigator: {
      sendBeacon: (url: URL | string, body: string) => {
        expect(String(url)).toBe('https://sightline.example/api/event');
        sent.push(...JSON.parse(body));
        return true;
      },
    },
    screen: { width: 1280 },
    scrollY: 0,
    innerHeight: 800,
    history: { pushState() {}, replaceState() {} },
    localStorage: {},
    addEventListener: (type: string, f: (ev: unknown) => void) => (listeners[type] ??= []).push(f),
    queueMicrotask,
    setTimeout,
    URL,
  };
  g.window = g;
  vm.createContext(g);
  if (before) vm.runInContext(before, g);
  vm.runInContext(code, g);
  const flush = () => new Promise((r) => setTimeout(r, 0));
  await flush();
  const fire = async (type: string, ev: unknown = {}) => {
    for (const f of listeners[type] ?? []) f(ev);
    await flush();
  };
  const click = (target: unknown, button = 0) => fire(button == 1 ? 'auxclick' : 'click', { target, button });
  /** The events sent since the last call. */
  const take = () => sent.splice(0);
  return { g, take, fire, click, flush };
}

describe('wire events of the built script', () => {
  it('sends the pageview with short keys only, without the fragment', async () => {
    const { take } = await load({ site: 'shop.example' });
    expect(take()).toEqual([
      { n: 'pageview', u: 'https://shop.example/page?utm_source=x', d: 'shop.example', r: 'https://news.example/', w: 1280 },
    ]);
  });

  it('keeps the fragment and sends h:1 in hash mode; the site defaults to the hostname', async () => {
    const { take } = await load({ hash: '' });
    expect(take()).toEqual([{ n: 'pageview', u: PAGE, d: 'shop.example', r: 'https://news.example/', w: 1280, h: 1 }]);
  });

  it('replays calls queued before load after the pageview, with props, revenue and interactive as p, $, i', async () => {
    const stub =
      'window.sightline=function(){(window.sightline.q=window.sightline.q||[]).push(arguments)};' +
      "sightline('Signup',{props:{plan:'pro'},revenue:{amount:9.99,currency:'EUR'},interactive:false,callback:()=>{window.called=1}})";
    const { g, take, flush } = await load({}, stub);
    const [pageview, signup] = take();
    expect(pageview!.n).toBe('pageview');
    expect(signup).toEqual({
      n: 'Signup',
      u: 'https://shop.example/page?utm_source=x',
      d: 'shop.example',
      r: 'https://news.example/',
      w: 1280,
      p: { plan: 'pro' },
      $: { amount: 9.99, currency: 'EUR' },
      i: false,
    });
    expect(g.called).toBe(1);
    (g.sightline as (n: string, o?: object) => void)('pageview', { u: 'https://shop.example/virtual' });
    await flush();
    // A new page ends the engagement of the previous one first.
    expect(take()).toMatchObject([
      { n: 'engagement', u: 'https://shop.example/page?utm_source=x' },
      { n: 'pageview', u: 'https://shop.example/virtual' },
    ]);
  });

  it('sends engagement once when the page is left, and nothing for a second trigger with nothing new', async () => {
    const { take, fire } = await load();
    take();
    await fire('pagehide');
    const [eng, ...rest] = take();
    expect(rest).toEqual([]);
    expect(eng).toMatchObject({ n: 'engagement', u: 'https://shop.example/page?utm_source=x', sd: 40 });
    expect(eng!.e).toBeGreaterThanOrEqual(0);
    await fire('pagehide');
    expect(take()).toEqual([]);
  });
});

describe('clicks', () => {
  const link = (href: string, parent?: FakeElement) => element('a', { href }, parent);

  it('sends a link to another host as outbound, with the full URL and no x', async () => {
    const { take, click } = await load();
    take();
    await click(link('https://other.example/a?b=1#c'));
    expect(take()).toEqual([
      expect.objectContaining({ n: 'Outbound Link: Click', p: { url: 'https://other.example/a?b=1#c' } }),
    ]);
    // A different port is a different host; a child of the link counts as the link.
    await click(element('span', {}, link('https://shop.example:8443/')));
    expect(take()).toMatchObject([{ n: 'Outbound Link: Click' }]);
  });

  it('sends a file-like link as a download candidate with the extra extensions as x', async () => {
    const { take, click } = await load({ downloadExtensions: 'epub,mobi' });
    take();
    await click(link('/files/report.pdf?utm=x'));
    await click(link('/book.epub'));
    expect(take().map(({ n, p, x }) => ({ n, p, x }))).toEqual([
      { n: 'File Download', p: { url: 'https://shop.example/files/report.pdf?utm=x' }, x: 'epub,mobi' },
      { n: 'File Download', p: { url: 'https://shop.example/book.epub' }, x: 'epub,mobi' },
    ]);
  });

  it('lets the server decide between download and outbound for files on other hosts', async () => {
    const { take, click } = await load();
    take();
    await click(link('https://cdn.example/a.zip'));
    expect(take()).toMatchObject([{ n: 'Outbound Link: Click', p: { url: 'https://cdn.example/a.zip' }, x: '' }]);
  });

  it('sends nothing for same-host pages, mail links and right clicks; middle clicks count', async () => {
    const { take, click } = await load();
    take();
    for (const href of ['/about', '/about.html', 'https://shop.example/x', 'mailto:a@b.example', 'tel:+1555']) {
      await click(link(href));
    }
    await click(link('https://other.example/'), 2);
    expect(take()).toEqual([]);
    await click(link('https://other.example/'), 1);
    expect(take()).toMatchObject([{ n: 'Outbound Link: Click' }]);
  });

  it('sends only the tagged event for a tagged element wrapping a link, with its props', async () => {
    const { take, click } = await load();
    take();
    const tag = element('div', { 'data-sightline-event': 'Signup', 'data-sightline-event-plan': 'pro' });
    await click(element('span', {}, link('https://other.example/', tag)));
    expect(take()).toEqual([expect.objectContaining({ n: 'Signup', p: { plan: 'pro' } })]);
  });

  it('follows the switches: downloads off keeps outbound without x, outbound off keeps candidates', async () => {
    const noDownloads = await load({ downloads: 'false' });
    noDownloads.take();
    await noDownloads.click(link('/a.pdf'));
    await noDownloads.click(link('https://cdn.example/a.pdf'));
    expect(noDownloads.take().map(({ n, x }) => ({ n, x }))).toEqual([{ n: 'Outbound Link: Click', x: undefined }]);

    const noOutbound = await load({ outbound: 'false' });
    noOutbound.take();
    await noOutbound.click(link('https://other.example/'));
    await noOutbound.click(link('https://cdn.example/a.zip'));
    expect(noOutbound.take().map(({ n, x }) => ({ n, x }))).toEqual([{ n: 'File Download', x: '' }]);
  });
});
