/**
 * POST /api/event: the ingest endpoint.
 *
 * `ingest` is the endpoint itself, independent of the HTTP object model; two
 * thin adapters call it: `handleEvent` (Web Request → Response) for the App
 * Router route, and `handleNodeEvent` (node:http) for the custom server's hot
 * path, which skips constructing Web Requests, Responses and body streams —
 * together they cost more than the rest of ingest.
 *
 * 202 only once the events are durable; 400 with a reason for bad input;
 * 413 for oversized bodies; 503 + Retry-After when Kafka/ClickHouse cannot
 * take them.
 */
import type http from 'node:http';
import { LIMITS, parseBody } from '../event/payload';
import type { EnrichedEvent } from '../event/enriched';
import { log } from '../log';
import { metrics } from '../metrics';
import { getRuntime } from '../runtime';
import { enrichAll, type PipelineDeps } from './pipeline';
import { SinkUnavailableError } from './sink';
import { clientIp } from './steps/client-ip';

/** Set by the custom server from the socket; any client-sent value is overwritten. */
export const SOCKET_IP_HEADER = 'x-sightline-socket-ip';

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '86400',
};

export interface IngestRequest {
  method: string;
  header(name: string): string | undefined;
  /** The body, or null when it is larger than LIMITS.bodyBytes. */
  body: string | null;
}

export interface IngestResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): IngestResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...CORS, ...extra }, body: JSON.stringify(body) };
}

function reject(status: number, reason: string, detail: string, count = 1): IngestResponse {
  metrics.dropped.inc({ reason }, count);
  return json(status, { error: reason, detail });
}

export async function ingest(req: IngestRequest): Promise<IngestResponse> {
  const stopTimer = metrics.ingestLatency.startTimer();
  try {
    if (req.method === 'OPTIONS') return { status: 204, headers: CORS, body: null };
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed', detail: 'use POST' }, { Allow: 'POST, OPTIONS' });
    if (req.body === null) return reject(413, 'body_too_large', `body must be at most ${LIMITS.bodyBytes} bytes`);
    const parsed = parseBody(req.body);
    if (!parsed.ok) return reject(400, parsed.reason, parsed.detail);

    const rt = await getRuntime();
    const ctx = {
      ip: clientIp((name) => req.header(name), req.header(SOCKET_IP_HEADER), rt.config.TRUST_PROXY),
      userAgent: req.header('user-agent') ?? '',
      now: Date.now(),
    };
    const deps: PipelineDeps = {
      siteExists: (d) => rt.sites.has(d),
      geo: rt.geo,
      salts: () => rt.salts.get(),
    };

    const events: EnrichedEvent[] = [];
    const results = await enrichAll(parsed.events, ctx, deps);
    for (const [i, result] of results.entries()) {
      if (result.ok) events.push(result.event);
      else if (result.reason === 'unknown_site') {
        return reject(400, 'unknown_site', `site ${JSON.stringify(parsed.events[i]!.domain)} is not registered`, parsed.events.length);
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

/** Reads at most `limit` bytes of a Web body; null when it is larger. */
async function readWebBody(req: Request, limit: number): Promise<string | null> {
  if (Number(req.headers.get('content-length') ?? '0') > limit) return null;
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

/** Web adapter, for the App Router route. */
export async function handleEvent(req: Request): Promise<Response> {
  const body = req.method === 'POST' ? await readWebBody(req, LIMITS.bodyBytes) : '';
  const res = await ingest({ method: req.method, header: (n) => req.headers.get(n) ?? undefined, body });
  return new Response(res.body, { status: res.status, headers: res.headers });
}

export function handleEventOptions(): Response {
  return new Response(null, { status: 204, headers: CORS });
}

/** Reads at most `limit` bytes of a Node request; null when it is larger. */
async function readNodeBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? '0') > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** node:http adapter, for the custom server's hot path. */
export async function handleNodeEvent(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = req.method === 'POST' ? await readNodeBody(req, LIMITS.bodyBytes) : '';
  const socketIp = req.socket.remoteAddress ?? '';
  const header = (name: string): string | undefined => {
    if (name === SOCKET_IP_HEADER) return socketIp;
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const out = await ingest({ method: req.method ?? 'GET', header, body });
  // An oversized body was not read to the end: close rather than drain it.
  if (body === null) out.headers.Connection = 'close';
  res.writeHead(out.status, out.headers);
  res.end(out.body ?? undefined);
}
