/**
 * GET /api/keys: the caller's API keys (never the keys themselves).
 * POST {name}: creates one and returns the key; it is not shown again.
 */
import { z } from 'zod';
import { json, readBody, requireUser } from '@/lib/auth/http';
import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const Body = z.object({ name: z.string().trim().min(1).max(100) });

export async function GET(req: Request): Promise<Response> {
  const caller = await requireUser(req);
  if (caller instanceof Response) return caller;
  return json(200, await listApiKeys(caller.rt.db, caller.user.id));
}

export async function POST(req: Request): Promise<Response> {
  const caller = await requireUser(req, { mutating: true });
  if (caller instanceof Response) return caller;
  const body = await readBody(req, Body);
  if (body instanceof Response) return body;
  const { key, apiKey } = await createApiKey(caller.rt.db, caller.user.id, body.name);
  return json(201, { ...apiKey, key });
}
