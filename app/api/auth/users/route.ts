/**
 * Loopback admin API for `npm run users` (the embedded server owns the data
 * directory, so the CLI asks it). Same authorisation as /api/admin/sites:
 * the token in DATA_DIR/admin.json, and only from this machine.
 */
import { z } from 'zod';
import { createUser, deleteUser, findUserByEmail, listUsers, setPassword, userInfo } from '@/db/users';
import { invalidateAuthCache } from '@/lib/auth/cache';
import { json, problem, readBody } from '@/lib/auth/http';
import { hashPassword, passwordProblem } from '@/lib/auth/password';
import { loopbackAdmin } from '@/lib/admin';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const Body = z.discriminatedUnion('action', [
  z.object({ action: z.literal('create'), email: z.string(), password: z.string(), admin: z.boolean().optional() }),
  z.object({ action: z.literal('password'), email: z.string(), password: z.string() }),
  z.object({ action: z.literal('delete'), email: z.string() }),
]);

export async function GET(req: Request): Promise<Response> {
  const rt = await loopbackAdmin(req);
  if (!rt) return problem(403, 'forbidden', 'loopback admin only');
  return json(200, (await listUsers(rt.db)).map(userInfo));
}

export async function POST(req: Request): Promise<Response> {
  const rt = await loopbackAdmin(req);
  if (!rt) return problem(403, 'forbidden', 'loopback admin only');
  const body = await readBody(req, Body);
  if (body instanceof Response) return body;
  if (body.action !== 'delete') {
    const weak = passwordProblem(body.password);
    if (weak) return problem(400, 'invalid', weak);
  }
  try {
    if (body.action === 'create') {
      const user = await createUser(rt.db, { email: body.email, passwordHash: await hashPassword(body.password), role: body.admin ? 'admin' : 'member' });
      return json(201, userInfo(user));
    }
    const user = await findUserByEmail(rt.db, body.email);
    if (!user) return problem(404, 'not_found', `no account for ${body.email}`);
    if (body.action === 'password') await setPassword(rt.db, user, await hashPassword(body.password));
    else await deleteUser(rt.db, user);
    invalidateAuthCache();
    return json(200, userInfo(user));
  } catch (err) {
    return problem(400, 'invalid', (err as Error).message);
  }
}
