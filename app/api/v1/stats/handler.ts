/**
 * The Stats API v1 request cycle, shared by the four routes:
 * site_id → access (401 without an identity, 404 with one that may not see
 * the site) → parameters (400 with Plausible's message) → report → JSON, or
 * CSV for timeseries and breakdown (`Accept: text/csv` or `format=csv`).
 * `dashboard` (a Sightline extension) answers every dashboard card at once.
 * Access, the site lookup and the clock come in as dependencies, so tests
 * drive this without auth.
 */
import type { Db } from '@/db/client';
import {
  aggregate,
  breakdown,
  dashboard,
  parseStatsParams,
  realtimeVisitors,
  StatsInputError,
  timeseries,
  toCsv,
  toStatsQuery,
  propertyDef,
  resolvePeriod,
  type Endpoint,
} from '@/db/stats';

export type AccessDecision = 'owner' | 'shared' | 'public' | null;

export interface StatsDeps {
  db: Db;
  access(req: Request, domain: string): Promise<AccessDecision>;
  /** Whether the request carries a valid identity: decides 404 over 401 when access is refused. */
  signedIn(req: Request): Promise<boolean>;
  site(domain: string): Promise<{ domain: string; timezone: string } | null>;
  now?: () => Date;
  /** Use rollups where they can answer (default true). */
  rollups?: boolean;
}

const HEADERS = { 'Cache-Control': 'private, no-store' };

function error(status: number, message: string): Response {
  return Response.json({ error: message }, { status, headers: HEADERS });
}

function wantsCsv(req: Request, search: URLSearchParams): boolean {
  const format = search.get('format');
  if (format) return format === 'csv';
  return (req.headers.get('accept') ?? '').split(',').some((t) => t.trim().toLowerCase().startsWith('text/csv'));
}

export async function handleStats(endpoint: Endpoint, req: Request, deps: StatsDeps): Promise<Response> {
  const search = new URL(req.url).searchParams;
  const siteId = (search.get('site_id') ?? '').trim().toLowerCase();
  if (!siteId) return error(400, 'Missing site ID. Please provide the required site_id parameter with your request.');

  const access = await deps.access(req, siteId);
  if (!access) {
    return (await deps.signedIn(req))
      ? error(404, 'Site not found, or you may not see it.')
      : error(401, 'Invalid API key or site ID. Please make sure you use a valid API key (Authorization: Bearer <key>) with access to the site you requested.');
  }
  const site = await deps.site(siteId);
  if (!site) return error(404, 'Site not found, or you may not see it.');

  try {
    const now = deps.now?.() ?? new Date();
    const opts = { now, rollups: deps.rollups ?? true };
    if (endpoint === 'realtime') {
      return Response.json(await realtimeVisitors(deps.db, site.domain, opts), { headers: HEADERS });
    }
    const request = parseStatsParams(endpoint, search);
    if (endpoint === 'dashboard') {
      const range = resolvePeriod(request.period, request.date, site.timezone, now);
      const result = await dashboard(
        deps.db,
        { site: site.domain, timezone: site.timezone, range, filters: request.filters, interval: request.interval ?? 'date', compare: request.compare === 'previous_period', limit: request.limit },
        opts,
      );
      return Response.json(result, { headers: HEADERS });
    }
    const query = toStatsQuery(request, site, now);
    const csv = endpoint !== 'aggregate' && (request.format === 'csv' || wantsCsv(req, search));
    if (endpoint === 'aggregate') {
      return Response.json(await aggregate(deps.db, query, { ...opts, compare: request.compare }), { headers: HEADERS });
    }
    if (endpoint === 'timeseries') {
      const result = await timeseries(deps.db, query, opts);
      return csv ? csvResponse(site.domain, endpoint, ['date', ...query.metrics], result.results) : Response.json(result, { headers: HEADERS });
    }
    const result = await breakdown(deps.db, query, opts);
    if (!csv) return Response.json(result, { headers: HEADERS });
    const def = propertyDef(query.dimension!)!;
    const columns = [...(def.parent ? [def.parent.key] : []), def.key, ...query.metrics];
    return csvResponse(site.domain, endpoint, columns, result.results);
  } catch (err) {
    if (err instanceof StatsInputError) return error(err.status, err.message);
    console.error('stats api', err);
    return error(500, 'Internal error while running the query.');
  }
}

function csvResponse(site: string, endpoint: string, columns: string[], rows: Record<string, string | number | null>[]): Response {
  return new Response(toCsv(columns, rows), {
    headers: {
      ...HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${site.replace(/[^\w.-]/g, '_')}-${endpoint}.csv"`,
    },
  });
}
