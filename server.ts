/**
 * The Sightline web process: one Node HTTP server on one port serving
 *   - POST /api/event straight to the ingest handler (Next's per-request
 *     pipeline costs ~7x the throughput on this hot path; the App Router
 *     route runs the very same handler when Next serves it),
 *   - GET /t.js, the tracker, straight from tracker/serve.ts (its gzip file
 *     is sent as built; Next would compress the script again on its own),
 *   - everything else through Next.js (dashboard, APIs),
 *   - socket.io for live dashboards.
 * Embedded default: ClickHouse (chdb) and the worker live in this process.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { handleNodeEvent, SOCKET_IP_HEADER } from './lib/ingest/handler';
import { handleNodeTracker } from './tracker/serve';
import { log } from './lib/log';
import { closeRuntime, getRuntime, writeAdminToken } from './lib/runtime';
import { attachLive } from './lib/live/sockets';

export interface StartOptions {
  port?: number;
  host?: string;
  dev?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const rt = await getRuntime();
  const dev = opts.dev ?? process.env.NODE_ENV === 'development';
  const port = opts.port ?? rt.config.PORT;
  const host = opts.host ?? rt.config.HOST;
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const app = next({ dev, dir, hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/api/event' && (req.method === 'POST' || req.method === 'OPTIONS')) {
      handleNodeEvent(req, res).catch((err: unknown) => {
        log.error({ err }, 'ingest failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal' }));
      });
      return;
    }
    if (pathname === '/t.js' && (req.method === 'GET' || req.method === 'HEAD')) {
      handleNodeTracker(req, res);
      return;
    }
    // Route handlers read the client IP from this header; never trust a client-sent one.
    req.headers[SOCKET_IP_HEADER] = req.socket.remoteAddress ?? '';
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  // Live counters: socket.io on this same server and port (lib/live/sockets.ts).
  const live = await attachLive(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  if (rt.config.embeddedClickHouse) writeAdminToken(rt.config, rt.adminToken, actualPort);
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
  log.info({ url, mode: rt.sink.kind }, 'Sightline is listening');

  return {
    url,
    port: actualPort,
    server,
    async close() {
      await live.close(); // websockets first: they would keep server.close() waiting
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      await closeRuntime();
    },
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const running = await startServer();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
