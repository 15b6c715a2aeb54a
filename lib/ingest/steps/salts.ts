/**
 * Daily salts for cookieless visitor ids. Each UTC day has one random salt,
 * kept in ClickHouse so every web node agrees; the previous day's salt is
 * kept too so a visit is not split at midnight. Salts never leave the server
 * and are dropped after two days (table TTL), so old ids cannot be recomputed.
 */
import crypto from 'node:crypto';

export interface SaltStorage {
  /** Every stored proposal for these days. */
  load(days: string[]): Promise<{ day: string; salt: string; created_at: string }[]>;
  propose(day: string, salt: string): Promise<void>;
}

export interface Salts {
  current: Buffer;
  previous: Buffer;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** The earliest proposal wins, so nodes that raced converge on the same salt. */
function pick(rows: { day: string; salt: string; created_at: string }[], day: string): string | undefined {
  return rows
    .filter((r) => r.day === day)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.salt.localeCompare(b.salt))[0]?.salt;
}

export class SaltStore {
  private cache: { day: string; salts: Salts; loadedAt: number } | null = null;
  private loading: Promise<Salts> | null = null;

  constructor(
    private readonly storage: SaltStorage,
    private readonly now: () => number = Date.now,
    /** Re-read so nodes converge if two proposed at once. */
    private readonly refreshMs = 60_000,
  ) {}

  async get(): Promise<Salts> {
    const t = this.now();
    const day = utcDay(t);
    if (this.cache && this.cache.day === day && t - this.cache.loadedAt < this.refreshMs) return this.cache.salts;
    this.loading ??= this.load(day).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(day: string): Promise<Salts> {
    const prevDay = utcDay(Date.parse(day) - DAY_MS);
    const nextDay = utcDay(Date.parse(day) + DAY_MS);
    let rows = await this.storage.load([prevDay, day, nextDay]);
    // Today's salt must exist; tomorrow's is proposed ahead of time so the
    // race between nodes never happens at midnight.
    let proposed = false;
    for (const d of [day, nextDay]) {
      if (!pick(rows, d)) {
        await this.storage.propose(d, crypto.randomBytes(32).toString('base64'));
        proposed = true;
      }
    }
    if (proposed) rows = await this.storage.load([prevDay, day, nextDay]);
    const current = pick(rows, day);
    if (!current) throw new Error(`no salt for ${day}`);
    const previous = pick(rows, prevDay) ?? current;
    const salts = { current: Buffer.from(current, 'base64'), previous: Buffer.from(previous, 'base64') };
    this.cache = { day, salts, loadedAt: this.now() };
    return salts;
  }
}

/** Keyed hash of (site, IP, user agent) → UInt64 as a decimal string. */
export function visitorId(salt: Buffer, site: string, ip: string, userAgent: string): string {
  const h = crypto.createHmac('sha256', salt).update(site).update('\0').update(ip).update('\0').update(userAgent).digest();
  return h.readBigUInt64BE(0).toString();
}
