/**
 * Session cookies: a jose-signed JWT (HS256) carrying the user id and a
 * fingerprint of the password hash, so changing a password ends every other
 * session. The cookie is http-only, SameSite=Lax, Secure over HTTPS.
 */
import crypto from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

export const SESSION_COOKIE = 'sightline_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;
const ISSUER = 'sightline';

export interface SessionClaims {
  userId: string;
  /** sessionVersion(password hash) at login. */
  version: string;
}

export function sessionVersion(passwordHash: string): string {
  return crypto.createHash('sha256').update(passwordHash).digest('base64url').slice(0, 12);
}

export async function signSession(key: Uint8Array, claims: SessionClaims, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ sv: claims.version })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .sign(key);
}

export async function verifySession(key: Uint8Array, token: string, now = Date.now()): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      currentDate: new Date(now),
    });
    if (typeof payload.sub !== 'string' || typeof payload.sv !== 'string') return null;
    return { userId: payload.sub, version: payload.sv };
  } catch {
    return null;
  }
}

/** The value of one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Whether the browser reached us over HTTPS (directly or through a proxy that says so). */
export function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

export function sessionCookie(token: string, secure: boolean): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${SESSION_TTL_SECONDS}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}
