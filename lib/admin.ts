/**
 * The loopback admin channel between the CLIs (`npm run sites`, `npm run
 * users`) and a running embedded server, which owns the data directory:
 * the server writes a token and its port to DATA_DIR/admin.json (owner-only);
 * the CLI reads it; the admin routes accept only that token, from this machine.
 */
import fs from 'node:fs';
import type { Config } from './config';
import { SOCKET_IP_HEADER } from './ingest/handler';
import { adminTokenPath, getRuntime, type Runtime } from './runtime';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Route side: the runtime when the request is an authorised loopback admin call, else null. */
export async function loopbackAdmin(req: Request): Promise<Runtime | null> {
  const rt = await getRuntime();
  const ip = req.headers.get(SOCKET_IP_HEADER) ?? '';
  return LOOPBACK.has(ip) && req.headers.get('authorization') === `Bearer ${rt.adminToken}` ? rt : null;
}

export interface RunningServer {
  token: string;
  port: number;
  pid: number;
}

/** CLI side: the embedded server that holds DATA_DIR, if one is running. */
export function runningServer(config: Config): RunningServer | null {
  if (!config.embeddedClickHouse) return null;
  try {
    const admin = JSON.parse(fs.readFileSync(adminTokenPath(config), 'utf8')) as RunningServer;
    process.kill(admin.pid, 0);
    return admin;
  } catch {
    return null;
  }
}

/** CLI side: calls an admin route of the running server; throws with the server's reason. */
export async function callServer(server: RunningServer, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as { detail?: string };
  if (!res.ok) throw new Error(answer.detail ?? `server answered ${res.status}`);
  return answer;
}
