/**
 * Login throttling: at most `max` failed attempts per key (IP + email) in a
 * sliding window; a success clears the key. Kept in this process's memory:
 * with several web nodes each node counts on its own (so the real limit is
 * max x nodes), and a restart forgets the counts.
 */
export interface RateLimiterOptions {
  max: number;
  windowMs: number;
  now?: () => number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly opts: RateLimiterOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  retryAfter(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.opts.max) return 0;
    return recent[recent.length - this.opts.max]! + this.opts.windowMs - this.now();
  }

  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent);
    if (this.failures.size > 10_000) this.sweep();
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  /** Drops expired entries so a flood of distinct keys cannot grow memory without bound. */
  private sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
