/**
 * The key that signs session cookies. `SESSION_SECRET` (at least 32
 * characters) when set; otherwise a random key generated on first use and
 * stored in the `auth_secrets` table, so every web node sharing the database
 * signs and verifies with the same key. Rotating it logs everyone out.
 */
import crypto from 'node:crypto';
import { toClickHouseTime, type Db } from '../../db/client';
import { processGlobal } from '../process-global';

const holder = processGlobal<{ key: Promise<Uint8Array> | null }>('session-key', () => ({ key: null }));

export function sessionKey(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
  holder.key ??= loadKey(db, env).catch((err: unknown) => {
    holder.key = null;
    throw err;
  });
  return holder.key;
}

/** For tests that switch databases within one process. */
export function forgetSessionKey(): void {
  holder.key = null;
}

async function loadKey(db: Db, env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  const fromEnv = env.SESSION_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
    return new TextEncoder().encode(fromEnv);
  }
  const stored = await earliest(db);
  if (stored) return Buffer.from(stored, 'base64url');
  // Several nodes may get here at once; all of them then read the earliest row.
  await db.insert('auth_secrets', [
    { name: 'session', value: crypto.randomBytes(32).toString('base64url'), created_at: toClickHouseTime(Date.now()) },
  ]);
  const chosen = await earliest(db);
  if (!chosen) throw new Error('could not store the session secret');
  return Buffer.from(chosen, 'base64url');
}

async function earliest(db: Db): Promise<string | null> {
  const rows = await db.query<{ v: string }>(
    `SELECT value AS v FROM auth_secrets WHERE name = 'session' ORDER BY created_at, value LIMIT 1`,
  );
  return rows[0]?.v ?? null;
}
