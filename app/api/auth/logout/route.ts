/**
 * POST /api/auth/logout: clears the session cookie. A plain form post (the
 * header's "Sign out" button) is redirected to /login; fetch callers get JSON.
 */
import { crossSite, json } from '@/lib/auth/http';
import { clearSessionCookie, isHttps } from '@/lib/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const refused = crossSite(req);
  if (refused) return refused;
  const cookie = clearSessionCookie(isHttps(req));
  if ((req.headers.get('content-type') ?? '').includes('form')) {
    return new Response(null, { status: 303, headers: { Location: '/login', 'Set-Cookie': cookie } });
  }
  return json(200, { ok: true }, { 'Set-Cookie': cookie });
}
