import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../lib/auth/rate-limit';

function limiter() {
  let now = 1_000_000;
  const l = new FailureLimiter({ max: 5, windowMs: 15 * 60_000, now: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

describe('login failure limiter', () => {
  it('allows five failures, then blocks until the oldest leaves the window', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 5; i++) {
      expect(l.retryAfter('ip|a@x')).toBe(0);
      l.fail('ip|a@x');
      advance(60_000);
    }
    // Failures at t=0..4 min; now t=5 min: the first expires at t=15 min.
    expect(l.retryAfter('ip|a@x')).toBe(10 * 60_000);
    advance(10 * 60_000 - 1);
    expect(l.retryAfter('ip|a@x')).toBe(1);
    advance(1);
    expect(l.retryAfter('ip|a@x')).toBe(0);
  });

  it('counts keys separately', () => {
    const { l } = limiter();
    for (let i = 0; i < 5; i++) l.fail('ip1|a@x');
    expect(l.retryAfter('ip1|a@x')).toBeGreaterThan(0);
    expect(l.retryAfter('ip2|a@x')).toBe(0);
    expect(l.retryAfter('ip1|b@x')).toBe(0);
  });

  it('forgets a key after a success', () => {
    const { l } = limiter();
    for (let i = 0; i < 4; i++) l.fail('k');
    l.succeed('k');
    for (let i = 0; i < 4; i++) l.fail('k');
    expect(l.retryAfter('k')).toBe(0);
  });

  it('keeps memory bounded under many distinct keys', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 10_000; i++) l.fail(`k${i}`);
    advance(16 * 60_000);
    l.fail('trigger-sweep');
    expect((l as unknown as { failures: Map<string, number[]> }).failures.size).toBe(1);
  });
});
