/**
 * Per-user API keys for the Stats API and the management routes. A key is
 * `sl_` + 32 random bytes (base64url); only its sha256 is stored (a slow hash
 * adds nothing for a 256-bit random secret), and the plain key is returned
 * once, at creation.
 */
import crypto from 'node:crypto';
import { toClickHouseTime, type Db } from '../../db/client';
import { cached, invalidateAuthCache } from './cache';

const PREFIX = 'sl_';

export interface ApiKey {
  id: string;
  user_id: string;
  name: string;
  /** The first characters of the key, to recognise it in a list. */
  prefix: string;
  created_at: string;
}

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(PREFIX) && value.length > 20 && value.length < 100;
}

interface Row {
  key_hash: string;
  kid: string;
  uid: string;
  kname: string;
  kprefix: string;
  created: string;
}

const SELECT = `
  SELECT key_hash, argMax(id, updated_at) AS kid, argMax(user_id, updated_at) AS uid,
         argMax(name, updated_at) AS kname, argMax(prefix, updated_at) AS kprefix, min(created_at) AS created
  FROM api_keys GROUP BY key_hash HAVING argMax(deleted, updated_at) = false`;

const toKey = (r: Row): ApiKey => ({ id: r.kid, user_id: r.uid, name: r.kname, prefix: r.kprefix, created_at: r.created });

export async function createApiKey(db: Db, userId: string, name: string): Promise<{ key: string; apiKey: ApiKey }> {
  const key = PREFIX + crypto.randomBytes(32).toString('base64url');
  const now = toClickHouseTime(Date.now());
  const apiKey: ApiKey = { id: crypto.randomUUID(), user_id: userId, name: name.trim().slice(0, 100), prefix: key.slice(0, 10), created_at: now };
  await db.insert('api_keys', [{ key_hash: hashApiKey(key), ...apiKey, updated_at: now, deleted: false }]);
  invalidateAuthCache();
  return { key, apiKey };
}

export async function listApiKeys(db: Db, userId: string): Promise<ApiKey[]> {
  const rows = await db.query<Row>(`${SELECT} AND uid = {uid:String} ORDER BY created`, { uid: userId });
  return rows.map(toKey);
}

/** The owner of a key, or null when it is unknown or revoked. */
export async function userIdForApiKey(db: Db, key: string): Promise<string | null> {
  if (!looksLikeApiKey(key)) return null;
  const hash = hashApiKey(key);
  return cached(`key:${hash}`, async () => {
    const rows = await db.query<Row>(`${SELECT} AND key_hash = {hash:String}`, { hash });
    return rows[0]?.uid ?? null;
  });
}

/** Revokes one of the user's keys; false when the user has no such key. */
export async function revokeApiKey(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db.query<Row>(`${SELECT} AND uid = {uid:String} AND kid = {id:String}`, { uid: userId, id });
  const row = rows[0];
  if (!row) return false;
  await db.insert('api_keys', [
    { key_hash: row.key_hash, id: row.kid, user_id: row.uid, name: row.kname, prefix: row.kprefix, updated_at: toClickHouseTime(Date.now()), deleted: true },
  ]);
  invalidateAuthCache();
  return true;
}
