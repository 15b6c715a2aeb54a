/**
 * Click classification: the name and props of a declaratively tagged
 * element (`data-sightline-event="Name"` + `data-sightline-event-<prop>`),
 * and whether a link is a file download or an outbound link. Pure over
 * element-like input.
 */
import type { Props } from './payload';

export const DOWNLOADS =
  'pdf,xlsx,docx,txt,rtf,csv,exe,key,pps,ppt,pptx,7z,pkg,rar,gz,zip,avi,mov,mp4,mpeg,wmv,midi,mp3,wav,wma,dmg';

export type Hit = [name: string, props: Props];

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
 * `exts` lists download extensions (comma-separated), or is '' when
 * downloads are off. Downloads win over outbound: a PDF on a CDN is a
 * download first. The download URL loses its query and fragment.
 */
export function linkEvent(
  a: { href: string; host: string; origin: string; pathname: string },
  pageHost: string,
  exts: string,
  outbound: boolean,
): Hit | undefined {
  const ext = /\.([^./]+)$/.exec(a.pathname);
  if (ext && exts.split(',').includes(ext[1]!)) return ['File Download', { url: a.origin + a.pathname }];
  if (outbound && a.host && a.host != pageHost) return ['Outbound Link: Click', { url: a.href }];
}
