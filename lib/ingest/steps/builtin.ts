/**
 * Built-in events whose last step the tracker leaves to the server, so the
 * script stays small (tracker/README.md "Size budget"):
 *
 * - **Link clicks** carrying `download_extensions` (short key `x`): the
 *   tracker sends a click on a link to another host ("Outbound Link: Click")
 *   and on any link whose path has a file-like extension ("File Download",
 *   a candidate), with `x` = the site's extra extensions ('' for none). Here
 *   the link becomes a "File Download" when its path ends in one of
 *   DOWNLOAD_EXTENSIONS or the extra ones, its URL then losing the query and
 *   fragment; otherwise an outbound click stays one (full URL) and a
 *   same-host candidate is dropped. Events without `x` (other trackers,
 *   Plausible's) are never reclassified.
 * - **404**: a `404` event without a `path` prop gets the page URL's path.
 */
import type { EventPayload } from '../../event/payload';

export const DOWNLOAD_EXTENSIONS: readonly string[] = [
  'pdf', 'xlsx', 'docx', 'txt', 'rtf', 'csv', 'exe', 'key', 'pps', 'ppt', 'pptx', '7z', 'pkg', 'rar', 'gz', 'zip',
  'avi', 'mov', 'mp4', 'mpeg', 'wmv', 'midi', 'mp3', 'wav', 'wma', 'dmg',
];

export const OUTBOUND = 'Outbound Link: Click';
export const DOWNLOAD = 'File Download';

const DEFAULTS = new Set(DOWNLOAD_EXTENSIONS);

/** The link URL without query and fragment when its path ends in a download extension. */
export function downloadUrl(link: string, extra: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  const ext = /\.([^./]+)$/.exec(url.pathname)?.[1]?.toLowerCase();
  if (!ext) return undefined;
  const isDownload =
    DEFAULTS.has(ext) ||
    extra
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .includes(ext);
  return isDownload ? url.origin + url.pathname : undefined;
}

/** The event as stored, or null when it is a link click that is neither a download nor outbound. */
export function resolveBuiltIn(p: EventPayload): EventPayload | null {
  if (p.download_extensions !== undefined) {
    const { download_extensions: extra, ...rest } = p;
    const link = p.props?.url;
    const url = typeof link === 'string' ? downloadUrl(link, extra) : undefined;
    if (url) return { ...rest, name: DOWNLOAD, props: { ...p.props, url } };
    return p.name === OUTBOUND ? rest : null;
  }
  if (p.name === '404' && p.props?.path === undefined) {
    return { ...p, props: { ...p.props, path: new URL(p.url).pathname } };
  }
  return p;
}
