/**
 * Fetches the Stats API from the browser. The session cookie goes along by
 * itself; a share-link viewer's token is sent as `auth=`. Errors become a
 * StatsError whose message says what the reader can do about it.
 */

export type Endpoint = 'aggregate' | 'timeseries' | 'breakdown' | 'realtime/visitors' | 'dashboard';

export class StatsError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function statsUrl(endpoint: Endpoint, params: Record<string, string | undefined>, shareToken?: string): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
  if (shareToken) search.set('auth', shareToken);
  return `/api/v1/stats/${endpoint}?${search.toString()}`;
}

function explain(status: number, body: { error?: string; detail?: string } | null): string {
  const detail = body?.detail ?? body?.error;
  if (status === 401) return 'Your session has ended or this link is no longer valid. Sign in again, or ask the owner for a new link.';
  if (status === 403 || status === 404) return 'This site does not exist or you no longer have access to it.';
  if (status === 400) return `The dashboard asked for something the server refused${detail ? `: ${detail}` : ''}. Remove the last filter or pick another period.`;
  if (status === 429) return 'Too many requests right now. Wait a few seconds, then retry.';
  return `The statistics service did not answer (${status}${detail ? `: ${detail}` : ''}). Retry in a moment; if it persists, check the server logs.`;
}

export async function fetchStats<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { signal, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new StatsError('Could not reach the server. Check your connection, then retry.', 0);
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) throw new StatsError(explain(res.status, body as { error?: string } | null), res.status);
  return body as T;
}
