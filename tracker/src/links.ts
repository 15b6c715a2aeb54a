/**
 * Click classification: the name and props of a declaratively tagged
 * element (`data-sightline-event="Name"` + `data-sightline-event-<prop>`),
 * and whether a link is a file download or an outbound link. Pure over
 * element-like input.
 */
import type { Props } from './payload';

export type Hit = [name: string, props: Props, x?: string];

export function tagged(el: {
  attributes: Iterable<{ name: string; value: string }>;
  dataset: { sightlineEvent?: string };
}): Hit {
  const props: Props = {};
  for (const { name, value } of el.attributes) {
    const m = /^data-sightline-event-(.+)/.exec(name);
    if (m) props[m[1]!] = value;
  }
  return [el.dataset.sightlineEvent!, props];
}

/**
 * A link click worth sending: outbound (another host), or a path with a
 * file-like extension (a download candidate, which the server classifies by
 * its extension list; `x` carries the extra extensions, '' for none).
 */
export function linkEvent(
  a: { href: string; host: string; pathname: string },
  pageHost: string,
  downloads: boolean,
  outbound: boolean,
  extra = '',
): Hit | undefined {
  const out = outbound && a.host != pageHost;
  const file = downloads && /\.(?!html?$)[^./]+$/.test(a.pathname);
  if (a.host && (out || file)) return [out ? 'Outbound Link: Click' : 'File Download', { url: a.href }, file ? extra : undefined];
}
