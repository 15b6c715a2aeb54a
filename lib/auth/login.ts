/**
 * Signing in: password check behind the failure limiter (5 failures per
 * 15 minutes per IP + email, in this process's memory), and the session
 * cookie that follows a success.
 */
import type { Db } from '../../db/client';
import { findUserByEmail, type User } from '../../db/users';
import { processGlobal } from '../process-global';
import { verifyDecoy, verifyPassword } from './password';
import { FailureLimiter } from './rate-limit';
import { sessionKey } from './secret';
import { isHttps, sessionCookie, sessionVersion, signSession } from './session';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

const limiter = processGlobal('login-limiter', () => new FailureLimiter({ max: LOGIN_MAX_FAILURES, windowMs: LOGIN_WINDOW_MS }));

export type LoginResult = { ok: true; user: User } | { ok: false; retryAfterMs: number };

export async function authenticate(db: Db, email: string, password: string, ip: string): Promise<LoginResult> {
  const key = `${ip}|${email.trim().toLowerCase()}`;
  const wait = limiter.retryAfter(key);
  if (wait > 0) return { ok: false, retryAfterMs: wait };
  const user = await findUserByEmail(db, email);
  const valid = user ? await verifyPassword(password, user.password_hash) : await verifyDecoy(password);
  if (!user || !valid) {
    limiter.fail(key);
    return { ok: false, retryAfterMs: 0 };
  }
  limiter.succeed(key);
  return { ok: true, user };
}

/** The Set-Cookie value that signs this user in. */
export async function sessionCookieFor(db: Db, user: User, req: Request): Promise<string> {
  const token = await signSession(await sessionKey(db), { userId: user.id, version: sessionVersion(user.password_hash) });
  return sessionCookie(token, isHttps(req));
}
