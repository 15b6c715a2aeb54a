import { describe, expect, it } from 'vitest';
import { hashApiKey, looksLikeApiKey } from '../../lib/auth/api-keys';
import { newShareToken, SHARE_TOKEN_PATTERN } from '../../lib/auth/share-links';
import { credentialsOf, ownsSite } from '../../lib/auth/access';

describe('share tokens', () => {
  it('are random, URL-safe and match the accepted pattern', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newShareToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) {
      expect(t).toMatch(SHARE_TOKEN_PATTERN);
      expect(encodeURIComponent(t)).toBe(t);
    }
  });

  it('the pattern refuses short or odd tokens before any lookup', () => {
    expect(SHARE_TOKEN_PATTERN.test('short')).toBe(false);
    expect(SHARE_TOKEN_PATTERN.test("abc'def;ghi jkl mno pqr")).toBe(false);
    expect(SHARE_TOKEN_PATTERN.test('x'.repeat(65))).toBe(false);
  });

  it('are read from ?auth= or the x-sightline-share header (header first)', () => {
    expect(credentialsOf(new Request('http://s.test/api/v1/stats/aggregate?site_id=a.com&auth=tok1')).shareToken).toBe('tok1');
    expect(credentialsOf(new Request('http://s.test/x?auth=tok1', { headers: { 'x-sightline-share': 'tok2' } })).shareToken).toBe('tok2');
    expect(credentialsOf(new Request('http://s.test/x')).shareToken).toBeNull();
  });
});

describe('API keys', () => {
  it('are recognised by prefix and stored as sha256', () => {
    expect(looksLikeApiKey('sl_' + 'a'.repeat(43))).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOi.something')).toBe(false);
    expect(hashApiKey('sl_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('sl_abc')).not.toBe(hashApiKey('sl_abd'));
  });
});

describe('site ownership', () => {
  const admin = { id: 'u1', role: 'admin' as const };
  const member = { id: 'u2', role: 'member' as const };
  it('owner_id decides; an admin also owns sites without an owner', () => {
    expect(ownsSite(admin, { owner_id: 'u1' })).toBe(true);
    expect(ownsSite(member, { owner_id: 'u1' })).toBe(false);
    expect(ownsSite(admin, { owner_id: '' })).toBe(true);
    expect(ownsSite(member, { owner_id: '' })).toBe(false);
  });
});
