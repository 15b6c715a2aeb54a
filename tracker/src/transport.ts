/**
 * Sends one JSON body to the ingest endpoint. A string body goes out as
 * text/plain;charset=UTF-8, a CORS-safelisted type, so there is never a
 * preflight. sendBeacon survives page unloads; fetch with keepalive is the
 * fallback, retried once after RETRY_MS on a network error or a 5xx
 * (the server answers 503 when it cannot accept).
 */
export const RETRY_MS = 1500;

export function post(api: string | URL, body: string, attempt = 0): void {
  const retry = () => attempt || setTimeout(post, RETRY_MS, api, body, 1);
  (attempt || !navigator.sendBeacon?.(api, body)) &&
    fetch(api, { method: 'POST', body, keepalive: true }).then((r) => r.status < 500 || retry(), retry);
}
