/** GET /t.js (serve.ts): headers, brotli/gzip negotiation, ETag/304, in-memory caching, the missing-build 500. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleNodeTracker, pickEncoding, resetTrackerCache, trackerReply, trackerResponse } from '../serve';

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'sightline-serve-'));
  vi.spyOn(process, 'cwd').mockReturnValue(root);
  resetTrackerCache();
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

function writeDist(code: string, gz?: Buffer) {
  mkdirSync(path.join(root, 'tracker', 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'tracker', 'dist', 't.js'), code);
  if (gz) writeFileSync(path.join(root, 'tracker', 'dist', 't.js.gz'), gz);
}


const get = (headers: Record<string, string> = {}) =>
  trackerResponse(new Request('http://sightline.test/t.js', { headers }));

describe('trackerResponse', () => {
  it('serves the built file with cache, CORS and CORP headers', async () => {
    writeDist('(()=>{})();');
    const res = get();
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('(()=>{})();');
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600, stale-while-revalidate=86400');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('content-encoding')).toBeNull();
  });

  it('answers the App Router route with the plain script even when gzip is accepted (Next compresses it)', async () => {
    writeDist('(()=>{})();', gzipSync('(()=>{})();', { level: 1 }));
    const res = get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe('(()=>{})();');
  });

  it('gives the built gzip file as is when asked for gzip, with its own ETag', () => {
    // Level 1 is distinguishable from anything serve.ts would make itself.
    const gz = gzipSync('(()=>{})();', { level: 1 });
    writeDist('(()=>{})();', gz);
    const r = trackerReply(null, 'gzip');
    expect(r.status).toBe(200);
    expect(r.headers['Content-Encoding']).toBe('gzip');
    expect(r.headers['Content-Type']).toBe('application/javascript; charset=utf-8');
    expect(r.headers['Vary']).toBe('Accept-Encoding');
    expect(Buffer.isBuffer(r.body) && r.body.equals(gz)).toBe(true);
    const plain = trackerReply(null, undefined);
    expect(plain.body).toBe('(()=>{})();');
    expect(plain.headers['Content-Encoding']).toBeUndefined();
    expect(r.headers.ETag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(r.headers.ETag).not.toBe(plain.headers.ETag);
    // Each representation revalidates with its own ETag.
    expect(trackerReply(r.headers.ETag!, 'gzip').status).toBe(304);
    expect(trackerReply(plain.headers.ETag!, 'gzip').status).toBe(200);
    expect(trackerReply(plain.headers.ETag!, undefined).status).toBe(304);
  });

  it('gives brotli, made in-process, with its own ETag', () => {
    writeDist('(()=>{})();', gzipSync('(()=>{})();', { level: 1 }));
    const r = trackerReply(null, 'br');
    expect(r.headers['Content-Encoding']).toBe('br');
    expect(brotliDecompressSync(r.body as Buffer).toString('utf8')).toBe('(()=>{})();');
    const etags = new Set([r.headers.ETag, trackerReply(null, 'gzip').headers.ETag, trackerReply(null, undefined).headers.ETag]);
    expect(etags.size).toBe(3);
    expect(trackerReply(r.headers.ETag!, 'br').status).toBe(304);
    expect(trackerReply(r.headers.ETag!, 'gzip').status).toBe(200);
  });

  it('gzips in-process when the built gzip file is missing or does not match t.js', () => {
    for (const gz of [undefined, gzipSync('an older build'), Buffer.from('not gzip')]) {
      resetTrackerCache();
      rmSync(path.join(root, 'tracker'), { recursive: true, force: true });
      writeDist('(()=>{current})();', gz);
      const r = trackerReply(null, 'gzip');
      expect(r.headers['Content-Encoding']).toBe('gzip');
      expect(gunzipSync(r.body as Buffer).toString('utf8')).toBe('(()=>{current})();');
    }
  });

  it('reads the file once and keeps it in memory', async () => {
    writeDist('first');
    const etag = get().headers.get('etag');
    writeDist('second');
    const res = get();
    expect(await res.text()).toBe('first');
    expect(res.headers.get('etag')).toBe(etag);
  });

  it('gives different content a different ETag', () => {
    writeDist('one');
    const a = get().headers.get('etag');
    resetTrackerCache();
    writeDist('two');
    expect(get().headers.get('etag')).not.toBe(a);
  });

  it('answers a clear 500 when the file is missing and cannot be built here', async () => {
    // The temporary root has no esbuild, so the in-process build fails.
    const res = get();
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/npm run build:tracker/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('handleNodeTracker (server.ts)', () => {
  /** One raw request against a node:http server running the adapter: the bytes as they travel. */
  async function fetchRaw(method: string, headers: Record<string, string>) {
    const server = http.createServer(handleNodeTracker);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .request({ port, host: '127.0.0.1', path: '/t.js', method, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject)
          .end();
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it('sends brotli to a client that accepts it, the built gzip file byte for byte to one that accepts only gzip, the plain script otherwise', async () => {
    const gz = gzipSync('(()=>{})();', { level: 1 });
    writeDist('(()=>{})();', gz);
    const br = await fetchRaw('GET', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-length']).toBe(String(br.body.length));
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe('(()=>{})();');
    const zipped = await fetchRaw('GET', { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-length']).toBe(String(gz.length));
    expect(zipped.headers['vary']).toBe('Accept-Encoding');
    expect(zipped.body.equals(gz)).toBe(true);
    const plain = await fetchRaw('GET', { 'accept-encoding': 'deflate' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe('(()=>{})();');
    const again = await fetchRaw('GET', { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag! });
    expect([again.status, again.body.length]).toEqual([304, 0]);
    const head = await fetchRaw('HEAD', { 'accept-encoding': 'gzip' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(gz.length), 0]);
  });
});

describe('pickEncoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['br', 'br'],
    ['*', 'br'],
    ['BR;q=0.5, gzip;q=0.5', 'br'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP, deflate', 'gzip'],
    ['identity, gzip;q=0.5', 'gzip'],
  ])('%j gets %s', (h, want) => expect(pickEncoding(h)).toBe(want));
  it.each([null, '', 'identity', 'deflate', 'gzip;q=0', 'gzip;q=0, br;q=0', '*;q=0', 'gzip;q=0, br;q=0, *'])(
    '%j gets the plain script',
    (h) => expect(pickEncoding(h)).toBeUndefined(),
  );
});
