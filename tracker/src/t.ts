/**
 * Sightline tracker entry (browser glue): reads the script tag's data-*
 * switches, turns page loads, route changes, clicks and page exits into
 * events, and exposes `window.sightline(name, options)`. Decisions live in
 * the pure modules it imports; this file only wires them to the browser.
 */
import { begin, end, tick } from './engagement';
import { linkEvent, tagged } from './links';
import { pageKey } from './page';
import { payload, type Base, type Options, type Payload } from './payload';
import { batcher } from './queue';
import { blocked } from './rules';
import { post } from './transport';

type Api = (name: string, o?: Options) => void;

const w = window as unknown as { sightline?: Api & { q?: Parameters<Api>[] } };
const script = document.currentScript as HTMLScriptElement;
const data = script.dataset;
/** Feature switches: on unless the attribute says "false". */
const enabled = (v?: string) => v != 'false';
const hash = data.hash != null ? (1 as const) : undefined;
const endpoint = data.api || new URL('/api/event', script.src);
const engagement = enabled(data.engagement);
const base: Base = { d: data.site || location.hostname, r: document.referrer, w: screen.width, h: hash };

const enqueue = batcher<Payload>((batch) => post(endpoint, JSON.stringify(batch)), queueMicrotask);

const here = () => pageKey(location.href, hash);

/**
 * Queues the event unless an opt-out applies; returns whether it was queued.
 * The callback runs either way, once the event is handed over (a beacon
 * outlives the page), so a page waiting on it to navigate never hangs.
 */
const track = (n: string, o: Options = {}, u = here()) => {
  let flag;
  try {
    // Storage access throws in some sandboxed iframes and privacy modes.
    flag = localStorage.sightline_ignore;
  } catch {}
  const off = blocked(location, navigator, flag, data);
  off || enqueue(payload(n, u, o, base));
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
  addEventListener('scroll', tick);
  addEventListener('focus', tick);
  addEventListener('blur', tick);
  addEventListener('visibilitychange', () => (document.hidden ? leave() : tick()));
  addEventListener('pagehide', leave);
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
    addEventListener('popstate', route);
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
  const hit = ev.button < 2 && (tag ? tagged(tag) : a && linkEvent(a, location.host, downloads, outbound, data.downloadExtensions));
  if (hit) track(hit[0], { props: hit[1], x: hit[2] });
};
addEventListener('click', click);
addEventListener('auxclick', click);
