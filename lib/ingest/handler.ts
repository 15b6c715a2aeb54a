/**
 * POST /api/event: the ingest endpoint. One Web Request → Response function,
 * used by the App Router route (app/api/event/route.ts) and called directly by
 * the custom server on the hot path, so both run the same code.
 *
 * 202 only once the events are durable; 400 with a reason for bad input;
 * 413 for oversized bodies; 503 + Retry-After when Kafka/ClickHouse cannot
 * take them.
 */
import { LIMITS, parseBody } from '../event/payload';
import type { EnrichedEvent } from '../event/enriched';
import { log } from '../log';
import { metrics } from '../metrics';
import { getRuntime } from '../runtime';
import { enrich, type PipelineDeps } from './pipeline';
import { SinkUnavailableError } from './sink';
import { clientIp } from './steps/client-ip';

/** Set by the custom server from the socket; any client-sent value is overwritten. */
export const SOCKET_IP_HEADER = 'x-sightline-socket-ip';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '86400',
};

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...CORS, ...extra },
  });
}

function reject(status: number, reason: string, detail: string, count = 1): Response {
  metrics.dropped.inc({ reason }, count);
  return json(status, { error: reason, detail });
}

export function handleEventOptions(): Response {
  return new Response(null, { status: 204, headers: CORS });
}

/** Reads at most `limit` bytes; null when the body is larger. */
async function readBody(req: Request, limit: number): Promise<string | null> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function handleEvent(req: Request): Promise<Response> {
  const stopTimer = metrics.ingestLatency.startTimer();
  try {
    if (req.method === 'OPTIONS') return handleEventOptions();
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed', detail: 'use POST' }, { Allow: 'POST, OPTIONS' });

    const text = await readBody(req, LIMITS.bodyBytes);
    if (text === null) return reject(413, 'body_too_large', `body must be at most ${LIMITS.bodyBytes} bytes`);
    const parsed = parseBody(text);
    if (!parsed.ok) return reject(400, parsed.reason, parsed.detail);

    const rt = await getRuntime();
    const ctx = {
      ip: clientIp(req.headers, req.headers.get(SOCKET_IP_HEADER) ?? undefined, rt.config.TRUST_PROXY),
      userAgent: req.headers.get('user-agent') ?? '',
      now: Date.now(),
    };
    const deps: PipelineDeps = {
      siteExists: (d) => rt.sites.has(d),
      geo: rt.geo,
      salts: () => rt.salts.get(),
    };

    const events: EnrichedEvent[] = [];
    for (const payload of parsed.events) {
      const result = await enrich(payload, ctx, deps);
      if (result.ok) events.push(result.event);
      else if (result.reason === 'unknown_site') {
        return reject(400, 'unknown_site', `site ${JSON.stringify(payload.domain)} is not registered`, parsed.events.length);
      } else metrics.dropped.inc({ reason: result.reason });
    }
    // Bots get the same 202 as everyone: telling them they were filtered helps nobody.
    if (events.length === 0) return json(202, { accepted: 0, dropped: parsed.events.length });

    try {
      await rt.sink.send(events);
    } catch (err) {
      const unavailable = err instanceof SinkUnavailableError;
      log.warn({ err: unavailable ? err.cause : err }, 'events not accepted');
      metrics.dropped.inc({ reason: 'unavailable' }, events.length);
      return json(503, { error: 'unavailable', detail: 'events could not be stored; retry later' }, { 'Retry-After': '5' });
    }
    metrics.accepted.inc(events.length);
    return json(202, { accepted: events.length, dropped: parsed.events.length - events.length });
  } finally {
    stopTimer();
  }
}
