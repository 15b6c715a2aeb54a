/** GET /api/auth/me: the signed-in user, or 401. */
import { userInfo } from '@/db/users';
import { json, requireUser } from '@/lib/auth/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const caller = await requireUser(req);
  if (caller instanceof Response) return caller;
  return json(200, userInfo(caller.user));
}
