/**
 * A short-lived, process-wide memo for the lookups every authorised request
 * makes (sites, users, API keys, share links). Writes on this node call
 * `invalidateAuthCache()`; writes on another node are seen after TTL_MS, so a
 * revoked share link or key stops working everywhere within a few seconds.
 */
import { processGlobal } from '../process-global';

const TTL_MS = 3_000;
const MAX_ENTRIES = 5_000;

interface Entry {
  at: number;
  value: Promise<unknown>;
}

const cache = processGlobal<Map<string, Entry>>('auth-cache', () => new Map());

export async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const value = load();
  cache.set(key, { at: now, value });
  value.catch(() => cache.delete(key));
  return value;
}

export function invalidateAuthCache(): void {
  cache.clear();
}
