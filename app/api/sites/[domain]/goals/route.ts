/**
 * GET /api/sites/:domain/goals: the site's goals (anyone who may read the
 * site: the dashboard needs them). POST {kind: 'event', event_name} or
 * {kind: 'page', page_path}: adds one (owner only).
 */
import { z } from 'zod';
import { addGoal, goalProblem, listGoals } from '@/db/goals';
import { json, problem, readBody, requireOwner, requireSiteAccess, type DomainParams } from '@/lib/auth/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const Body = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event_name: z.string() }),
  z.object({ kind: z.literal('page'), page_path: z.string() }),
]);

export async function GET(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireSiteAccess(req, (await ctx.params).domain);
  if (caller instanceof Response) return caller;
  return json(200, await listGoals(caller.rt.db, caller.site.domain));
}

export async function POST(req: Request, ctx: DomainParams): Promise<Response> {
  const caller = await requireOwner(req, (await ctx.params).domain, { mutating: true });
  if (caller instanceof Response) return caller;
  const body = await readBody(req, Body);
  if (body instanceof Response) return body;
  const invalid = goalProblem(body);
  if (invalid) return problem(400, 'invalid', invalid);
  return json(201, await addGoal(caller.rt.db, caller.site.domain, body));
}
