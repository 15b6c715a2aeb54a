import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyDecoy, verifyPassword } from '../../lib/auth/password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('normalises Unicode, so the same password typed differently still matches', async () => {
    const hash = await hashPassword('caf\u00e9-password');
    expect(await verifyPassword('cafe\u0301-password', hash)).toBe(true);
  });

  it('rejects malformed or tampered hashes without throwing', async () => {
    const hash = await hashPassword('password123');
    const parts = hash.split('$');
    expect(await verifyPassword('password123', 'plain')).toBe(false);
    expect(await verifyPassword('password123', `bcrypt$${parts.slice(1).join('$')}`)).toBe(false);
    expect(await verifyPassword('password123', [...parts.slice(0, 5), 'AAAA'].join('$'))).toBe(false);
    expect(await verifyPassword('password123', ['scrypt', String(1 << 22), ...parts.slice(2)].join('$'))).toBe(false);
    const otherSalt = [...parts.slice(0, 4), 'AAAAAAAAAAAAAAAAAAAAAA', parts[5]].join('$');
    expect(await verifyPassword('password123', otherSalt)).toBe(false);
  });

  it('spends a verification on unknown accounts and never succeeds', async () => {
    expect(await verifyDecoy('anything')).toBe(false);
  });

  it('enforces length limits', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem('long enough')).toBeNull();
  });
});
