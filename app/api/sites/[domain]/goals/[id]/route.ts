/** DELETE /api/sites/:domain/goals/:id: removes a goal. Owner only. */
import { deleteGoal } from '@/db/goals';
import { json, notFound, requireOwner } from '@/lib/auth/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function DELETE(req: Request, ctx: { params: Promise<{ domain: string; id: string }> }): Promise<Response> {
  const { domain, id } = await ctx.params;
  const caller = await requireOwner(req, domain, { mutating: true });
  if (caller instanceof Response) return caller;
  if (!(await deleteGoal(caller.rt.db, caller.site.domain, id))) return notFound('goal');
  return json(200, { deleted: id });
}
