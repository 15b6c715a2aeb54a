/**
 * The wire format: one event with short keys, expanded to long keys by
 * lib/event/payload.ts on the server; t.ts builds it in `track`. Keys whose
 * value is undefined are dropped by JSON.stringify, so optional fields cost
 * nothing on the wire.
 */
export type Props = Record<string, string | number | boolean>;

/** What a caller passes to `sightline(name, options)`. */
export interface Options {
  props?: Props;
  revenue?: { amount: number | string; currency: string };
  interactive?: boolean;
  callback?: () => void;
  /** Manual pageviews: an absolute URL to record instead of location.href. */
  u?: string;
  /** Engagement only, set by the tracker: engaged ms and scroll depth %. */
  e?: number;
  sd?: number;
  /** Link clicks only, set by the tracker: extra download extensions. */
  x?: string;
}

/** One event on the wire. */
export interface Payload {
  n: string;
  u: string;
  /** Site domain. */
  d: string;
  /** document.referrer. */
  r: string;
  /** Screen width. */
  w: number;
  /** 1 in hash-routing mode. */
  h?: 1;
  p?: Props;
  $?: Options['revenue'];
  i?: boolean;
  e?: number;
  sd?: number;
  x?: string;
}
