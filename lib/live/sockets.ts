/**
 * socket.io on the web server's own port (path /socket.io): clients
 * subscribe to a site's live room when `access` allows it, get a snapshot in
 * the ack, then `live:delta`s. One subscription per socket; subscribing again
 * replaces it (a client that reconnects subscribes again and so gets a fresh
 * snapshot). Protocol: lib/live/PROTOCOL.md.
 */
import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { normalizeDomain } from '../../db/sites';
import { siteAccessFromHandshake } from '../auth/access';
import { log } from '../log';
import { getRuntime } from '../runtime';
import { LiveError, type LiveHub } from './hub';
import { LIVE_EVENTS, LIVE_PROTOCOL_VERSION, normalizeFilter, type SubscribeAck } from './protocol';

/** Who may watch a site: the one access rule of the app (lib/auth/access.ts). */
export type LiveAccessCheck = (headers: Headers, authToken: string | undefined, domain: string) => Promise<'owner' | 'shared' | 'public' | null>;

export const defaultLiveAccess: LiveAccessCheck = siteAccessFromHandshake;

export interface AttachOptions {
  hub?: LiveHub;
  access?: LiveAccessCheck;
  /** Subscriptions one socket may make per minute. */
  subscribesPerMinute?: number;
}

export interface LiveSockets {
  io: Server;
  close(): Promise<void>;
}

function handshakeHeaders(socket: Socket): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(socket.handshake.headers)) {
    if (v === undefined) continue;
    h.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return h;
}

/** Attaches socket.io to the server. Close it before closing the HTTP server (websockets keep it open). */
export async function attachLive(server: http.Server, opts: AttachOptions = {}): Promise<LiveSockets> {
  const hub = opts.hub ?? (await getRuntime()).live.hub;
  const access = opts.access ?? defaultLiveAccess;
  const perMinute = opts.subscribesPerMinute ?? 30;
  const io = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: 16 * 1024,
    perMessageDeflate: false,
    httpCompression: false,
    // Other upgrades on this server (Next's dev HMR socket) are not ours to close.
    destroyUpgrade: false,
  });
  hub.setEmitter((room, delta) => io.to(room).emit(LIVE_EVENTS.delta, delta));

  io.on('connection', (socket) => {
    let current: string | null = null;
    /** Subscriptions answer in any order (access checks, history): only the latest one may join. */
    let latest = 0;
    let window = { start: Date.now(), count: 0 };
    const leave = () => {
      if (current) {
        void socket.leave(current);
        hub.leave(current);
        current = null;
      }
    };

    socket.on(LIVE_EVENTS.subscribe, async (payload: unknown, ack?: (a: SubscribeAck) => void) => {
      if (typeof ack !== 'function') return;
      const mine = ++latest;
      const superseded = () => ack({ ok: false, error: 'invalid', detail: 'superseded by a newer subscription' });
      const now = Date.now();
      if (now - window.start > 60_000) window = { start: now, count: 0 };
      if (++window.count > perMinute) return ack({ ok: false, error: 'rate_limited', detail: `at most ${perMinute} subscriptions a minute` });

      let domain: string;
      let filter;
      try {
        const p = payload as { v?: unknown; domain?: unknown; filter?: unknown } | null;
        if (!p || typeof p.domain !== 'string') throw new TypeError('domain is required');
        if (p.v !== undefined && p.v !== LIVE_PROTOCOL_VERSION) throw new TypeError(`protocol version ${String(p.v)} is not supported (use ${LIVE_PROTOCOL_VERSION})`);
        domain = normalizeDomain(p.domain);
        filter = normalizeFilter(p.filter);
      } catch (err) {
        return ack({ ok: false, error: 'invalid', detail: (err as Error).message });
      }

      try {
        const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
        const allowed = await access(handshakeHeaders(socket), typeof token === 'string' ? token : undefined, domain);
        if (mine !== latest) return superseded();
        // Unknown and private sites answer alike, so rooms do not reveal which sites exist.
        if (!allowed) {
          leave();
          return ack({ ok: false, error: 'forbidden', detail: 'no such site, or you may not watch it' });
        }
        if (!socket.connected) return;
        let orphan: string | null = null;
        const snapshot = await hub.subscribe(domain, filter, (room) => {
          if (mine !== latest) {
            orphan = room;
            return;
          }
          leave();
          current = room;
          void socket.join(room);
        });
        if (orphan) {
          hub.leave(orphan);
          return superseded();
        }
        // Disconnected while we waited: undo the join the disconnect handler could not see.
        if (!socket.connected) return leave();
        ack({ ok: true, snapshot });
      } catch (err) {
        if (err instanceof LiveError) return ack({ ok: false, error: err.code, detail: err.message });
        log.error({ err }, 'live: subscribe failed');
        ack({ ok: false, error: 'unavailable', detail: 'live updates are unavailable right now' });
      }
    });

    socket.on(LIVE_EVENTS.unsubscribe, (_payload: unknown, ack?: (a: { ok: true }) => void) => {
      latest++; // a subscription still in flight must not join after this
      leave();
      if (typeof ack === 'function') ack({ ok: true });
    });

    socket.on('disconnect', leave);
  });

  return {
    io,
    async close() {
      hub.setEmitter(() => undefined);
      io.disconnectSockets(true);
      // Not io.close(): that would also close the HTTP server, which server.ts closes itself.
      io.engine.close();
    },
  };
}
