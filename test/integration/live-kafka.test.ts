/**
 * Live counters in scale-out mode, against a real Kafka broker
 * (scripts/kafka/broker.sh): two web nodes and a worker, each its own
 * process. The worker stores events and publishes live messages
 * (lib/live/kafka.ts) the way workers/main.ts is meant to wire it:
 *   store.onStored((rows) => livePublisher.publish(rows)).
 * Each web node consumes `sightline.live` in a consumer group of its own, so
 * both get every delta. Needs a prior `npx next build`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSubscription } from '../../lib/live/client';
import { LIVE_EVENTS, stateFromSnapshot, stateToPlain, type LiveDelta, type LiveFilter, type LiveState, type SubscribeAck } from '../../lib/live/protocol';

const ROOT = path.resolve(__dirname, '../..');
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const BROKER_SH = path.join(ROOT, 'scripts', 'kafka', 'broker.sh');
const run = promisify(execFile);
const SITE = 'kafka-live.test';
const PRIVATE = 'kafka-private.test';
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), `sightline-live-${p}-`));

interface Proc {
  child: ChildProcess;
  out: () => string;
  stop(): Promise<void>;
}

function spawnTsx(entry: string, env: Record<string, string>): Proc {
  let out = '';
  const child = spawn(process.execPath, [TSX_CLI, entry], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    out: () => out,
    stop: () =>
      child.exitCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => (clearTimeout(kill), resolve()));
            child.kill('SIGTERM');
          }),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Web extends Proc {
  url: string;
  dataDir: string;
}

async function startWeb(brokers: string): Promise<Web> {
  const port = await freePort();
  const dataDir = tmp('web');
  const p = spawnTsx('server.ts', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, KAFKA_BROKERS: brokers });
  const url = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (p.child.exitCode !== null) throw new Error(p.out());
    return (await fetch(`${url}/api/health`)).ok;
  }, `web node ${url}`, 120_000).catch(async (err) => {
    await p.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${String(err)}\n${p.out()}`);
  });
  return { ...p, url, dataDir };
}

/** The worker, wired as proposed for workers/main.ts. */
function startWorker(brokers: string): Proc & { dataDir: string } {
  const dataDir = tmp('worker');
  const entry = path.join(dataDir, 'worker.mts'); // ESM (top-level await) outside the repo's package.json
  const abs = (p: string) => JSON.stringify(path.join(ROOT, p));
  fs.writeFileSync(
    entry,
    `import { openDb } from ${abs('db/client.ts')};
import { migrate } from ${abs('db/migrate.ts')};
import { loadConfig } from ${abs('lib/config.ts')};
import { startLivePublisher } from ${abs('lib/live/kafka.ts')};
import { startConsumer } from ${abs('workers/consumer.ts')};
import { EventStore } from ${abs('workers/store.ts')};
const config = loadConfig();
const db = await openDb(config);
await migrate(db);
const store = new EventStore(db);
const live = await startLivePublisher(config);
store.onStored((rows) => live.publish(rows));
const consumer = await startConsumer(config, store);
console.log('WORKER READY');
process.on('SIGTERM', async () => { await consumer.stop(); await live.close(); await db.close(); process.exit(0); });
`,
  );
  return { ...spawnTsx(entry, { DATA_DIR: dataDir, KAFKA_BROKERS: brokers }), dataDir };
}

async function addSite(web: Web, domain: string, isPublic: boolean): Promise<void> {
  const { token } = JSON.parse(fs.readFileSync(path.join(web.dataDir, 'admin.json'), 'utf8')) as { token: string };
  const res = await fetch(`${web.url}/api/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ domain, public: isPublic }),
  });
  if (!res.ok) throw new Error(`addSite: ${res.status} ${await res.text()}`);
}

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
  await until(() => state !== null, 'a snapshot', 60_000);
  return { sub, deltas, state: () => state };
}

const events = (s: LiveState | null) => [...(s?.series.values() ?? [])].reduce((n, [, ev]) => n + ev, 0);
const pageviews = (s: LiveState | null) => [...(s?.series.values() ?? [])].reduce((n, [pv]) => n + pv, 0);

let brokerDir: string;
let brokers: string;
let webA: Web;
let webB: Web;
let worker: Proc & { dataDir: string };

beforeAll(async () => {
  brokerDir = tmp('kafka');
  const { stdout } = await run('bash', [BROKER_SH, 'start', '--port', 'auto', '--dir', brokerDir], { timeout: 180_000 });
  brokers = /KAFKA_BROKERS=(\S+)/.exec(stdout)![1]!;
  [webA, webB] = await Promise.all([startWeb(brokers), startWeb(brokers)]);
  worker = startWorker(brokers);
  await until(() => worker.out().includes('WORKER READY') || worker.child.exitCode !== null, 'the worker', 120_000).catch(() => undefined);
  if (!worker.out().includes('WORKER READY')) throw new Error(`the worker did not start:\n${worker.out()}`);
  for (const web of [webA, webB]) {
    await addSite(web, SITE, true);
    await addSite(web, PRIVATE, false);
  }
}, 300_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all([webA?.stop(), webB?.stop(), worker?.stop()]);
  await run('bash', [BROKER_SH, 'stop', '--dir', brokerDir], { timeout: 60_000 }).catch(() => undefined);
  for (const d of [webA?.dataDir, webB?.dataDir, worker?.dataDir, brokerDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
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
    for (const c of [a, b]) await until(() => events(c.state()) === 3, 'three events on both nodes');
    const took = Date.now() - started;
    for (const c of [a, b]) {
      const s = c.state()!;
      expect(pageviews(s)).toBe(2);
      expect(s.online).toBe(3);
      expect(Object.fromEntries(s.top.page)).toEqual({ '/': 1, '/pricing': 2 });
      expect(c.deltas.length).toBeGreaterThan(0);
    }
    await until(() => events(bFiltered.state()) === 2, 'the filtered room');
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
    await until(() => events(early.state()) >= before && early.deltas.length > 0, 'deltas');
    await new Promise((r) => setTimeout(r, 1_500)); // let the pipeline drain
    const sock = await connect(webB);
    const ack = (await sock.emitWithAck(LIVE_EVENTS.subscribe, { v: 1, domain: SITE })) as SubscribeAck;
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    await until(() => early.state()!.seq >= ack.snapshot.seq, 'the early client to catch up');
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
