/**
 * Live counters in embedded mode: the real server (Next + ingest + chdb +
 * socket.io) in this process, events posted over HTTP, socket.io clients.
 * Needs a prior `npx next build`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSubscription, type LiveStatus } from '../../lib/live/client';
import { waitFor } from './support/processes';
import { LIVE_EVENTS, stateFromSnapshot, stateToPlain, type LiveDelta, type LiveFilter, type LiveState, type SubscribeAck } from '../../lib/live/protocol';

const SITE = 'live.test';
const PRIVATE = 'private-live.test';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-live-'));
let url: string;
let close: () => Promise<void>;
const sockets: Socket[] = [];

const UA = (i: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.${i} Safari/537.36`;

/** Posts one event; visitor `v` is told apart by its user agent (same IP). */
async function post(domain: string, v: number, page = '/', name = 'pageview'): Promise<number> {
  const res = await fetch(`${url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': UA(v) },
    body: JSON.stringify({ n: name, u: `https://${domain}${page}`, d: domain }),
  });
  await res.arrayBuffer();
  return res.status;
}

function connect(): Promise<Socket> {
  const s = io(url, { path: '/socket.io', transports: ['websocket'], reconnection: true, reconnectionDelay: 100 });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** A live client: state, status and every delta it got. */
async function watch(domain: string, filter: LiveFilter = {}) {
  const socket = await connect();
  const deltas: LiveDelta[] = [];
  const statuses: LiveStatus[] = [];
  const snapshots: number[] = [];
  let state: LiveState | null = null;
  const sub = new LiveSubscription(socket, {
    domain,
    filter,
    onDelta: (d) => deltas.push(d),
    onState: (s, st) => {
      if (st === 'live' && statuses[statuses.length - 1] !== 'live') snapshots.push(Date.now());
      state = s;
      statuses.push(st);
    },
  });
  await waitFor('a snapshot or an error', () => state !== null || typeof statuses[statuses.length - 1] === 'object', 10_000, 20);
  return { socket, sub, deltas, statuses, snapshots, state: () => state };
}


const pageviews = (s: LiveState | null) => [...(s?.series.values() ?? [])].reduce((n, [pv]) => n + pv, 0);
const events = (s: LiveState | null) => [...(s?.series.values() ?? [])].reduce((n, [, ev]) => n + ev, 0);

beforeAll(async () => {
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL ??= 'warn';
  delete process.env.KAFKA_BROKERS;
  delete process.env.CLICKHOUSE_URL;
  const { startServer } = await import('../../server');
  const { getRuntime } = await import('../../lib/runtime');
  const { upsertSite } = await import('../../db/sites');
  const server = await startServer({ port: 0, host: '127.0.0.1', dev: false });
  url = server.url;
  close = server.close;
  const rt = await getRuntime();
  await upsertSite(rt.db, { domain: SITE, public: true });
  await upsertSite(rt.db, { domain: PRIVATE, public: false });
  await rt.sites.reload();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await close?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('live counters, embedded mode', () => {
  it('events posted over HTTP reach a subscribed client as a delta with the right counts', async () => {
    const c = await watch(SITE);
    expect(c.state()!.online).toBe(0);
    const posted = Date.now();
    expect(await post(SITE, 1, '/')).toBe(202);
    expect(await post(SITE, 2, '/pricing')).toBe(202);
    expect(await post(SITE, 1, '/pricing', 'signup')).toBe(202);
    await waitFor('deltas with 2 pageviews and 3 events', () => pageviews(c.state()) === 2 && events(c.state()) === 3, 10_000, 20);
    const s = c.state()!;
    expect(s.online).toBe(2);
    expect(Object.fromEntries(s.top.page)).toEqual({ '/pricing': 2 });
    expect(s.feed.map((f) => `${f.name} ${f.page}`)).toEqual(['signup /pricing', 'pageview /pricing', 'pageview /']);
    // Arrived as deltas (not a new snapshot), in order, soon after the 202s.
    expect(c.snapshots).toHaveLength(1);
    expect(c.deltas.length).toBeGreaterThanOrEqual(1);
    expect(c.deltas.map((d) => d.seq)).toEqual(c.deltas.map((_, i) => c.deltas[0]!.seq + i));
    expect(c.deltas.reduce((n, d) => n + d.online, 0)).toBe(2);
    expect(Date.now() - posted).toBeLessThan(5_000);
    c.sub.close();
  });

  it('applies the filter to every part of the state', async () => {
    const c = await watch(SITE, { page: '/docs' });
    const before = c.state()!;
    await post(SITE, 10, '/docs');
    await post(SITE, 11, '/other');
    await post(SITE, 10, '/docs', 'copy');
    await waitFor('two matching events', () => events(c.state()) - events(before) === 2, 10_000, 20);
    await new Promise((r) => setTimeout(r, 400)); // the non-matching one must not show up late
    const s = c.state()!;
    expect(s.online).toBe(1);
    expect(pageviews(s) - pageviews(before)).toBe(1);
    expect([...s.top.page.keys()]).toEqual(['/docs']);
    expect(s.feed.every((f) => f.page === '/docs')).toBe(true);
    c.sub.close();
  });

  it("a late joiner's snapshot equals an early client's snapshot plus the deltas it received", async () => {
    const early = await watch(SITE);
    const earlyFiltered = await watch(SITE, { name: 'signup' });
    for (let wave = 0; wave < 4; wave++) {
      await Promise.all(Array.from({ length: 6 }, (_, i) => post(SITE, 100 + wave * 3 + (i % 4), `/w${i % 3}`, i % 2 ? 'signup' : 'pageview')));
      await new Promise((r) => setTimeout(r, 150));
    }
    for (const [client, filter] of [[early, {}], [earlyFiltered, { name: 'signup' }]] as const) {
      const sock = await connect();
      const ack = (await sock.emitWithAck(LIVE_EVENTS.subscribe, { v: 1, domain: SITE, filter })) as SubscribeAck;
      expect(ack.ok).toBe(true);
      if (!ack.ok) return;
      // The early client gets every delta up to the snapshot's seq (sent before the snapshot was taken).
      await waitFor('the early client to catch up', () => client.state()!.seq >= ack.snapshot.seq, 10_000, 20);
      expect(client.state()!.seq).toBe(ack.snapshot.seq);
      expect(client.deltas.length).toBeGreaterThan(0);
      expect(stateToPlain(client.state()!)).toEqual(stateToPlain(stateFromSnapshot(ack.snapshot)));
      sock.close();
    }
    early.sub.close();
    earlyFiltered.sub.close();
  });

  it('a client that reconnects gets a fresh snapshot with what it missed', async () => {
    const c = await watch(SITE, { page: '/reconnect' });
    expect(c.state()!.online).toBe(0);
    c.socket.io.engine.close(); // drop the transport: socket.io reconnects by itself
    await waitFor('the disconnect', () => c.statuses.includes('reconnecting'), 10_000, 20);
    await post(SITE, 200, '/reconnect');
    await post(SITE, 201, '/reconnect');
    await waitFor('a fresh snapshot after reconnecting', () => c.snapshots.length === 2 && c.state()?.online === 2, 10_000, 20);
    c.sub.close();
  });

  it('switching filters quickly ends in the last room asked for', async () => {
    const sock = await connect();
    const got: LiveDelta[] = [];
    sock.on(LIVE_EVENTS.delta, (d: LiveDelta) => got.push(d));
    const acks = (await Promise.all(
      ['/a', '/b', '/c'].map((page) => sock.emitWithAck(LIVE_EVENTS.subscribe, { v: 1, domain: SITE, filter: { page } })),
    )) as SubscribeAck[];
    const last = acks[2]!;
    expect(last.ok).toBe(true);
    for (const a of acks.slice(0, 2)) if (!a.ok) expect(a.detail).toMatch(/superseded/);
    await post(SITE, 400, '/a');
    await post(SITE, 401, '/c');
    await waitFor('a delta', () => got.length > 0, 10_000, 20);
    await new Promise((r) => setTimeout(r, 400));
    expect(new Set(got.map((d) => d.room))).toEqual(new Set([`${SITE}?page=%2Fc`]));
    sock.close();
  });

  it('does not let a client join a private or unknown site, nor leak its deltas', async () => {
    const sock = await connect();
    const got: LiveDelta[] = [];
    sock.on(LIVE_EVENTS.delta, (d: LiveDelta) => got.push(d));
    for (const domain of [PRIVATE, 'unknown-site.test']) {
      const ack = (await sock.emitWithAck(LIVE_EVENTS.subscribe, { v: 1, domain })) as SubscribeAck;
      expect(ack).toEqual({ ok: false, error: 'forbidden', detail: expect.any(String) });
    }
    expect(await post(PRIVATE, 300, '/secret')).toBe(202);
    // Someone allowed is watching the public site at the same time: this socket gets nothing of either.
    const other = await watch(SITE);
    await post(SITE, 301, '/');
    await waitFor('the public delta', () => other.deltas.length > 0, 10_000, 20);
    await new Promise((r) => setTimeout(r, 400));
    expect(got).toEqual([]);
    // Malformed requests are refused too.
    const bad = (await sock.emitWithAck(LIVE_EVENTS.subscribe, { domain: SITE, filter: { page: 1 } })) as SubscribeAck;
    expect(bad.ok).toBe(false);
    other.sub.close();
  });

  it('serves the live page', async () => {
    const res = await fetch(`${url}/sites/${SITE}/live`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-testid="live-online"');
    expect((await fetch(`${url}/sites/${PRIVATE}/live`)).status).toBe(404);
  });
});
