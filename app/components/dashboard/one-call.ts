/**
 * The dashboard page opens from one request: GET /api/v1/stats/dashboard
 * answers every card's first view (top stats, chart, each widget's first
 * tab) from ~6 queries that share their reads, where one v1 request per
 * card would cost ~8 requests and as many turns of the database's queue.
 *
 * Cards keep asking for their own v1 URL. This module decides, from that URL
 * alone, whether the one call's answer holds it, and cuts it out if so. A tab,
 * a longer list, another chart metric or interval asks for something the one
 * call does not hold, and goes to the v1 endpoint as before.
 */
import type { AggregateResult, BreakdownResult, BreakdownRow, DashboardResult, Metric, TimeseriesResult } from '@/db/stats';
import { CARD_ROWS, cardMetrics } from '@/db/stats/dashboard-cards';
import { baseParams, effectiveInterval, type DashboardQuery } from './query';
import { statsUrl } from './stats-client';

/** The one call for a view, started by the server while it renders the page (load.ts); null if it failed. */
export interface FirstView {
  url: string;
  answer: Promise<DashboardResult | null>;
}

/** The one call's URL for a view; the chart's interval is the view's current one. */
export function oneCallUrl(query: DashboardQuery, domain: string, shareToken?: string): string {
  return statsUrl(
    'dashboard',
    { ...baseParams(query, domain), compare: query.compare ? 'previous_period' : undefined, interval: effectiveInterval(query), limit: String(CARD_ROWS) },
    shareToken,
  );
}

/** Parameters that must be equal for two requests to describe the same view. */
const VIEW = ['site_id', 'period', 'date', 'filters', 'auth'] as const;

/** Cuts one v1 answer out of the one call's answer; undefined if it is not in there after all. */
export type Extract = (all: DashboardResult) => AggregateResult | TimeseriesResult | BreakdownResult | undefined;

function parse(url: string): { endpoint: string; params: URLSearchParams } {
  const u = new URL(url, 'http://x');
  return { endpoint: u.pathname.replace(/^\/api\/v1\/stats\//, ''), params: u.searchParams };
}

const list = (v: string | null) => (v ? v.split(',') : []);

/** The view a one call answers, as a key: its URL without interval and limit (a new view needs a new call). */
export function viewOf(oneCallUrl: string): string {
  const params = parse(oneCallUrl).params;
  return [...VIEW, 'compare'].map((k) => params.get(k) ?? '').join('\n');
}

/**
 * How to answer the v1 request `url` from the one call `oneCallUrl`, or null
 * when it cannot be (then it is sent as is, without waiting for the one call).
 */
export function extractFor(oneCallUrl: string, url: string): Extract | null {
  const call = parse(oneCallUrl).params;
  const { endpoint, params } = parse(url);
  if (VIEW.some((k) => params.get(k) !== call.get(k))) return null;
  const metrics = list(params.get('metrics')) as Metric[];

  if (endpoint === 'aggregate') {
    if (params.get('compare') !== call.get('compare')) return null;
    return (all) => {
      if (!metrics.every((m) => all.top_stats[m])) return undefined;
      return { results: Object.fromEntries(metrics.map((m) => [m, all.top_stats[m]!])) } as AggregateResult;
    };
  }

  if (endpoint === 'timeseries') {
    if (metrics.join() !== 'visitors' || params.get('interval') !== call.get('interval')) return null;
    return (all) => ({ results: all.timeseries });
  }

  if (endpoint === 'breakdown') {
    const property = params.get('property') ?? '';
    const has = cardMetrics(property);
    const limit = Number(params.get('limit'));
    const inCall = has && metrics.length > 0 && metrics.every((m) => has.includes(m));
    if (!inCall || !(limit > 0 && limit <= Number(call.get('limit'))) || (params.get('page') ?? '1') !== '1') return null;
    return (all) => {
      const rows = all.breakdowns[property];
      if (!rows) return undefined;
      // Rows carry every metric of their card; the request gets only the ones it asked for.
      const keep = (k: string) => !has.includes(k as Metric) || metrics.includes(k as Metric);
      const results = rows.slice(0, limit).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => keep(k))) as BreakdownRow);
      return { results };
    };
  }

  return null;
}
