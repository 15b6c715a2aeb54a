/** The `salts` table behind the SaltStore (lib/ingest/steps/salts.ts). */
import type { SaltStorage } from '../lib/ingest/steps/salts';
import { toClickHouseTime, type Db } from './client';

export function saltStorage(db: Db): SaltStorage {
  return {
    load: (days) =>
      db.query<{ day: string; salt: string; created_at: string }>(
        `SELECT day, salt, created_at FROM salts WHERE day IN {days:Array(Date)}`,
        { days },
      ),
    propose: (day, salt) => db.insert('salts', [{ day, salt, created_at: toClickHouseTime(Date.now()) }]),
  };
}
