/**
 * Sightline tracker entry (browser glue): reads the script tag's data-*
 * switches, turns page loads, route changes, clicks and page exits into
 * events, and exposes `window.sightline(name, options)`. The wire event and
 * the click decision are written out here, where they are used: as separate
 * functions they cost the script more bytes than they saved (tracker/README.md
 * "Size budget"). The parsing and arithmetic live in the modules it imports;
 * test/entry.test.ts checks this file on the built script.
 */
import { begin, end, tick } from './engagement';
import { fileLike, tagProps } from './links';
import { pageKey } from './page';
import type { Options, Payload } from './payload';
import { batcher } from './queue';
import { blocked } from './rules';
import { post } from './transport';

type Api = (name: string, o?: Options) => void;

const w = window as unknown as { sightline?: Api & { q?: Parameters<Api>[] } };
const script = document.currentScript as HTMLScriptElement;
const data = script.dataset;
const on = addEventListener;
/** Feature switches: on unless the attribute says "false". */
const enabled = (v?: string) => v != 'false';
const hash = data.hash != null ? (1 as const) : undefined;
const endpoint = data.api || new URL('/api/event', script.src);
const engagement = enabled(data.engagement);

const enqueue = batcher<Payload>((batch) => post(endpoint, JSON.stringify(batch)), queueMicrotask);

const here = () => pageKey(location.href, hash);

/**
 * Queues the event unless an opt-out applies; returns whether it was queued.
 * The callback runs either way, once the event is handed over (a beacon
 * outlives the page), so a page waiting on it to navigate never hangs.
 * The wire event is written out here, key by key: a builder function and
 * a shared base object cost the script more bytes than they save.
 */
const track = (n: string, o: Options = {}, u = here()) => {
  const off = blocked(data);
  off ||
    enqueue({
      n,
      u,
      d: data.site || location.hostname,
      r: document.referrer,
      w: screen.width,
      h: hash,
      p: o.props,
      $: o.revenue,
      i: o.interactive,
      e: o.e,
      sd: o.sd,
      x: o.x,
    });
  o.callback?.();
  return !off;
};

const leave = () => end((u, e, sd) => track('engagement', { e, sd }, u));

let last: string;

const pageview = (o: Options = {}) => {
  leave();
  const u = o.u || (last = here());
  track('pageview', o, u) && engagement && begin(u);
};

const api: Api = (n, o) => (n == 'pageview' ? pageview(o) : track(n, o));

const queued = w.sightline?.q;
w.sightline = api;

if (engagement) {
  on('scroll', tick);
  on('focus', tick);
  on('blur', tick);
  on('visibilitychange', () => (document.hidden ? leave() : tick()));
  on('pagehide', leave);
}

if (enabled(data.autoPageview)) {
  pageview();
  if (enabled(data.spa)) {
    // The same URL again (e.g. a router's replaceState on load) is not a new page.
    const route = () => here() != last && pageview();
    for (const k of ['pushState', 'replaceState'] as const) {
      const orig = history[k];
      history[k] = (...args: Parameters<History['pushState']>) => {
        orig.apply(history, args);
        route();
      };
    }
    // popstate also fires on fragment navigation, which covers hash routing.
    on('popstate', route);
  }
}

if (data['404'] != null) api('404');
queued?.map((args) => api(...args));

const downloads = enabled(data.downloads);
const outbound = enabled(data.outbound);

const click = (ev: MouseEvent) => {
  const t = ev.target as Element;
  const tag = t.closest?.<HTMLElement>('[data-sightline-event]');
  const a = t.closest?.('a');
  // Left and middle button only (a right click opens a menu, not the link).
  // Never preventDefault: the event is beaconed in this tick and survives the navigation.
  if (ev.button > 1) return;
  // A tagged element wrapping a link sends only its own event.
  if (tag) track(tag.dataset.sightlineEvent!, { props: tagProps(tag) });
  else if (a?.host) {
    // No host: mailto:, tel:, javascript: links send nothing.
    const out = outbound && a.host != location.host;
    // A candidate carries `x` (the extra extensions, '' for none): the server
    // makes it a File Download by extension, or leaves an outbound click as one.
    const file = downloads && fileLike(a.pathname);
    if (out || file)
      track(out ? 'Outbound Link: Click' : 'File Download', {
        props: { url: a.href },
        x: file ? data.downloadExtensions || '' : undefined,
      });
  }
};
on('click', click);
on('auxclick', click);
