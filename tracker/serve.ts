/**
 * Serves the built tracker (GET /t.js): read once from tracker/dist/t.js and
 * kept in memory with a strong ETag (content hash). Public, cacheable for an
 * hour and revalidated with If-None-Match after that; CORS/CORP headers let
 * any site embed it. When the file is missing (a dev checkout that never ran
 * the build) it is built in-process if esbuild is installed; otherwise the
 * answer is a 500 that says which command to run.
 *
 * Compression: server.ts answers GET /t.js itself (`handleNodeTracker`). A
 * client that accepts brotli gets it (quality 11, made here once, ~12 %
 * smaller than gzip; browsers ask for it over HTTPS); one that accepts only
 * gzip gets dist/t.js.gz byte for byte (zopfli, made at build time: the
 * bytes the size budget measures). Each encoding has its own ETag;
 * `Vary: Accept-Encoding` keeps shared caches from mixing them. The App Router route
 * (`trackerResponse`) sends the plain script: Next drops a route's
 * Content-Encoding and compresses responses itself.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type http from 'node:http';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { brotliOf } from './brotli';
import { trackerBuildOptions, trackerDist, trackerDistGzip } from './options';

/** How the script is sent: as is, or one of the two encodings kept in memory. */
export type Encoding = 'br' | 'gzip' | undefined;

interface Script {
  body: string;
  etag: string;
  gzip: Buffer;
  gzipEtag: string;
  br: Buffer;
  brEtag: string;
}

let cached: Script | undefined;

const COMMON_HEADERS = {
  'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Accept-Encoding',
};

function buildInProcess(): string {
  // A runtime require from the repository root: Next must not try to bundle
  // esbuild (a native binary); in production it is simply absent.
  const requireFromRoot = createRequire(path.join(process.cwd(), 'package.json'));
  const esbuild = requireFromRoot('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync(trackerBuildOptions()).outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}

function readOrNull(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return null;
  }
}

/** dist/t.js.gz when it decodes to exactly `body`; otherwise gzip made here (zlib level 9). */
function gzipOf(body: string): Buffer {
  const built = readOrNull(trackerDistGzip());
  if (built) {
    try {
      if (gunzipSync(built).toString('utf8') === body) return built;
    } catch {
      /* corrupt: made again below */
    }
  }
  return gzipSync(body, { level: 9 });
}

const etagOf = (data: string | Buffer) => `"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`;

function load(): Script {
  if (cached) return cached;
  const body = readOrNull(trackerDist())?.toString('utf8') ?? buildInProcess();
  const gzip = gzipOf(body);
  const br = brotliOf(body);
  cached = { body, etag: etagOf(body), gzip, gzipEtag: etagOf(gzip), br, brEtag: etagOf(br) };
  return cached;
}

/** Weak comparison, as If-None-Match requires (RFC 9110 13.1.2). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * The encoding to send (RFC 9110 12.5.3): the acceptable one with the highest
 * q, brotli on a tie (it is the smaller); `*` stands for any coding not listed.
 */
export function pickEncoding(acceptEncoding: string | null): Encoding {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const weight = params.find((p) => p.startsWith('q='));
    q.set(coding, weight ? Number(weight.slice(2)) || 0 : 1);
  }
  const any = q.get('*') ?? 0;
  const br = q.get('br') ?? any;
  const gzip = q.get('gzip') ?? q.get('x-gzip') ?? any;
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : undefined;
}

export interface TrackerReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer | null;
}

/** The answer to GET /t.js; `encoding`: send that stored encoding (the client accepts it and the caller passes bytes through). */
export function trackerReply(ifNoneMatch: string | null, encoding: Encoding): TrackerReply {
  let script: Script;
  try {
    script = load();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      status: 500,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      body:
        `Sightline tracker is not built (tracker/dist/t.js is missing) and could not be built here: ${reason}\n` +
        'Run `npm run build:tracker` (npx tsx tracker/build.ts) and restart the server.\n',
    };
  }
  const [body, etag] =
    encoding == 'br' ? [script.br, script.brEtag] : encoding == 'gzip' ? [script.gzip, script.gzipEtag] : [script.body, script.etag];
  const headers: Record<string, string> = { ...COMMON_HEADERS, ETag: etag };
  if (matches(ifNoneMatch, etag)) return { status: 304, headers, body: null };
  headers['Content-Type'] = 'application/javascript; charset=utf-8';
  if (encoding) headers['Content-Encoding'] = encoding;
  return { status: 200, headers, body };
}

/** Web adapter, for the App Router route: always the plain script (Next compresses it on its own). */
export function trackerResponse(req: Request): Response {
  const r = trackerReply(req.headers.get('if-none-match'), undefined);
  return new Response(r.body as string | null, { status: r.status, headers: r.headers });
}

/** node:http adapter, for server.ts: the stored brotli or gzip to clients that accept it. */
export function handleNodeTracker(req: http.IncomingMessage, res: http.ServerResponse): void {
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(', ') : v) ?? null;
  };
  const r = trackerReply(header('if-none-match'), pickEncoding(header('accept-encoding')));
  if (r.body !== null) r.headers['Content-Length'] = String(Buffer.byteLength(r.body));
  res.writeHead(r.status, r.headers);
  res.end(req.method === 'HEAD' ? undefined : (r.body ?? undefined));
}

/** Forgets the cached script (tests; a deploy restarts the process anyway). */
export function resetTrackerCache(): void {
  cached = undefined;
}
