/**
 * GET /api/sites: the caller's sites (an admin also sees sites without an
 * owner). POST /api/sites {domain, timezone}: registers a site owned by the
 * caller; 409 when the domain is registered already.
 */
import { z } from 'zod';
import { listSites, normalizeDomain, upsertSite } from '@/db/sites';
import { ownsSite } from '@/lib/auth/access';
import { json, problem, readBody, requireUser } from '@/lib/auth/http';
import { isTimeZone } from '@/lib/auth/timezones';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const Body = z.object({ domain: z.string().min(1).max(300), timezone: z.string().max(64).default('UTC') });

export async function GET(req: Request): Promise<Response> {
  const caller = await requireUser(req);
  if (caller instanceof Response) return caller;
  const sites = await listSites(caller.rt.db);
  return json(200, sites.filter((s) => ownsSite(caller.user, s)));
}

export async function POST(req: Request): Promise<Response> {
  const caller = await requireUser(req, { mutating: true });
  if (caller instanceof Response) return caller;
  const body = await readBody(req, Body);
  if (body instanceof Response) return body;
  let domain: string;
  try {
    domain = normalizeDomain(body.domain);
  } catch (err) {
    return problem(400, 'invalid', `${(err as Error).message}; enter a host name such as example.com`);
  }
  if (!isTimeZone(body.timezone)) return problem(400, 'invalid', `unknown time zone ${JSON.stringify(body.timezone)}`);
  const { rt, user } = caller;
  if ((await listSites(rt.db)).some((s) => s.domain === domain)) {
    return problem(409, 'exists', `${domain} is registered already`);
  }
  const site = await upsertSite(rt.db, { domain, timezone: body.timezone, public: false, owner_id: user.id });
  await rt.sitesChanged();
  return json(201, site);
}
