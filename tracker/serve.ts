/**
 * Serves the built tracker (GET /t.js): read once from tracker/dist/t.js and
 * kept in memory with a strong ETag (content hash). Public, cacheable for an
 * hour and revalidated with If-None-Match after that; CORS/CORP headers let
 * any site embed it. When the file is missing (a dev checkout that never ran
 * the build) it is built in-process if esbuild is installed; otherwise the
 * answer is a 500 that says which command to run.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { trackerBuildOptions, trackerDist } from './options';

interface Script {
  body: string;
  etag: string;
}

let cached: Script | undefined;

const COMMON_HEADERS = {
  'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
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

function load(): Script {
  if (cached) return cached;
  let body: string;
  try {
    body = readFileSync(trackerDist(), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    body = buildInProcess();
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  cached = { body, etag };
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

export function trackerResponse(req: Request): Response {
  let script: Script;
  try {
    script = load();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return new Response(
      `Sightline tracker is not built (tracker/dist/t.js is missing) and could not be built here: ${reason}\n` +
        'Run `npm run build:tracker` (npx tsx tracker/build.ts) and restart the server.\n',
      { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } },
    );
  }
  const headers = { ...COMMON_HEADERS, ETag: script.etag };
  if (matches(req.headers.get('if-none-match'), script.etag)) return new Response(null, { status: 304, headers });
  return new Response(script.body, {
    status: 200,
    headers: { ...headers, 'Content-Type': 'application/javascript; charset=utf-8' },
  });
}

/** Forgets the cached script (tests; a deploy restarts the process anyway). */
export function resetTrackerCache(): void {
  cached = undefined;
}
