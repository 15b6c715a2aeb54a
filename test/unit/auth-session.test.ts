import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  clearSessionCookie,
  isHttps,
  readCookie,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  sessionCookie,
  sessionVersion,
  signSession,
  verifySession,
} from '../../lib/auth/session';

const key = new TextEncoder().encode('k'.repeat(32));
const otherKey = new TextEncoder().encode('o'.repeat(32));

describe('session tokens', () => {
  it('round-trips the user id and password version', async () => {
    const token = await signSession(key, { userId: 'u1', version: 'v1' });
    expect(await verifySession(key, token)).toEqual({ userId: 'u1', version: 'v1' });
  });

  it('rejects a token signed with another key', async () => {
    const token = await signSession(otherKey, { userId: 'u1', version: 'v1' });
    expect(await verifySession(key, token)).toBeNull();
  });

  it('rejects a tampered token', async () => {
    const token = await signSession(key, { userId: 'u1', version: 'v1' });
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: 'admin' })).toString('base64url');
    expect(await verifySession(key, `${h}.${forged}.${s}`)).toBeNull();
    expect(await verifySession(key, 'not-a-jwt')).toBeNull();
    expect(await verifySession(key, '')).toBeNull();
  });

  it('expires after the session lifetime', async () => {
    const issued = Date.UTC(2025, 0, 1);
    const token = await signSession(key, { userId: 'u1', version: 'v1' }, issued);
    expect(await verifySession(key, token, issued + (SESSION_TTL_SECONDS - 60) * 1000)).not.toBeNull();
    expect(await verifySession(key, token, issued + (SESSION_TTL_SECONDS + 60) * 1000)).toBeNull();
  });

  it('refuses the "none" algorithm and tokens from other issuers', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"u1","sv":"v1","iss":"sightline"}').toString('base64url')}.`;
    expect(await verifySession(key, unsigned)).toBeNull();
    const foreign = await new SignJWT({ sv: 'v1' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('elsewhere').setExpirationTime('1h').sign(key);
    expect(await verifySession(key, foreign)).toBeNull();
  });

  it('changes the version when the password hash changes', () => {
    expect(sessionVersion('scrypt$a')).not.toBe(sessionVersion('scrypt$b'));
    expect(sessionVersion('scrypt$a')).toBe(sessionVersion('scrypt$a'));
  });
});

describe('session cookies', () => {
  it('is http-only, SameSite=Lax, site-wide, and Secure only over HTTPS', () => {
    const plain = sessionCookie('tok', false);
    expect(plain).toBe(`${SESSION_COOKIE}=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_SECONDS}`);
    expect(sessionCookie('tok', true)).toMatch(/; Secure$/);
    expect(clearSessionCookie(false)).toMatch(/^sightline_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; sightline_session=abc.def; b=2', SESSION_COOKIE)).toBe('abc.def');
    expect(readCookie('xsightline_session=abc', SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(null, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie('sightline_session=%E0%A4%A', SESSION_COOKIE)).toBeUndefined();
  });

  it('detects HTTPS directly or through a proxy header', () => {
    expect(isHttps(new Request('https://a.test/'))).toBe(true);
    expect(isHttps(new Request('http://a.test/', { headers: { 'x-forwarded-proto': 'https' } }))).toBe(true);
    expect(isHttps(new Request('http://a.test/'))).toBe(false);
  });
});
