/**
 * GET /api/v1/stats/dashboard: every dashboard card in one answer — top
 * stats (with compare=previous_period), the main chart, the top 10 (or
 * `limit`) of each breakdown card and the goals — from ~7 queries. Takes
 * site_id, period, date, filters, interval, compare and limit like the v1
 * endpoints. A Sightline extension; the cards equal the v1 reports.
 */
import { handleStats } from '../handler';
import { runtimeDeps } from '../runtime-deps';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return handleStats('dashboard', req, await runtimeDeps());
}
