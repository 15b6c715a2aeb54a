/**
 * Live counters in scale-out mode, against a real Kafka broker
 * (scripts/kafka/broker.sh): two web nodes and a worker (workers/main.ts),
 * each its own process. The worker's live tap publishes deltas as events
 * arrive (workers/live-tap.ts); each web node consumes `sightline.live` in a
 * consumer group of its own, so both get every delta. Needs a prior
 * `npx next build`.
 */
import fs from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSubscription } from '../../lib/live/client';
import { LIVE_EVENTS, stateFromSnapshot, stateToPlain, type LiveDelta, type LiveFilter, type LiveState, type SubscribeAck } from '../../lib/live/protocol';
import { addSite, startBroker, startWeb, startWorker, waitFor, type Broker, type WebNode, type WorkerNode } from './support/processes';

const SITE = 'kafka-live.test';
const PRIVATE = 'kafka-private.test';
type Web = WebNode;


const UA = (i: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.${i} Safari/537.36`;

async function post(web: Web, domain: string, v: number, page = '/', name = 'pageview'): Promise<number> {
  const res = await fetch(`${web.url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': UA(v) },
    body: JSON.stringify({ n: name, u: `https://${domain}${page}`, d: domain }),
  });
  await res.arrayBuffer();
  return res.status;
}

const sockets: Socket[] = [];
async function connect(web: Web): Promise<Socket> {
  const s = io(web.url, { path: '/socket.io', transports: ['websocket'] });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('connect_error', reject);
  });
  return s;
}

async function watch(web: Web, domain: string, filter: LiveFilter = {}) {
  const socket = await connect(web);
  const deltas: LiveDelta[] = [];
  let state: LiveState | null = null;
  const sub = new LiveSubscription(socket, { domain, filter, onDelta: (d) => deltas.push(d), onState: (s) => (state = s) });
  await waitFor('a snapshot', () => state !== null, 60_000, 50);
  return { sub, deltas, state: () => state };
}

const events = (s: LiveState | null) => [...(s?.series.values() ?? [])].reduce((n, [, ev]) => n + ev, 0);
const pageviews = (s: LiveState | null) => [...(s?.series.values() ?? [])].reduce((n, [pv]) => n + pv, 0);

let broker: Broker;
let webA: Web;
let webB: Web;
let worker: WorkerNode;

beforeAll(async () => {
  broker = await startBroker();
  const env = { KAFKA_BROKERS: broker.brokers };
  [webA, webB] = await Promise.all([startWeb(env), startWeb(env)]);
  worker = await startWorker(env);
  for (const web of [webA, webB]) {
    await addSite(web, SITE, { public: true });
    await addSite(web, PRIVATE, { public: false });
  }
}, 300_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all([webA?.stop(), webB?.stop(), worker?.stop()]);
  await broker?.destroy();
  for (const d of [webA?.dataDir, webB?.dataDir, worker?.dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
}, 120_000);

describe('live counters, scale-out mode (real Kafka)', () => {
  it('events posted to one web node reach clients of both nodes as deltas with the right counts', async () => {
    const a = await watch(webA, SITE);
    const b = await watch(webB, SITE);
    const bFiltered = await watch(webB, SITE, { page: '/pricing' });
    const started = Date.now();
    expect(await post(webA, SITE, 1, '/')).toBe(202);
    expect(await post(webA, SITE, 2, '/pricing')).toBe(202);
    expect(await post(webB, SITE, 3, '/pricing', 'signup')).toBe(202);
    for (const c of [a, b]) await waitFor('three events on both nodes', () => events(c.state()) === 3, 20_000, 50);
    const took = Date.now() - started;
    for (const c of [a, b]) {
      const s = c.state()!;
      expect(pageviews(s)).toBe(2);
      expect(s.online).toBe(3);
      expect(Object.fromEntries(s.top.page)).toEqual({ '/': 1, '/pricing': 2 });
      expect(c.deltas.length).toBeGreaterThan(0);
    }
    await waitFor('the filtered room', () => events(bFiltered.state()) === 2, 20_000, 50);
    expect(bFiltered.state()!.online).toBe(2);
    expect(took).toBeLessThan(10_000);
    // Both nodes hold the same state.
    const plain = (s: LiveState) => ({ ...stateToPlain(s), seq: 0, room: '' });
    expect(plain(a.state()!)).toEqual(plain(b.state()!));
    for (const c of [a, b, bFiltered]) c.sub.close();
  });

  it("a late joiner's snapshot equals the early client's snapshot plus its deltas", async () => {
    const early = await watch(webB, SITE);
    for (let wave = 0; wave < 3; wave++) {
      await Promise.all(Array.from({ length: 5 }, (_, i) => post(i % 2 ? webA : webB, SITE, 20 + wave * 2 + i, `/k${i % 3}`)));
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = events(early.state());
    await waitFor('deltas', () => events(early.state()) >= before && early.deltas.length > 0, 20_000, 50);
    await new Promise((r) => setTimeout(r, 1_500)); // let the pipeline drain
    const sock = await connect(webB);
    const ack = (await sock.emitWithAck(LIVE_EVENTS.subscribe, { v: 1, domain: SITE })) as SubscribeAck;
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    await waitFor('the early client to catch up', () => early.state()!.seq >= ack.snapshot.seq, 20_000, 50);
    expect(stateToPlain(early.state()!)).toEqual(stateToPlain(stateFromSnapshot(ack.snapshot)));
    early.sub.close();
  });

  it('refuses a private site on every node', async () => {
    for (const web of [webA, webB]) {
      const sock = await connect(web);
      const ack = (await sock.emitWithAck(LIVE_EVENTS.subscribe, { v: 1, domain: PRIVATE })) as SubscribeAck;
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(ack.error).toBe('forbidden');
    }
  });
});
