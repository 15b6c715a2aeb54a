import { describe, expect, it } from 'vitest';
import { SaltStore, utcDay, visitorId, type SaltStorage } from '../../lib/ingest/steps/salts';

/** In-memory stand-in for the salts table. */
function memoryStorage() {
  const rows: { day: string; salt: string; created_at: string }[] = [];
  let clock = 0;
  const storage: SaltStorage = {
    load: async (days) => rows.filter((r) => days.includes(r.day)),
    propose: async (day, salt) => void rows.push({ day, salt, created_at: String(++clock).padStart(6, '0') }),
  };
  return { rows, storage };
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-10T23:59:00Z');

describe('salts', () => {
  it('creates today and tomorrow once, keeps yesterday for continuity', async () => {
    const { rows, storage } = memoryStorage();
    let now = T0;
    const store = new SaltStore(storage, () => now);
    const day1 = await store.get();
    expect(rows.map((r) => r.day)).toEqual(['2026-03-10', '2026-03-11']);
    now = T0 + 2 * 60_000; // past midnight
    const day2 = await store.get();
    expect(day2.previous.equals(day1.current)).toBe(true);
    expect(day2.current.equals(day1.current)).toBe(false);
    expect(rows.map((r) => r.day)).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
  });

  it('lets racing nodes converge on the earliest proposal', async () => {
    const { storage } = memoryStorage();
    await storage.propose('2026-03-10', Buffer.from('first').toString('base64'));
    await storage.propose('2026-03-10', Buffer.from('second').toString('base64'));
    const salts = await new SaltStore(storage, () => T0).get();
    expect(salts.current.toString()).toBe('first');
  });

  it('gives a stable id per site, IP and browser, different across sites and salts', () => {
    const salt = Buffer.from('s1');
    const a = visitorId(salt, 'a.test', '1.2.3.4', 'UA');
    expect(visitorId(salt, 'a.test', '1.2.3.4', 'UA')).toBe(a);
    expect(visitorId(salt, 'b.test', '1.2.3.4', 'UA')).not.toBe(a);
    expect(visitorId(Buffer.from('s2'), 'a.test', '1.2.3.4', 'UA')).not.toBe(a);
    expect(a).toMatch(/^\d+$/);
    expect(utcDay(T0 + DAY)).toBe('2026-03-11');
  });
});
