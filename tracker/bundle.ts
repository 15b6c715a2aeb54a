/**
 * Bundles the tracker in memory and measures it: raw, gzip (zlib level 9,
 * the budget's measure) and brotli (quality 11) bytes. Used by build.ts
 * size.ts and the e2e spec; esbuild is a dev dependency, so this never
 * runs in the app.
 */
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { GZIP_BUDGET, GZIP_TARGET, trackerBuildOptions, trackerDist } from './options';

export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export async function bundleTracker(): Promise<string> {
  const result = await build(trackerBuildOptions());
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}

/** Bundles and writes tracker/dist/t.js; returns the code. */
export async function writeTracker(): Promise<string> {
  const code = await bundleTracker();
  const dist = trackerDist();
  mkdirSync(path.dirname(dist), { recursive: true });
  // Write then rename, so a server reading the file never sees half of it.
  const tmp = `${dist}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, dist);
  return code;
}

export function measure(code: string): Sizes {
  const buf = Buffer.from(code);
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }).length,
  };
}

/** Prints the sizes; returns false when gzip is over budget. */
export function report(file: string, sizes: Sizes, budget = GZIP_BUDGET): boolean {
  const ok = sizes.gzip <= budget;
  console.log(`${file}: ${sizes.raw} B raw, ${sizes.gzip} B gzip, ${sizes.brotli} B brotli`);
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
