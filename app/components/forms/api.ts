/** JSON calls from the management forms to our own routes; errors carry the server's explanation. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export async function callApi<T>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => null)) as (T & { detail?: string; error?: string }) | null;
    if (res.ok) return { ok: true, data: data as T };
    const message =
      data?.error === 'unauthorized' ? 'Your session has ended. Sign in again.' : (data?.detail ?? data?.error ?? `The server answered ${res.status}.`);
    return { ok: false, status: res.status, message: message.charAt(0).toUpperCase() + message.slice(1) };
  } catch {
    return { ok: false, status: 0, message: 'Could not reach the server. Check your connection and try again.' };
  }
}
