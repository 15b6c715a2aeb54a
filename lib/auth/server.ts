/**
 * Access checks for server components (pages), which see the request only
 * through next/headers. Same rules as siteAccess(); pages redirect or 404
 * on their own.
 */
import { headers } from 'next/headers';
import { countUsers, type User } from '../../db/users';
import { getRuntime } from '../runtime';
import { resolveAccess, SHARE_HEADER, userFromCredentials, type Access } from './access';

export async function pageUser(): Promise<User | null> {
  const h = await headers();
  const { db } = await getRuntime();
  return userFromCredentials(db, { cookie: h.get('cookie') });
}

export async function pageSiteAccess(domain: string, shareToken?: string): Promise<Access | null> {
  const h = await headers();
  const { db } = await getRuntime();
  return resolveAccess(db, { cookie: h.get('cookie'), shareToken: shareToken ?? h.get(SHARE_HEADER) }, domain);
}

export async function setupNeeded(): Promise<boolean> {
  const { db } = await getRuntime();
  return (await countUsers(db)) === 0;
}

/** The origin browsers use to reach this server (for the snippet). */
export async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  return `${proto}://${host}`;
}

/** A same-site path to return to after signing in; anything else becomes /sites. */
export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/sites';
}
