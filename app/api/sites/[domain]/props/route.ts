/**
 * GET /api/sites/:domain/props: the custom property keys seen in the last
 * 30 days, most used first, so the dashboard can offer them for breakdowns
 * (the Stats API breaks down by a key, but does not list keys).
 */
import { json, requireSiteAccess, type DomainParams } from '@/lib/auth/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireSiteAccess(req, (await ctx.params).domain);
  if (caller instanceof Response) return caller;
  const rows = await caller.rt.db.query<{ prop: string }>(
    `SELECT arrayJoin(mapKeys(props)) AS prop, count() AS uses FROM events
     WHERE site_id = {domain:String} AND timestamp > now() - INTERVAL 30 DAY
     GROUP BY prop ORDER BY uses DESC, prop LIMIT 50`,
    { domain: caller.site.domain },
  );
  return json(200, rows.map((r) => r.prop));
}
