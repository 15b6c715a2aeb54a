/** The built script as shipped: within the gzip budget, one IIFE, no cookies/storage writes/third-party URLs. */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleTracker, gzipTracker, measure } from '../bundle';
import { GZIP_BUDGET } from '../options';

describe('the built tracker', async () => {
  const code = await bundleTracker();

  it(`stays within the ${GZIP_BUDGET} B gzip budget`, async () => {
    expect((await measure(code)).gzip).toBeLessThanOrEqual(GZIP_BUDGET);
  });

  it('measures the gzip file that is served: a plain gzip stream of the script, deterministic', async () => {
    const gz = await gzipTracker(code);
    expect((await measure(code)).gzip).toBe(gz.length);
    expect(gunzipSync(gz).toString('utf8')).toBe(code);
    expect((await gzipTracker(code)).equals(gz)).toBe(true);
  });

  it('is one minified IIFE without "use strict" or comments', () => {
    expect(code.startsWith('(()=>{')).toBe(true);
    expect(code.trim().endsWith('})();')).toBe(true);
    expect(code).not.toContain('use strict');
    expect(code).not.toMatch(/\/\*|\n./);
  });

  it('touches no cookie, writes no storage and talks to no third party', () => {
    expect(code).not.toMatch(/cookie|setItem|indexedDB|XMLHttpRequest/);
    expect(code.match(/https?:\/\/[^"'`]*/g) ?? []).toEqual([]);
  });
});
