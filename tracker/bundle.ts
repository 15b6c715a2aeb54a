/**
 * Bundles the tracker in memory, gzips it the way it is served and measures
 * it: raw, gzip (zopfli, the exact bytes GET /t.js sends to a client that
 * accepts gzip, and the budget's measure) and brotli (quality 11, what
 * GET /t.js sends to a client that accepts br) bytes. Used by build.ts, size.ts and the e2e spec; esbuild and
 * zopfli are dev dependencies, so this never runs in the app.
 */
import { gzipAsync } from '@gfx/zopfli';
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliOf } from './brotli';
import { GZIP_BUDGET, GZIP_TARGET, trackerBuildOptions, trackerDist, trackerDistGzip } from './options';

export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

/** Bundles `entry` (default src/t.ts) with the tracker's build options; parts.ts passes variants. */
export async function bundleTracker(entry?: string): Promise<string> {
  const result = await build({ ...trackerBuildOptions(), ...(entry && { entryPoints: [entry] }) });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}

/**
 * The gzip file served for the script: zopfli's exhaustive deflate search,
 * a standard gzip stream every browser decodes, ~1.5 % smaller than zlib
 * level 9 here. Deterministic (no name, no timestamp in the header).
 */
export async function gzipTracker(code: string): Promise<Buffer> {
  return Buffer.from(await gzipAsync(Buffer.from(code), { numiterations: 50 }));
}

/** Write then rename, so a server reading the file never sees half of it. */
function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Bundles and writes tracker/dist/t.js and its gzip, t.js.gz; returns the code. */
export async function writeTracker(): Promise<string> {
  const code = await bundleTracker();
  mkdirSync(path.dirname(trackerDist()), { recursive: true });
  // serve.ts checks that the .gz decodes to t.js, so the order only matters for a moment.
  writeAtomic(trackerDistGzip(), await gzipTracker(code));
  writeAtomic(trackerDist(), code);
  return code;
}

export async function measure(code: string): Promise<Sizes> {
  const buf = Buffer.from(code);
  return {
    raw: buf.length,
    gzip: (await gzipTracker(code)).length,
    brotli: brotliOf(buf).length,
  };
}

/** Prints the sizes; returns false when gzip is over budget. */
export function report(file: string, sizes: Sizes, budget = GZIP_BUDGET): boolean {
  const ok = sizes.gzip <= budget;
  console.log(`${file}: ${sizes.raw} B raw, ${sizes.gzip} B gzip (as served), ${sizes.brotli} B brotli`);
  console.log(
    ok
      ? `gzip within budget: ${sizes.gzip} / ${budget} B (${budget - sizes.gzip} B to spare)`
      : `gzip OVER budget: ${sizes.gzip} / ${budget} B (${sizes.gzip - budget} B too many)`,
  );
  if (sizes.gzip > GZIP_TARGET) {
    console.log(`target is ${GZIP_TARGET} B gzip (${sizes.gzip - GZIP_TARGET} B to go; see tracker/README.md "Size budget")`);
  }
  return ok;
}
