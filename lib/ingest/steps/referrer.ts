/**
 * Referrer + UTM → source (e.g. "Google") and channel, following the usual
 * acquisition channel rules: paid beats organic, UTM beats the referrer, a
 * referrer from the site itself counts as direct.
 */
import type { PageLocation } from './url';

export type Channel =
  | 'Direct'
  | 'Organic Search'
  | 'Paid Search'
  | 'Organic Social'
  | 'Paid Social'
  | 'Email'
  | 'Organic Video'
  | 'Referral'
  | 'Affiliates'
  | 'Display'
  | 'Cross-network'
  | 'Unknown';

type Kind = 'search' | 'social' | 'email' | 'video';

/** Known referrer hosts (suffix match; the first match wins, so specific hosts come first) → source name and kind. */
const KNOWN: [string, string, Kind][] = [
  ['mail.google.com', 'Gmail', 'email'],
  ['outlook.live.com', 'Outlook.com', 'email'],
  ['mail.yahoo.com', 'Yahoo! Mail', 'email'],
  ['mail.proton.me', 'Proton Mail', 'email'],
  ['google.', 'Google', 'search'],
  ['bing.com', 'Bing', 'search'],
  ['duckduckgo.com', 'DuckDuckGo', 'search'],
  ['search.yahoo.', 'Yahoo!', 'search'],
  ['yahoo.com', 'Yahoo!', 'search'],
  ['yandex.', 'Yandex', 'search'],
  ['baidu.com', 'Baidu', 'search'],
  ['ecosia.org', 'Ecosia', 'search'],
  ['search.brave.com', 'Brave Search', 'search'],
  ['startpage.com', 'Startpage', 'search'],
  ['qwant.com', 'Qwant', 'search'],
  ['naver.com', 'Naver', 'search'],
  ['kagi.com', 'Kagi', 'search'],
  ['perplexity.ai', 'Perplexity', 'search'],
  ['chatgpt.com', 'ChatGPT', 'search'],
  ['facebook.com', 'Facebook', 'social'],
  ['fb.me', 'Facebook', 'social'],
  ['instagram.com', 'Instagram', 'social'],
  ['t.co', 'Twitter', 'social'],
  ['twitter.com', 'Twitter', 'social'],
  ['x.com', 'Twitter', 'social'],
  ['linkedin.com', 'LinkedIn', 'social'],
  ['lnkd.in', 'LinkedIn', 'social'],
  ['reddit.com', 'Reddit', 'social'],
  ['news.ycombinator.com', 'Hacker News', 'social'],
  ['pinterest.', 'Pinterest', 'social'],
  ['tiktok.com', 'TikTok', 'social'],
  ['threads.net', 'Threads', 'social'],
  ['bsky.app', 'Bluesky', 'social'],
  ['mastodon.social', 'Mastodon', 'social'],
  ['discord.com', 'Discord', 'social'],
  ['telegram.org', 'Telegram', 'social'],
  ['t.me', 'Telegram', 'social'],
  ['whatsapp.com', 'WhatsApp', 'social'],
  ['github.com', 'GitHub', 'social'],
  ['stackoverflow.com', 'Stack Overflow', 'social'],
  ['youtube.com', 'YouTube', 'video'],
  ['youtu.be', 'YouTube', 'video'],
  ['vimeo.com', 'Vimeo', 'video'],
  ['twitch.tv', 'Twitch', 'video'],
];

/** utm_source values (lowercase) that name a known source. */
const UTM_SOURCES: Record<string, [string, Kind]> = {
  google: ['Google', 'search'],
  bing: ['Bing', 'search'],
  duckduckgo: ['DuckDuckGo', 'search'],
  facebook: ['Facebook', 'social'],
  fb: ['Facebook', 'social'],
  instagram: ['Instagram', 'social'],
  ig: ['Instagram', 'social'],
  twitter: ['Twitter', 'social'],
  x: ['Twitter', 'social'],
  linkedin: ['LinkedIn', 'social'],
  reddit: ['Reddit', 'social'],
  hn: ['Hacker News', 'social'],
  tiktok: ['TikTok', 'social'],
  youtube: ['YouTube', 'video'],
  newsletter: ['Newsletter', 'email'],
  email: ['Email', 'email'],
};

export interface Attribution {
  referrer: string;
  referrer_source: string;
  channel: Channel;
}

function lookupHost(host: string): [string, Kind] | undefined {
  for (const [suffix, name, kind] of KNOWN) {
    const matches = suffix.endsWith('.')
      ? host.startsWith(suffix) || host.includes(`.${suffix}`)
      : host === suffix || host.endsWith(`.${suffix}`);
    if (matches) return [name, kind];
  }
  return undefined;
}

const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;

export function classifyReferrer(rawReferrer: string | null | undefined, page: PageLocation): Attribution {
  let refHost = '';
  let referrer = '';
  if (rawReferrer) {
    try {
      const u = new URL(rawReferrer);
      if (u.protocol === 'http:' || u.protocol === 'https:') {
        refHost = u.hostname.replace(/^www\./, '').toLowerCase();
        referrer = `${refHost}${u.pathname === '/' ? '' : u.pathname}`.slice(0, 512);
      }
    } catch {
      /* a referrer that is not a URL is ignored */
    }
  }
  // Navigation inside the site is not a source.
  if (refHost && refHost === page.hostname) {
    refHost = '';
    referrer = '';
  }

  const medium = page.utm.medium.toLowerCase();
  const utmSource = page.utm.source || page.ref;
  const known = refHost ? lookupHost(refHost) : undefined;
  const fromUtm = utmSource ? UTM_SOURCES[utmSource.toLowerCase()] : undefined;

  const source = known?.[0] ?? fromUtm?.[0] ?? (refHost || utmSource || '');
  const kind = known?.[1] ?? fromUtm?.[1];
  const paid = PAID_MEDIUM.test(medium) || page.paidClickId;

  let channel: Channel;
  if (!source && !medium) channel = page.paidClickId ? 'Paid Search' : 'Direct';
  else if (paid && kind === 'search') channel = 'Paid Search';
  else if (paid && (kind === 'social' || kind === 'video')) channel = 'Paid Social';
  else if (paid) channel = medium === 'display' || medium === 'banner' ? 'Display' : 'Paid Search';
  else if (medium === 'email' || medium === 'e-mail' || medium === 'newsletter' || kind === 'email') channel = 'Email';
  else if (medium === 'affiliate') channel = 'Affiliates';
  else if (medium === 'display' || medium === 'banner' || medium === 'cpm') channel = 'Display';
  else if (kind === 'search' || medium === 'organic') channel = 'Organic Search';
  else if (kind === 'social' || medium === 'social') channel = 'Organic Social';
  else if (kind === 'video' || medium === 'video') channel = 'Organic Video';
  else if (refHost || medium === 'referral') channel = 'Referral';
  else channel = 'Unknown';

  return { referrer, referrer_source: source.slice(0, 256), channel };
}
