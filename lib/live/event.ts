/**
 * The live view of one stored event: the few fields live counters, filters
 * and the feed need. Built from the rows EventStore commits (embedded mode)
 * or decoded from the `sightline.live` topic (scale-out), where each message
 * carries one site's events of one committed batch, dictionary-encoded.
 */
import type { EventRow } from '../event/enriched';
import { MAX_VALUE_CHARS } from './protocol';

export interface LiveEvent {
  site: string;
  /** Server receive time, epoch ms. */
  t: number;
  /** The visit (session id): one visitor has one open visit, also across the midnight salt change. */
  visit: string;
  name: string;
  page: string;
  source: string;
  country: string;
  device: string;
  city: string;
  browser: string;
}

const cut = (s: string) => (s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS) : s);

/** 'YYYY-MM-DD hh:mm:ss.sss' (UTC, as EventRow carries it) → epoch ms. */
export function parseRowTime(ts: string): number {
  return Date.parse(`${ts.replace(' ', 'T')}Z`);
}

export function fromEventRow(row: EventRow): LiveEvent {
  return {
    site: row.site_id,
    t: parseRowTime(row.timestamp),
    visit: row.session_id,
    name: cut(row.name),
    page: cut(row.pathname),
    source: cut(row.referrer_source),
    country: row.country_code,
    device: row.device,
    city: cut(row.city),
    browser: row.browser,
  };
}

// ---------------------------------------------------------------------------
// Kafka message: one site, one committed batch.
//   { v: 1, site, s: [strings], e: [[t, visit, name, page, source, country, device, city, browser], …] }
// where every field after `visit` is an index into `s`.

export const LIVE_MESSAGE_VERSION = 1;

type Row = [number, string, number, number, number, number, number, number, number];

interface LiveMessage {
  v: number;
  site: string;
  s: string[];
  e: Row[];
}

/** Groups events by site: one message per site, keyed by site (so one site stays in order on one partition). */
export function encodeLiveMessages(events: LiveEvent[]): { key: string; value: string }[] {
  const bySite = new Map<string, LiveEvent[]>();
  for (const e of events) {
    let list = bySite.get(e.site);
    if (!list) bySite.set(e.site, (list = []));
    list.push(e);
  }
  const out: { key: string; value: string }[] = [];
  for (const [site, list] of bySite) {
    const strings: string[] = [];
    const index = new Map<string, number>();
    const id = (s: string) => {
      let i = index.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        index.set(s, i);
      }
      return i;
    };
    const rows = list.map((e): Row => [e.t, e.visit, id(e.name), id(e.page), id(e.source), id(e.country), id(e.device), id(e.city), id(e.browser)]);
    const msg: LiveMessage = { v: LIVE_MESSAGE_VERSION, site, s: strings, e: rows };
    out.push({ key: site, value: JSON.stringify(msg) });
  }
  return out;
}

/** Message → events; null (and nothing thrown) for anything malformed or of another version. */
export function decodeLiveMessage(value: Buffer | string | null): LiveEvent[] | null {
  if (value === null) return null;
  let msg: LiveMessage;
  try {
    msg = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as LiveMessage;
  } catch {
    return null;
  }
  if (!msg || msg.v !== LIVE_MESSAGE_VERSION || typeof msg.site !== 'string' || !Array.isArray(msg.s) || !Array.isArray(msg.e)) return null;
  const s = msg.s;
  const str = (i: unknown): string | null => (typeof i === 'number' && typeof s[i] === 'string' ? cut(s[i]) : null);
  const out: LiveEvent[] = [];
  for (const r of msg.e) {
    if (!Array.isArray(r) || r.length !== 9 || typeof r[0] !== 'number' || typeof r[1] !== 'string') return null;
    const fields = r.slice(2).map(str);
    if (fields.some((f) => f === null)) return null;
    const [name, page, source, country, device, city, browser] = fields as string[];
    out.push({ site: msg.site, t: r[0], visit: r[1], name: name!, page: page!, source: source!, country: country!, device: device!, city: city!, browser: browser! });
  }
  return out;
}
