/** DELETE /api/sites/:domain/share/:id: revokes a share link. Owner only. */
import { json, notFound, requireOwner } from '@/lib/auth/http';
import { revokeShareLink } from '@/lib/auth/share-links';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function DELETE(req: Request, ctx: { params: Promise<{ domain: string; id: string }> }): Promise<Response> {
  const { domain, id } = await ctx.params;
  const caller = await requireOwner(req, domain, { mutating: true });
  if (caller instanceof Response) return caller;
  if (!(await revokeShareLink(caller.rt.db, caller.site.domain, id))) return notFound('share link');
  return json(200, { revoked: id });
}
