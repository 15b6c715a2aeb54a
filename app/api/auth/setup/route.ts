/**
 * First run: GET says whether an owner account still has to be created;
 * POST creates it (only while no user exists) and signs it in.
 */
import { z } from 'zod';
import { countUsers, createUser, UserExistsError } from '@/db/users';
import { crossSite, json, problem, readBody } from '@/lib/auth/http';
import { sessionCookieFor } from '@/lib/auth/login';
import { hashPassword, passwordProblem } from '@/lib/auth/password';
import { processGlobal } from '@/lib/process-global';
import { getRuntime } from '@/lib/runtime';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const Body = z.object({ email: z.string().min(3).max(320), password: z.string() });

// Two setup posts on one node cannot both create an owner. Across nodes a
// tiny window remains; setup is a one-time, first-minute action.
const lock = processGlobal<{ chain: Promise<unknown> }>('setup-lock', () => ({ chain: Promise.resolve() }));

export async function GET(): Promise<Response> {
  const rt = await getRuntime();
  return json(200, { needed: (await countUsers(rt.db)) === 0 });
}

export async function POST(req: Request): Promise<Response> {
  const refused = crossSite(req);
  if (refused) return refused;
  const body = await readBody(req, Body);
  if (body instanceof Response) return body;
  const weak = passwordProblem(body.password);
  if (weak) return problem(400, 'invalid', weak);
  const rt = await getRuntime();
  const run = lock.chain.then(async () => {
    if ((await countUsers(rt.db)) > 0) return problem(409, 'already_set_up', 'an account exists already: sign in instead');
    try {
      const user = await createUser(rt.db, { email: body.email, passwordHash: await hashPassword(body.password), role: 'admin' });
      return json(201, { id: user.id, email: user.email }, { 'Set-Cookie': await sessionCookieFor(rt.db, user, req) });
    } catch (err) {
      if (err instanceof UserExistsError) return problem(409, 'already_set_up', err.message);
      return problem(400, 'invalid', (err as Error).message);
    }
  });
  lock.chain = run.catch(() => undefined);
  return run;
}
