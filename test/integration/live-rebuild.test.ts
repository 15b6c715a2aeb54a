/**
 * A web node that starts late rebuilds the last 30 minutes from ClickHouse
 * (site_stats_minute + events): events stored by a previous process on the
 * same data directory show up in the new process's first snapshot, under
 * filters too, and new events then add to them exactly once.
 * Embedded mode, web nodes as child processes. Needs a prior `npx next build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { LIVE_EVENTS, type LiveDelta, type LiveSnapshot, type SubscribeAck } from '../../lib/live/protocol';
import { freePort } from './support/processes';

const ROOT = path.resolve(__dirname, '../..');
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const SITE = 'rebuild-live.test';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-live-rebuild-'));
const children: ChildProcess[] = [];
const sockets: Socket[] = [];


async function startWeb(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [TSX_CLI, 'server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', KAFKA_BROKERS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`web node did not start:\n${out}`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const UA = (i: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.${i} Safari/537.36`;

async function post(url: string, v: number, page: string, name = 'pageview') {
  const res = await fetch(`${url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': UA(v) },
    body: JSON.stringify({ n: name, u: `https://${SITE}${page}`, d: SITE }),
  });
  expect(res.status).toBe(202);
}

async function snapshot(url: string, filter = {}): Promise<{ snap: LiveSnapshot; socket: Socket; deltas: LiveDelta[] }> {
  const socket = io(url, { path: '/socket.io', transports: ['websocket'] });
  sockets.push(socket);
  const deltas: LiveDelta[] = [];
  socket.on(LIVE_EVENTS.delta, (d: LiveDelta) => deltas.push(d));
  const ack = (await socket.emitWithAck(LIVE_EVENTS.subscribe, { v: 1, domain: SITE, filter })) as SubscribeAck;
  if (!ack.ok) throw new Error(`subscribe: ${ack.error}`);
  return { snap: ack.snapshot, socket, deltas };
}

const totals = (s: LiveSnapshot) => s.series.reduce((a, [, pv, ev]) => [a[0]! + pv, a[1]! + ev], [0, 0]);

afterAll(() => {
  for (const s of sockets) s.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a web node that starts late', () => {
  it('rebuilds the last 30 minutes from ClickHouse, then counts new events once', async () => {
    const first = await startWeb();
    const { token } = JSON.parse(fs.readFileSync(path.join(dataDir, 'admin.json'), 'utf8')) as { token: string };
    const res = await fetch(`${first.url}/api/admin/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ domain: SITE, public: true }),
    });
    expect(res.ok).toBe(true);
    await post(first.url, 1, '/');
    await post(first.url, 2, '/pricing');
    await post(first.url, 2, '/pricing', 'signup');
    await post(first.url, 3, '/docs');
    const before = (await snapshot(first.url)).snap;
    expect(totals(before)).toEqual([3, 4]);
    await first.stop();

    const second = await startWeb();
    const { snap, deltas } = await snapshot(second.url);
    expect(snap.complete).toBe(true);
    expect(totals(snap)).toEqual([3, 4]);
    expect(snap.online).toBe(3);
    expect(Object.fromEntries(snap.top.page)).toEqual({ '/': 1, '/pricing': 1, '/docs': 1 });
    expect(snap.feed.map((f) => `${f.name} ${f.page}`)).toEqual(before.feed.map((f) => `${f.name} ${f.page}`));
    expect(snap.series).toEqual(before.series);

    const filtered = (await snapshot(second.url, { page: '/pricing' })).snap;
    expect(totals(filtered)).toEqual([1, 2]);
    expect(filtered.online).toBe(1);

    // New events add to the rebuilt history, once.
    await post(second.url, 4, '/new');
    const deadline = Date.now() + 10_000;
    while (deltas.reduce((n, d) => n + d.online, 0) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const after = (await snapshot(second.url)).snap;
    expect(totals(after)).toEqual([4, 5]);
    expect(after.online).toBe(4);
    await second.stop();
  });
});
