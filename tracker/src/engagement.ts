/**
 * Engagement of the page that had the last pageview: milliseconds it was
 * visible AND focused, and the deepest scroll reached. `end` reports it
 * when the page is left (hidden, unloaded, or replaced by an SPA route);
 * a trigger with nothing new (pagehide right after hidden) sends nothing,
 * so normally one engagement event goes out per page.
 */
import { scrollDepth } from './page';

let url: string | undefined;
/** Engaged time banked since the last report. */
let ms: number;
/** Start of the running engaged stretch; 0/false while hidden or unfocused. */
let since: number | false;
let depth: number;
let sentDepth: number;

/**
 * Banks the running stretch, starts a new one if the page is still engaged,
 * and records how far down the page is seen. Listens to scroll, focus and blur.
 */
export const tick = (): void => {
  const now = Date.now();
  if (since) ms += now - since;
  since = !document.hidden && document.hasFocus() && now;
  depth = Math.max(depth, scrollDepth(scrollY, innerHeight, document.documentElement.scrollHeight));
};

export const begin = (u: string): void => {
  url = u;
  ms = depth = since = 0;
  sentDepth = -1;
  tick();
};

export const end = (send: (u: string, e: number, sd: number) => void): void => {
  if (url) {
    tick();
    if (ms || depth > sentDepth) {
      send(url, ms, depth);
      sentDepth = depth;
      // Stop the clock too: pagehide and visibilitychange both fire on leaving,
      // and the second must not report the millisecond between them.
      ms = since = 0;
    }
  }
};
