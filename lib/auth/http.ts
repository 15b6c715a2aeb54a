/**
 * Small helpers shared by the account and site management routes: JSON
 * answers with one error shape, body validation with zod, the same-origin
 * check for state-changing requests, and the "who is asking" guards.
 *
 * Status codes: 401 when the request carries no valid identity, 404 when it
 * does but may not see the site (never revealing that it exists), 403 when it
 * may read the site but not manage it.
 */
import type { z } from 'zod';
import type { Site } from '../../db/sites';
import type { User } from '../../db/users';
import { getRuntime, type Runtime } from '../runtime';
import { credentialsOf, findSite, ownsSite, resolveAccess, userFromCredentials, type Access } from './access';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}

export function problem(status: number, error: string, detail: string, headers?: Record<string, string>): Response {
  return json(status, { error, detail }, headers);
}

export const unauthorized = () => problem(401, 'unauthorized', 'sign in, or send an API key as "Authorization: Bearer <key>"');
export const notFound = (what = 'site') => problem(404, 'not_found', `no such ${what}, or you may not see it`);

/**
 * Refuses state-changing requests another site's page made the browser send
 * (defence in depth on top of SameSite=Lax). Browsers say where a request
 * comes from in Sec-Fetch-Site, which pages cannot forge and which survives
 * proxies that rewrite Host; older browsers are checked by Origin against
 * Host. Requests with neither (curl, the CLI, API-key clients) carry no
 * ambient cookie risk.
 */
export function crossSite(req: Request): Response | null {
  const fetchSite = req.headers.get('sec-fetch-site');
  if (fetchSite) {
    return fetchSite === 'same-origin' || fetchSite === 'none' ? null : problem(403, 'cross_site', 'this request must come from a Sightline page');
  }
  const origin = req.headers.get('origin');
  if (!origin) return null;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? new URL(req.url).host;
  try {
    if (new URL(origin).host === host) return null;
  } catch {
    // fall through: a malformed Origin is refused
  }
  return problem(403, 'cross_site', 'this request must come from a Sightline page');
}

export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S> | Response> {
  const raw = await req.json().catch(() => undefined);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return problem(400, 'invalid', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid JSON body');
}

export interface Caller {
  rt: Runtime;
  user: User;
}

/** The signed-in user (session cookie or API key), or a 401/403 answer. */
export async function requireUser(req: Request, opts: { mutating?: boolean } = {}): Promise<Caller | Response> {
  if (opts.mutating) {
    const refused = crossSite(req);
    if (refused) return refused;
  }
  const rt = await getRuntime();
  const user = await userFromCredentials(rt.db, credentialsOf(req));
  return user ? { rt, user } : unauthorized();
}

export interface SiteCaller {
  rt: Runtime;
  site: Site;
  access: Access;
  user: User | null;
}

/** Any access to the site (owner, share link, public), or 401/404. */
export async function requireSiteAccess(req: Request, domain: string): Promise<SiteCaller | Response> {
  const rt = await getRuntime();
  const creds = credentialsOf(req);
  const [access, user] = await Promise.all([resolveAccess(rt.db, creds, domain), userFromCredentials(rt.db, creds)]);
  const site = access ? await findSite(rt.db, domain) : null;
  if (access && site) return { rt, site, access, user };
  return user ? notFound() : unauthorized();
}

/** The site's owner, or 401/403/404. */
export async function requireOwner(req: Request, domain: string, opts: { mutating?: boolean } = {}): Promise<SiteCaller & { user: User } | Response> {
  const caller = await requireUser(req, opts);
  if (caller instanceof Response) return caller;
  const site = await findSite(caller.rt.db, domain);
  if (site && ownsSite(caller.user, site)) return { rt: caller.rt, site, access: 'owner', user: caller.user };
  const access = await resolveAccess(caller.rt.db, credentialsOf(req), domain);
  return access ? problem(403, 'forbidden', 'only the site owner can do this') : notFound();
}

/** Route handler context for `[domain]` segments. */
export interface DomainParams {
  params: Promise<{ domain: string }>;
}
