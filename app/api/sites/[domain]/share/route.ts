/** GET /api/sites/:domain/share: the site's share links; POST: a new one. Owner only. */
import { json, requireOwner, type DomainParams } from '@/lib/auth/http';
import { createShareLink, listShareLinks } from '@/lib/auth/share-links';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireOwner(req, (await ctx.params).domain);
  if (caller instanceof Response) return caller;
  return json(200, await listShareLinks(caller.rt.db, caller.site.domain));
}

export async function POST(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireOwner(req, (await ctx.params).domain, { mutating: true });
  if (caller instanceof Response) return caller;
  return json(201, await createShareLink(caller.rt.db, caller.site.domain, caller.user.id));
}
