/**
 * Who may read a site. One rule set for pages, the Stats API, the management
 * routes and socket.io handshakes, checked in this order:
 *   1. `Authorization: Bearer <api key>`  -> the key's user
 *   2. the session cookie                 -> the signed-in user
 *      a user whose id is the site's owner_id gets 'owner' (an admin also
 *      owns sites that have no owner, e.g. ones added with `npm run sites`);
 *   3. a share token (`?auth=` or `x-sightline-share`) for THAT site -> 'shared'
 *   4. the site's `public` flag           -> 'public'
 * Anything else, including an unknown site, is null: callers answer 404 or
 * 401 without saying whether the site exists.
 */
import type { Db } from '../../db/client';
import { listSites, type Site } from '../../db/sites';
import { findUserById, type User } from '../../db/users';
import { getRuntime } from '../runtime';
import { userIdForApiKey } from './api-keys';
import { cached } from './cache';
import { sessionKey } from './secret';
import { readCookie, SESSION_COOKIE, sessionVersion, verifySession } from './session';
import { siteForShareToken } from './share-links';

export type Access = 'owner' | 'shared' | 'public';

export const SHARE_HEADER = 'x-sightline-share';
export const SHARE_PARAM = 'auth';

/** What a request presents; every field optional. */
export interface Credentials {
  authorization?: string | null;
  cookie?: string | null;
  shareToken?: string | null;
}

export function credentialsOf(req: Request): Credentials {
  return {
    authorization: req.headers.get('authorization'),
    cookie: req.headers.get('cookie'),
    shareToken: req.headers.get(SHARE_HEADER) ?? new URL(req.url).searchParams.get(SHARE_PARAM),
  };
}

export async function siteAccess(req: Request, domain: string): Promise<Access | null> {
  const { db } = await getRuntime();
  return resolveAccess(db, credentialsOf(req), domain);
}

/** For socket.io handshakes (and server components): cookie/Authorization headers plus an optional share token. */
export async function siteAccessFromHandshake(headers: Headers, authToken: string | undefined, domain: string): Promise<Access | null> {
  const { db } = await getRuntime();
  return resolveAccess(
    db,
    { authorization: headers.get('authorization'), cookie: headers.get('cookie'), shareToken: authToken ?? headers.get(SHARE_HEADER) },
    domain,
  );
}

export async function resolveAccess(db: Db, creds: Credentials, domain: string): Promise<Access | null> {
  const site = await findSite(db, domain);
  if (!site) return null;
  const user = await userFromCredentials(db, creds);
  if (user && ownsSite(user, site)) return 'owner';
  if (creds.shareToken && (await siteForShareToken(db, creds.shareToken)) === site.domain) return 'shared';
  if (site.public) return 'public';
  return null;
}

export function ownsSite(user: Pick<User, 'id' | 'role'>, site: Pick<Site, 'owner_id'>): boolean {
  return site.owner_id === user.id || (site.owner_id === '' && user.role === 'admin');
}

/** The user behind an API key or, failing that, the session cookie. */
export async function userFromCredentials(db: Db, creds: Credentials): Promise<User | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(creds.authorization ?? '')?.[1];
  if (bearer) {
    const userId = await userIdForApiKey(db, bearer);
    const user = userId ? await cachedUser(db, userId) : null;
    if (user) return user;
  }
  const token = readCookie(creds.cookie, SESSION_COOKIE);
  if (token) {
    const claims = await verifySession(await sessionKey(db), token);
    const user = claims ? await cachedUser(db, claims.userId) : null;
    if (user && sessionVersion(user.password_hash) === claims?.version) return user;
  }
  return null;
}

export async function currentUser(req: Request): Promise<User | null> {
  const { db } = await getRuntime();
  return userFromCredentials(db, credentialsOf(req));
}

function cachedUser(db: Db, id: string): Promise<User | null> {
  return cached(`user:${id}`, () => findUserById(db, id));
}

export async function findSite(db: Db, domain: string): Promise<Site | null> {
  const sites = await cached('sites', () => listSites(db));
  return sites.find((s) => s.domain === domain.trim().toLowerCase()) ?? null;
}
