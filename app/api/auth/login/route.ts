/** POST /api/auth/login {email, password}: sets the session cookie; 429 after repeated failures. */
import { z } from 'zod';
import { crossSite, json, problem, readBody } from '@/lib/auth/http';
import { authenticate, sessionCookieFor } from '@/lib/auth/login';
import { SOCKET_IP_HEADER } from '@/lib/ingest/handler';
import { clientIp } from '@/lib/ingest/steps/client-ip';
import { getRuntime } from '@/lib/runtime';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const Body = z.object({ email: z.string().max(320), password: z.string().max(1024) });

export async function POST(req: Request): Promise<Response> {
  const refused = crossSite(req);
  if (refused) return refused;
  const body = await readBody(req, Body);
  if (body instanceof Response) return body;
  const rt = await getRuntime();
  const ip = clientIp((name) => req.headers.get(name), req.headers.get(SOCKET_IP_HEADER) ?? undefined, rt.config.TRUST_PROXY);
  const result = await authenticate(rt.db, body.email, body.password, ip);
  if (result.ok) {
    return json(200, { id: result.user.id, email: result.user.email }, { 'Set-Cookie': await sessionCookieFor(rt.db, result.user, req) });
  }
  if (result.retryAfterMs > 0) {
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    return problem(429, 'too_many_attempts', `too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minute(s)`, {
      'Retry-After': String(seconds),
    });
  }
  return problem(401, 'invalid_credentials', 'wrong email or password');
}
