/**
 * Real processes for integration tests and benchmarks: a Kafka broker (scripts/kafka),
 * Sightline web nodes and workers as child processes, and a way to read an
 * embedded data directory once its owner has stopped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDb, type Db } from '../../../db/client';
import { loadConfig } from '../../../lib/config';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `sightline-${prefix}-`));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Broker {
  brokers: string;
  dir: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startBroker(): Promise<Broker> {
  const dir = tempDir('kafka');
  const script = path.join(ROOT, 'scripts', 'kafka', 'broker.sh');
  const { stdout } = await run('bash', [script, 'start', '--port', 'auto', '--dir', dir], { timeout: 180_000 });
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(stdout)?.[1];
  if (!brokers) throw new Error(`broker did not start: ${stdout}`);
  return {
    brokers,
    dir,
    stop: async () => void (await run('bash', [script, 'stop', '--dir', dir, '--keep'], { timeout: 60_000 })),
    restart: async () => void (await run('bash', [script, 'start', '--dir', dir], { timeout: 180_000 })),
    destroy: async () => {
      await run('bash', [script, 'stop', '--dir', dir], { timeout: 60_000 }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait; SIGKILL when `kill` is set. */
  stop(kill?: boolean): Promise<number | null>;
}

function spawnTsx(entry: string, env: Record<string, string>): Proc {
  let output = '';
  // node with tsx's loader, not the tsx wrapper: one process, so SIGKILL really kills the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return {
    child,
    output: () => output,
    stop(kill = false) {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill(kill ? 'SIGKILL' : 'SIGTERM');
      });
    },
  };
}

/** Polls `probe` (sync or async; a throw counts as "not yet") until it returns something truthy. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface WebNode extends Proc {
  url: string;
  dataDir: string;
}

export async function startWeb(env: Record<string, string> = {}): Promise<WebNode> {
  const port = await freePort();
  const dataDir = env.DATA_DIR ?? tempDir('web');
  const proc = spawnTsx('server.ts', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`web node on ${url}\n${proc.output()}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`web node exited: ${proc.output()}`);
    return (await fetch(`${url}/api/health`)).ok;
  }, 90_000);
  return { ...proc, url, dataDir };
}

export interface WorkerNode extends Proc {
  metricsUrl: string;
  dataDir: string;
}

export async function startWorker(env: Record<string, string>): Promise<WorkerNode> {
  const port = await freePort();
  const dataDir = env.DATA_DIR ?? tempDir('worker');
  const proc = spawnTsx('workers/main.ts', { WORKER_METRICS_PORT: String(port), DATA_DIR: dataDir, ...env });
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  await waitFor('worker', async () => {
    if (proc.child.exitCode !== null) throw new Error(`worker exited: ${proc.output()}`);
    return (await fetch(metricsUrl)).ok;
  }, 90_000);
  return { ...proc, metricsUrl, dataDir };
}

/** Registers a site through the running web node's loopback admin API. */
export async function addSite(web: WebNode, domain: string, opts: { public?: boolean } = {}): Promise<void> {
  const admin = JSON.parse(fs.readFileSync(path.join(web.dataDir, 'admin.json'), 'utf8')) as { token: string };
  const res = await fetch(`${web.url}/api/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ domain, ...opts }),
  });
  if (!res.ok) throw new Error(`addSite ${domain}: ${res.status} ${await res.text()}`);
}

/** Opens an embedded data directory whose owner has stopped (one per test process). */
export async function openDataDir(dataDir: string): Promise<Db> {
  return openDb(loadConfig({ ...process.env, DATA_DIR: dataDir, CLICKHOUSE_URL: undefined } as NodeJS.ProcessEnv));
}

export async function metricValue(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** Posts `count` pageviews in requests of `perRequest` events; returns the status codes. */
export async function postPageviews(url: string, domain: string, count: number, perRequest = 1, concurrency = 8): Promise<number[]> {
  const requests: object[][] = [];
  for (let i = 0; i < count; i += perRequest) {
    requests.push(
      Array.from({ length: Math.min(perRequest, count - i) }, (_, j) => ({
        n: 'pageview',
        u: `https://${domain}/page/${i + j}`,
        d: domain,
      })),
    );
  }
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < requests.length) {
        const body = requests[next++]!;
        const res = await fetch(`${url}/api/event`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': `10.0.${worker}.1` },
          body: JSON.stringify(body.length === 1 ? body[0] : body),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    }),
  );
  return statuses;
}
