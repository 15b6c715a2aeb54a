/**
 * The one esbuild configuration of the tracker, shared by the CLI build
 * (tracker/build.ts) and the in-process fallback of tracker/serve.ts.
 * Paths resolve from process.cwd() (the repository root), because Next
 * bundles serve.ts and import.meta.url is unreliable there.
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

export const trackerEntry = () => path.join(process.cwd(), 'tracker', 'src', 't.ts');
export const trackerDist = () => path.join(process.cwd(), 'tracker', 'dist', 't.js');
/** The same script gzipped at build time (zopfli), served to clients that accept gzip. */
export const trackerDistGzip = () => `${trackerDist()}.gz`;

/**
 * Gzip budget in bytes, measured on the file served to clients that accept
 * gzip (dist/t.js.gz, zopfli); the build fails above it. See tracker/README.md "Size budget".
 */
export const GZIP_BUDGET = 1490;
/**
 * The issue's target. The full feature set does not fit in it: the features'
 * own marginal costs add up to more than this (tracker/README.md "Size budget").
 */
export const GZIP_TARGET = 1024;

export const trackerBuildOptions = (): BuildOptions & { write: false } => ({
  entryPoints: [trackerEntry()],
  bundle: true,
  format: 'iife',
  // ES2020 keeps ?. and object spread native (Chrome 80, Firefox 74, Safari 13.1).
  target: 'es2020',
  platform: 'browser',
  minify: true,
  // Internal property names end in `_` and are shortened; everything else is
  // a DOM name, a public option name or a wire key and must stay as written.
  mangleProps: /_$/,
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  // The root tsconfig is strict, which would make esbuild prepend "use strict" (13 bytes).
  tsconfigRaw: { compilerOptions: { strict: false, alwaysStrict: false } },
});
