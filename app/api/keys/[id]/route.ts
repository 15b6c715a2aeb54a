/** DELETE /api/keys/:id: revokes one of the caller's API keys. */
import { json, notFound, requireUser } from '@/lib/auth/http';
import { revokeApiKey } from '@/lib/auth/api-keys';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function DELETE(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const caller = await requireUser(req, { mutating: true });
  if (caller instanceof Response) return caller;
  if (!(await revokeApiKey(caller.rt.db, caller.user.id, (await ctx.params).id))) return notFound('API key');
  return json(200, { revoked: true });
}
