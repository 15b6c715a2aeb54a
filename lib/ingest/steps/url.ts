/**
 * Page URL → hostname, path and UTM parameters. The query string is dropped
 * (it can carry personal data) except utm_* and ref, which are attribution.
 */
export interface PageLocation {
  hostname: string;
  pathname: string;
  utm: { source: string; medium: string; campaign: string; content: string; term: string };
  /** `?ref=` / `?source=` / `?utm_source=` value, used as a referrer source when there is no referrer. */
  ref: string;
  /** Click ids that mark paid traffic. */
  paidClickId: boolean;
}

const MAX_PATH = 2048;

export function normalizePage(rawUrl: string, hashMode: boolean): PageLocation {
  const url = new URL(rawUrl);
  let pathname = decodeSafe(url.pathname) || '/';
  if (hashMode && url.hash.length > 1) pathname += url.hash;
  if (pathname.length > 1 && pathname.endsWith('/')) pathname = pathname.slice(0, -1);
  const q = url.searchParams;
  const get = (k: string) => (q.get(k) ?? '').trim().slice(0, 256);
  return {
    hostname: url.hostname.replace(/^www\./, '').toLowerCase(),
    pathname: pathname.slice(0, MAX_PATH),
    utm: {
      source: get('utm_source'),
      medium: get('utm_medium'),
      campaign: get('utm_campaign'),
      content: get('utm_content'),
      term: get('utm_term'),
    },
    ref: get('ref') || get('source'),
    paidClickId: q.has('gclid') || q.has('msclkid') || q.has('fbclid') || q.has('ttclid') || q.has('li_fat_id'),
  };
}

function decodeSafe(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
