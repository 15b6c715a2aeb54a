/**
 * One site. GET: its settings and the caller's access (any access).
 * PATCH {timezone?, public?}: owner only. DELETE {confirm: domain}: owner
 * only; removes the site, all its events and rollups, share links and goals.
 */
import { z } from 'zod';
import { deleteAllGoals } from '@/db/goals';
import { deleteSite, upsertSite } from '@/db/sites';
import { json, problem, readBody, requireOwner, requireSiteAccess, type DomainParams } from '@/lib/auth/http';
import { revokeAllShareLinks } from '@/lib/auth/share-links';
import { isTimeZone } from '@/lib/auth/timezones';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const Patch = z.object({ timezone: z.string().max(64).optional(), public: z.boolean().optional() }).strict();
const Delete = z.object({ confirm: z.string() });

export async function GET(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireSiteAccess(req, (await ctx.params).domain);
  if (caller instanceof Response) return caller;
  const { domain, timezone, public: isPublic } = caller.site;
  return json(200, { domain, timezone, public: isPublic, access: caller.access });
}

export async function PATCH(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireOwner(req, (await ctx.params).domain, { mutating: true });
  if (caller instanceof Response) return caller;
  const body = await readBody(req, Patch);
  if (body instanceof Response) return body;
  if (body.timezone !== undefined && !isTimeZone(body.timezone)) return problem(400, 'invalid', `unknown time zone ${JSON.stringify(body.timezone)}`);
  const site = await upsertSite(caller.rt.db, { domain: caller.site.domain, ...body });
  await caller.rt.sitesChanged();
  return json(200, site);
}

export async function DELETE(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireOwner(req, (await ctx.params).domain, { mutating: true });
  if (caller instanceof Response) return caller;
  const body = await readBody(req, Delete);
  if (body instanceof Response) return body;
  const { rt, site } = caller;
  if (body.confirm !== site.domain) return problem(400, 'unconfirmed', `send {"confirm": "${site.domain}"} to delete the site and all its data`);
  await revokeAllShareLinks(rt.db, site.domain);
  await deleteAllGoals(rt.db, site.domain);
  await deleteSite(rt.db, site.domain);
  await rt.sitesChanged();
  return json(200, { deleted: site.domain });
}
