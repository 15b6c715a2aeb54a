/**
 * The wire format: one event with short keys, expanded to long keys by
 * lib/event/payload.ts on the server. Keys whose value is undefined are
 * dropped by JSON.stringify, so optional fields cost nothing on the wire.
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

/** Fields that are the same for every event of a page load. */
export interface Base {
  /** Site domain. */
  d: string;
  /** document.referrer. */
  r: string;
  /** Screen width. */
  w: number;
  /** 1 in hash-routing mode. */
  h?: 1;
}

export interface Payload extends Base {
  n: string;
  u: string;
  p?: Props;
  $?: Options['revenue'];
  i?: boolean;
  e?: number;
  sd?: number;
  x?: string;
}

export const payload = (n: string, u: string, o: Options, base: Base): Payload => ({
  ...base,
  n,
  u,
  p: o.props,
  $: o.revenue,
  i: o.interactive,
  e: o.e,
  sd: o.sd,
  x: o.x,
});
