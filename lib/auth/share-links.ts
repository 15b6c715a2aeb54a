/**
 * Read-only share links: a random token bound to one site, valid until
 * revoked. Holders see that site's dashboard and Stats API, nothing else.
 * Tokens are stored in clear so the owner can copy the link again; they only
 * grant read access to one site's aggregated statistics.
 */
import crypto from 'node:crypto';
import { toClickHouseTime, type Db } from '../../db/client';
import { cached, invalidateAuthCache } from './cache';

export interface ShareLink {
  id: string;
  token: string;
  site_id: string;
  created_at: string;
}

export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,64}$/;

export function newShareToken(): string {
  return crypto.randomBytes(18).toString('base64url');
}

interface Row {
  token: string;
  lid: string;
  site: string;
  creator: string;
  created: string;
}

const SELECT = `
  SELECT token, argMax(id, updated_at) AS lid, argMax(site_id, updated_at) AS site,
         argMax(created_by, updated_at) AS creator, min(created_at) AS created
  FROM share_links GROUP BY token HAVING argMax(deleted, updated_at) = false`;

const toLink = (r: Row): ShareLink => ({ id: r.lid, token: r.token, site_id: r.site, created_at: r.created });

export async function createShareLink(db: Db, domain: string, userId: string): Promise<ShareLink> {
  const now = toClickHouseTime(Date.now());
  const link: ShareLink = { id: crypto.randomUUID(), token: newShareToken(), site_id: domain, created_at: now };
  await db.insert('share_links', [{ ...link, created_by: userId, updated_at: now, deleted: false }]);
  invalidateAuthCache();
  return link;
}

export async function listShareLinks(db: Db, domain: string): Promise<ShareLink[]> {
  return (await db.query<Row>(`${SELECT} AND site = {domain:String} ORDER BY created`, { domain })).map(toLink);
}

/** The site a token opens, or null when the token is unknown or revoked. */
export async function siteForShareToken(db: Db, token: string): Promise<string | null> {
  if (!SHARE_TOKEN_PATTERN.test(token)) return null;
  return cached(`share:${token}`, async () => {
    const rows = await db.query<Row>(`${SELECT} AND token = {token:String}`, { token });
    return rows[0]?.site ?? null;
  });
}

/** Revokes one of the site's links; false when the site has no such link. */
export async function revokeShareLink(db: Db, domain: string, id: string): Promise<boolean> {
  const link = (await listShareLinks(db, domain)).find((l) => l.id === id);
  if (!link) return false;
  await db.insert('share_links', [{ ...link, created_by: '', updated_at: toClickHouseTime(Date.now()), deleted: true }]);
  invalidateAuthCache();
  return true;
}

/** Revokes every link of a site (when the site is deleted). */
export async function revokeAllShareLinks(db: Db, domain: string): Promise<void> {
  const links = await listShareLinks(db, domain);
  if (links.length === 0) return;
  const now = toClickHouseTime(Date.now());
  await db.insert('share_links', links.map((l) => ({ ...l, created_by: '', updated_at: now, deleted: true })));
  invalidateAuthCache();
}
