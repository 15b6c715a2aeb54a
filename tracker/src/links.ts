/**
 * Click classification, pure over element-like input: the props of a
 * declaratively tagged element, and which link paths are download
 * candidates (whether one is a download is decided by the server, from its
 * extension list: lib/ingest/steps/builtin.ts).
 */
import type { Props } from './payload';

/** One prop per `data-sightline-event-<prop>="value"` attribute. */
export function tagProps(el: { attributes: Iterable<{ name: string; value: string }> }): Props {
  const props: Props = {};
  for (const { name, value } of el.attributes) {
    const m = /^data-sightline-event-(.+)/.exec(name);
    if (m) props[m[1]!] = value;
  }
  return props;
}

/** A path ending in a file-like extension; `.html`/`.htm` are pages, never downloads. */
export const fileLike = (path: string): boolean => /\.(?!html?$)[^./]+$/.test(path);
