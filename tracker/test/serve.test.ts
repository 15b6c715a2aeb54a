/** GET /t.js (serve.ts): headers, ETag/304, in-memory caching, the missing-build 500. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetTrackerCache, trackerResponse } from '../serve';

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

function writeDist(code: string) {
  mkdirSync(path.join(root, 'tracker', 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'tracker', 'dist', 't.js'), code);
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
  });

  it('answers 304 to a matching If-None-Match (strong, weak, listed or *)', () => {
    writeDist('a');
    const etag = get().headers.get('etag')!;
    for (const inm of [etag, `W/${etag}`, `"x", ${etag}`, '*']) {
      const res = get({ 'if-none-match': inm });
      expect(res.status, inm).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toContain('max-age=3600');
    }
    expect(get({ 'if-none-match': '"stale"' }).status).toBe(200);
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
